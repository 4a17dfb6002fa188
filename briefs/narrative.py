"""Short Indonesian narrative of one instansi-year, written only from query results.

Each number placed in the text goes through `Numbers.__call__`, which records the raw value under
a stable key and returns its id-ID form, so ``numbers[key]`` is exactly what the sentence says.
Comparisons (di atas / di bawah) are made on the values as printed (2 decimals), so the words
never contradict the numbers a reader sees.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from briefs.figures import short_indicator_name
from domain.definitions import AMBANG_BAIK, TARGET_NASIONAL, biggest_gap
from rendering.format import integer, is_missing, num, round_half_up

OFFICIAL = "resmi KemenPANRB"


@dataclass
class Narrative:
    paragraphs: list[str]
    numbers: dict[str, float | int | None]
    key_figures: list[tuple[str, str]]
    target_table: pd.DataFrame


@dataclass
class Numbers:
    values: dict[str, float | int | None] = field(default_factory=dict)

    def __call__(self, key: str, value, decimals: int | None = 2) -> str:
        """decimals=None: a year or code number, written plainly (2024, not 2.024); 0: a count;
        3: index points (trailing zeros dropped down to 2 decimals: 0,090 → 0,09, 0,013 stays)."""
        if hasattr(value, "item"):
            value = value.item()
        self.values[key] = value
        if decimals is None:
            return str(int(value))
        if decimals == 0:
            return integer(value)
        return points(value) if decimals == 3 else num(value, decimals)


def points(value) -> str:
    """Index points with up to 3 decimals, at least 2: 0.09 → '0,09', 0.013 → '0,013'."""
    text = num(value, 3)
    return text[:-1] if text.endswith("0") else text


_missing = is_missing


def short_name(nama: str) -> str:
    """'Pemerintah Kota Serang' → 'Kota Serang' (the form used in running text)."""
    return nama[len("Pemerintah "):] if nama.startswith("Pemerintah ") else nama


def category_word(kategori_ringkas: str) -> str:
    return kategori_ringkas if kategori_ringkas.isupper() else kategori_ringkas.lower()


def _rel(a: float, b: float, decimals: int = 2) -> str:
    """Compare as printed: both sides rounded half-up like `num`, so 2.684 vs 2.675 (both '2,68')
    is 'sama dengan', never 'di atas'."""
    ra, rb = round_half_up(a, decimals), round_half_up(b, decimals)
    return "di atas" if ra > rb else ("di bawah" if ra < rb else "sama dengan")


def _year_value(df: pd.DataFrame, year: int, col: str):
    row = df[df["tahun"] == year]
    if row.empty or _missing(row[col].iloc[0]):
        return None
    return float(row[col].iloc[0])


def no_indicator_note(profile) -> str:
    return (f"Rincian per indikator tidak tersedia untuk {short_name(str(profile['nama']))} tahun "
            f"{int(profile['tahun'])}: data yang dimuat hanya nilai domain dan indeks (tabel publikasi). "
            "Kesenjangan per indikator dan persyaratan level berikutnya baru dapat dihitung setelah "
            "level indikator (misalnya dari Laporan Hasil Evaluasi) diimpor.")


@dataclass
class _Subject:
    """What every paragraph of one instansi-year shares."""
    n: Numbers
    profile: object
    instrument: object
    year: int
    name: str
    kat: str
    katw: str
    idx: float
    target_rows: list[tuple[str, float | None]]


def compose(*, profile, components: pd.DataFrame, trend: pd.DataFrame, national: pd.DataFrame,
            categories: pd.DataFrame, gaps: pd.DataFrame, instrument, registry,
            has_indicators: bool, benchmarks: pd.DataFrame | None = None) -> Narrative:
    year, kat, idx = int(profile["tahun"]), str(profile["kategori_ringkas"]), float(profile["indeks"])
    sub = _Subject(n=Numbers(), profile=profile, instrument=instrument, year=year, name=short_name(str(profile["nama"])),
                   kat=kat, katw=category_word(kat), idx=idx, target_rows=[(f"Indeks SPBE {year}", idx)])
    paragraphs = [_level_paragraph(sub, categories, national)]
    change, change_figure = _change_paragraph(sub, trend, registry)
    paragraphs += [change, _rank_paragraph(sub) + _province_sentence(sub, benchmarks)]
    domains = _domain_paragraph(sub, components)
    if domains:
        paragraphs.append(domains)
    paragraphs += [_gap_paragraph(sub, gaps) if has_indicators else no_indicator_note(profile),
                   _next_band_paragraph(sub)]
    key_figures = [("Indeks SPBE", num(idx)), ("Predikat", str(profile["predikat"])),
                   ("Peringkat", f"{integer(profile['peringkat_kategori'])} dari {integer(profile['jumlah_kategori'])} "
                                 f"{sub.katw}")]
    if change_figure:
        key_figures.append(change_figure)
    return Narrative(paragraphs=paragraphs, numbers=sub.n.values, key_figures=key_figures,
                     target_table=_target_table(sub.target_rows, idx))


def _level_paragraph(sub: _Subject, categories: pd.DataFrame, national: pd.DataFrame) -> str:
    """1. level, category mean, national target (and the rows of the target table they name)."""
    n, year, katw, idx = sub.n, sub.year, sub.katw, sub.idx
    cat = categories[categories["kategori"] == sub.kat]
    cat_official = None if cat.empty or _missing(cat["resmi"].iloc[0]) else float(cat["resmi"].iloc[0])
    cat_recomputed = None if cat.empty or _missing(cat["indeks"].iloc[0]) else float(cat["indeks"].iloc[0])
    target = _year_value(national, year, "target")
    s = f"Indeks SPBE {sub.name} tahun {n('tahun', year, None)} sebesar {n('indeks', idx)} ({sub.profile['predikat']})"
    parts = []
    if cat_official is not None:
        parts.append(f"{_rel(idx, cat_official)} rata-rata {katw} {n('rerata_kategori', cat_official)} ({OFFICIAL})")
    elif cat_recomputed is not None:
        parts.append(f"{_rel(idx, cat_recomputed)} rata-rata {katw} {n('rerata_kategori', cat_recomputed)} "
                     f"(dihitung ulang dari {n('jumlah_instansi_kategori', int(cat['jumlah_instansi'].iloc[0]), 0)} {katw})")
    if target is not None:
        parts.append(f"{_rel(idx, target)} {TARGET_NASIONAL} {year} sebesar {n('target_nasional', target)}")
    rows = sub.target_rows
    if target is not None:
        rows.append((f"{TARGET_NASIONAL.capitalize()} {year} (untuk angka nasional)", target))
    rows.append((f"{AMBANG_BAIK.capitalize()} (target per instansi)", float(sub.instrument.target_indeks)))
    if cat_official is not None:
        rows.append((f"Rata-rata {katw} ({OFFICIAL})", cat_official))
    if cat_recomputed is not None:
        rows.append((f"Rata-rata {katw} (dihitung ulang)", cat_recomputed))
    nat = _year_value(national, year, "resmi")
    if nat is not None:
        rows.append((f"Nasional ({OFFICIAL})", nat))
    return s + (", " + " dan ".join(parts) if parts else "") + "."


def _change_paragraph(sub: _Subject, trend: pd.DataFrame, registry) -> tuple[str, tuple[str, str] | None]:
    """2. change since the previous evaluated year; the word follows the printed difference."""
    profile, n = sub.profile, sub.n
    prev_year = profile["tahun_sebelumnya"]
    if _missing(prev_year):
        return "Belum ada nilai tahun sebelumnya sebagai pembanding.", None
    prev_year = int(prev_year)
    prev, diff = float(profile["indeks_sebelumnya"]), float(profile["selisih"])
    shown = round_half_up(diff, 2)
    word = "naik" if shown > 0 else ("turun" if shown < 0 else "tetap")
    s = (f"Dibanding {n('tahun_sebelumnya', prev_year, None)} ({n('indeks_sebelumnya', prev)}; "
         f"{profile['predikat_sebelumnya']}), indeks {word}")
    s += "." if word == "tetap" else f" {n('selisih_tahun_sebelumnya', abs(diff))} poin."
    prev_ins = trend.loc[trend["tahun"] == prev_year, "instrument_id"]
    if len(prev_ins) and str(prev_ins.iloc[0]) != sub.instrument.id:
        s += (f" Perbandingan ini melintasi pergantian instrumen ({registry.by_id(str(prev_ins.iloc[0])).nama} → "
              f"{sub.instrument.nama}), jadi hanya indikatif.")
    return s, (f"Perubahan sejak {prev_year}", ("+" if diff > 0 else "") + num(diff))


def _rank_paragraph(sub: _Subject) -> str:
    """3. ranks in the category (and the province, for a kabupaten/kota)."""
    profile, n = sub.profile, sub.n
    s = (f"Peringkat {n('peringkat_kategori', int(profile['peringkat_kategori']), 0)} dari "
         f"{n('jumlah_kategori', int(profile['jumlah_kategori']), 0)} {sub.katw}")
    if not _missing(profile["peringkat_provinsi"]) and not _missing(profile["provinsi"]) and sub.kat != "Provinsi":
        s += (f" dan {n('peringkat_provinsi', int(profile['peringkat_provinsi']), 0)} dari "
              f"{n('jumlah_provinsi', int(profile['jumlah_provinsi']), 0)} pemerintah daerah di Provinsi {profile['provinsi']}")
    return s + "."


def province_region(kategori_ringkas: str, provinsi: str) -> str:
    """'se-Provinsi Banten' for a kab/kota; 'di Provinsi Banten' for the province government itself
    (its own kab/kota)."""
    return f"{'di ' if kategori_ringkas == 'Provinsi' else 'se-'}Provinsi {provinsi}"


def province_mean_label(kategori_ringkas: str, provinsi: str, jumlah: int) -> str:
    """'Rata-rata 8 kab/kota se-Provinsi Banten (dihitung ulang)'."""
    return f"Rata-rata {integer(jumlah)} kab/kota {province_region(kategori_ringkas, provinsi)} (dihitung ulang)"


def _province_sentence(sub: _Subject, benchmarks: pd.DataFrame | None) -> str:
    """3b. the kab/kota mean of the province (recomputed), as a sentence and a target-table row."""
    if benchmarks is None or benchmarks.empty or _missing(sub.profile["provinsi"]):
        return ""
    row = benchmarks[benchmarks["komponen"] == "indeks"]
    if row.empty or _missing(row["rerata_provinsi"].iloc[0]):
        return ""
    mean, count = float(row["rerata_provinsi"].iloc[0]), int(row["jumlah_provinsi"].iloc[0])
    region = province_region(sub.kat, str(sub.profile["provinsi"]))
    sub.target_rows.append((province_mean_label(sub.kat, str(sub.profile["provinsi"]), count), mean))
    own = "" if sub.kat == "Provinsi" else f", termasuk {sub.name}"
    word = {"di atas": "di atas", "di bawah": "di bawah", "sama dengan": "setara"}[_rel(sub.idx, mean)]
    n = sub.n
    return (f" Rata-rata indeks {n('jumlah_kab_kota_provinsi', count, 0)} kab/kota {region} "
            f"(dihitung ulang{own}) {n('rerata_provinsi', mean)}: {sub.name} {word} rata-rata itu.")


def _domain_paragraph(sub: _Subject, components: pd.DataFrame) -> str | None:
    """4. strongest and weakest domain (None with fewer than two domain values)."""
    n = sub.n
    dom = components[components["jenis"] == "domain"].sort_values(["nilai", "urutan"])
    if len(dom) < 2:
        return None
    lo, hi = dom.iloc[0], dom.iloc[-1]
    s = (f"Domain terkuat {hi['label']} ({n('domain_terkuat_nilai', float(hi['nilai']))}); domain terlemah "
         f"{lo['label']} ({n('domain_terlemah_nilai', float(lo['nilai']))})")
    if not _missing(lo["rerata_kategori"]):
        s += (f", {_rel(float(lo['nilai']), float(lo['rerata_kategori']))} rata-rata {sub.katw} yang dihitung ulang "
              f"({n('domain_terlemah_rerata_kategori', float(lo['rerata_kategori']))})")
    return s + "."


def _gap_paragraph(sub: _Subject, gaps: pd.DataFrame) -> str:
    """5. indicator gaps: how many below the target level and the costliest; else the best next step."""
    n, instrument = sub.n, sub.instrument
    tl = int(instrument.target_level)
    below = gaps[gaps["kekurangan"] > 0].sort_values(["biaya_indeks", "bobot_indikator", "no_indikator"],
                                                     ascending=[False, False, True])
    if len(below):
        top = below.iloc[0]
        head = (f"{n('indikator_di_bawah_target', len(below), 0)} dari {n('jumlah_indikator', len(gaps), 0)} indikator "
                f"masih di bawah level target {n('target_level', tl, None)}; bila semuanya mencapai level itu, indeks "
                f"bertambah {n('poin_tutup_kesenjangan', float(below['biaya_indeks'].sum()), 3)} poin. ")
        tie = biggest_gap(list(zip(below["no_indikator"], below["biaya_indeks"])))
        if tie is not None and tie.tie:  # said as a tie, never one of them alone (domain.definitions)
            names = dict(zip(below["no_indikator"].astype(int), below["nama_indikator"]))
            listed = ", ".join(f"{no} {short_indicator_name(names[no])}" for no in tie.nomor[:5])
            more = len(tie.nomor) - 5
            return head + (f"Kesenjangan terbesar: {n('indikator_terbesar_jumlah', len(tie.nomor), 0)} indikator sama "
                           f"besarnya, masing-masing +{n('indikator_terbesar_poin', float(tie.poin), 3)} poin bila "
                           f"mencapai target: {listed}" + (f" dan {more} lainnya." if more > 0 else "."))
        return head + (f"Kesenjangan "
                f"terbesar: indikator {n('indikator_terbesar_no', int(top['no_indikator']), None)} "
                f"{short_indicator_name(top['nama_indikator'])} (level {n('indikator_terbesar_level', int(top['level']), None)}; "
                f"+{n('indikator_terbesar_poin', float(top['biaya_indeks']), 3)} poin bila mencapai target).")
    up = gaps[gaps["level"] < instrument.level_max].sort_values(
        ["naik_satu_level", "level", "no_indikator"], ascending=[False, True, True])
    s = (f"Seluruh {n('jumlah_indikator', len(gaps), 0)} indikator sudah mencapai level target "
         f"{n('target_level', tl, None)}.")
    if len(up):
        u = up.iloc[0]
        s += (f" Kenaikan terbesar per satu level: indikator {n('indikator_terbesar_no', int(u['no_indikator']), None)} "
              f"{short_indicator_name(u['nama_indikator'])} (+{n('indikator_terbesar_poin', float(u['naik_satu_level']), 3)} poin).")
    return s


def _next_band_paragraph(sub: _Subject) -> str:
    """6. the next predikat: its lower bound and the points still needed."""
    instrument, idx = sub.instrument, sub.idx
    better = [b for b in sorted(instrument.bands, key=lambda b: b.batas_bawah) if float(b.batas_bawah) > idx]
    if not better:
        return f"{sub.profile['predikat']} adalah predikat tertinggi."
    b = better[0]
    if b.nama != "Baik" or float(b.batas_bawah) != float(instrument.target_indeks):
        sub.target_rows.append((f"Batas predikat {b.nama}", float(b.batas_bawah)))
    return (f"Untuk naik ke predikat {b.nama} diperlukan indeks minimal "
            f"{sub.n('batas_predikat_berikutnya', float(b.batas_bawah))}, atau "
            f"{sub.n('kurang_ke_predikat_berikutnya', float(b.batas_bawah) - idx)} poin lagi.")


def _target_table(target_rows: list[tuple[str, float | None]], idx: float) -> pd.DataFrame:
    """One row per distinct label: the value and the index minus it."""
    seen, rows = set(), []
    for label, value in target_rows:
        if label in seen:
            continue
        seen.add(label)
        rows.append({"Ukuran": label, "Nilai": value,
                     "Selisih indeks": None if value is None or label.startswith("Indeks SPBE") else idx - value})
    return pd.DataFrame(rows)
