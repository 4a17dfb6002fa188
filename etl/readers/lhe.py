"""Laporan Hasil Evaluasi (LHE): the instansi's own evaluation report, as text or PDF text, as
KemenPANRB issues it — no year or instansi has to be given by hand.

- the indicator levels: the table after "Perolehan Nilai Tingkat Kematangan Indikator", in every
  layout text extraction gives it (etl.readers.lhe_table), with one or two level columns;
- the year and the instansi: from the cover, the titles and the heading "INDEKS SPBE – <INSTANSI>",
  never from prose (etl.readers.lhe_meta);
- the LHE's own index, domains and aspects ("Nilai Indeks SPBE, Domain, dan Aspek") are compared
  with what the levels give (etl.readers.lhe_printed); differences are reported by name.

`read_lhe` returns the validated levels, the matches table and notes saying where the year and the
instansi were read (text, line), for the user to see.
"""
from __future__ import annotations

import pandas as pd

from domain.instrument import InstrumentRegistry
from domain.scoring import LevelError, score_levels
from etl.readers import lhe_meta, lhe_printed
from etl.readers.lhe_table import HEADING, Table, read_table
from etl.report import GALAT, PERINGATAN, TINJAU, InputError, Issue, Report, fmt_num
from etl.validate import check_levels, check_row_keys

KOLOM_NO, KOLOM_LEVEL = "No", "Nilai Tingkat Kematangan"
Note = tuple[str, int | None]          # (text, 1-based line) shown to the user


def looks_like_lhe(text: str) -> bool:
    if "erolehan" not in text and "EROLEHAN" not in text:  # fast substring test before the regex
        return False
    return bool(HEADING.search(text))


def _pick_year(berkas: str, lines: list[str], tahun: int | None, report: Report) -> lhe_meta.Found | None:
    found = lhe_meta.years(lines)
    strong = [f for f in found if not f.lemah]
    if not strong:
        if not found or tahun is not None:
            return None
        weak = found[0]
        report.add(Issue(berkas, weak.baris, "tahun", str(weak.value),
                         f"tahun {weak.value} diambil dari {weak.sumber} '{weak.teks}', karena LHE tidak memuat "
                         "'INDEKS SPBE TAHUN …' atau judul 'Evaluasi SPBE Tahun …'; periksa, atau berikan tahun",
                         PERINGATAN))
        return weak
    pool = [f for f in strong if f.sumber == "sampul"] or strong
    counts = {y: sum(1 for f in pool if f.value == y) for y in {f.value for f in pool}}
    year = max(counts, key=lambda y: (counts[y], y))
    best = next(f for f in pool if f.value == year)
    others = [f for f in strong if f.value != year]
    if others and tahun is None:
        listed = "; ".join(f"{f.value} ({f.sumber} '{f.teks}', baris {f.baris})" for f in others[:3])
        report.add(Issue(berkas, others[0].baris, "tahun", str(others[0].value),
                         f"LHE menyebut tahun lain selain {year} ({best.sumber} '{best.teks}', baris {best.baris}): "
                         f"{listed}; yang dipakai {year} — berikan tahun bila keliru", PERINGATAN))
    return best


def _resolve_exact(matcher, name: str) -> str | None:
    return matcher.resolve(nama=name).instansi_id


def _pick_name(berkas: str, lines: list[str], matcher, instansi: str | None, report: Report) -> tuple[lhe_meta.Found | None, bool]:
    """The instansi's name, and whether the LHE names two different instansi (then nothing is loaded)."""
    heads = lhe_meta.heading_names(lines)
    covers = lhe_meta.cover_names(lines)
    strong_cover = [c for c in covers if not c.lemah]
    exact: list[tuple[lhe_meta.Found, str]] = []
    for group in (heads, strong_cover, [c for c in covers if c.lemah]):
        hit = next(((f, iid) for f in group if (iid := _resolve_exact(matcher, f.value))), None)
        if hit:
            exact.append(hit)
    if exact:
        (best, iid), rest = exact[0], exact[1:]
        clash = [(f, i) for f, i in rest if i != iid and not f.lemah]
        if clash and not instansi:
            f, i = clash[0]
            report.add(Issue(berkas, f.baris, "instansi", f.value,
                             f"LHE menyebut dua instansi: '{best.value}' ({best.sumber}, baris {best.baris}) → {iid} "
                             f"dan '{f.value}' ({f.sumber}) → {i}; tidak dimuat — berikan instansi", TINJAU))
        return best, bool(clash)
    return (heads or strong_cover or [None])[0], False


def _columns(berkas: str, table: Table, year: lhe_meta.Found | None, tahun: int | None,
             registry: InstrumentRegistry, report: Report) -> list[tuple[int, int | None]]:
    """(column index, year or None = the argument) of each level column to load."""
    this = year.value if year is not None else tahun
    if table.ncols == 1:
        return [(0, year.value if year is not None else None)]
    where = table.entries[0].baris if table.entries else table.heading + 1
    if table.col_years:
        years = list(table.col_years)
    elif this is not None:
        years = [this - 1, this]
        report.add(Issue(berkas, where, KOLOM_LEVEL, None,
                         f"tabel indikator memuat dua kolom nilai ({table.ncols_from}) tanpa tahun di judul kolomnya: "
                         f"kolom kiri dibaca sebagai tahun {this - 1}, kolom kanan sebagai {this} (tahun laporan)",
                         PERINGATAN))
    else:
        raise InputError(Issue(berkas, where, KOLOM_LEVEL, None, "tabel indikator memuat dua kolom nilai, dan tahun "
                               "evaluasi tidak ditemukan di LHE; berikan argumen tahun", GALAT))
    cols = list(enumerate(years))
    if tahun is not None and tahun in years:
        keep = [(c, y) for c, y in cols if y == tahun]
        for _, y in (c for c in cols if c[1] != tahun):
            report.add(Issue(berkas, where, KOLOM_LEVEL, str(y), f"kolom nilai tahun {y} tidak dimuat: tahun yang "
                             f"dipilih {tahun}", PERINGATAN))
        return keep
    try:
        same = registry.for_year(years[0]).id == registry.for_year(years[1]).id
    except (KeyError, ValueError, LookupError):
        same = False
    if not same:
        report.add(Issue(berkas, where, KOLOM_LEVEL, str(years[0]),
                         f"kolom nilai tahun {years[0]} tidak dimuat: instrumennya bukan instrumen tahun {years[1]}; "
                         f"yang dimuat kolom kanan ({years[1]})", PERINGATAN))
        return [cols[1]]
    return cols


def _rows(table: Table, cols: list[tuple[int, int | None]], tahun: int | None) -> tuple[pd.DataFrame, pd.Series]:
    recs, years = [], []
    for c, y in cols:
        for e in table.entries:
            recs.append({"baris": e.baris, "no_raw": str(e.no), "level_raw": e.levels[c] if c < len(e.levels) else ""})
            years.append(str(y if y is not None else tahun))
    return pd.DataFrame(recs, columns=["baris", "no_raw", "level_raw"]), pd.Series(years)


def read_lhe(berkas: str, text: str, *, registry: InstrumentRegistry, matcher, tahun: int | None,
             instansi: str | None, report: Report) -> tuple[pd.DataFrame, pd.DataFrame, list[Note]]:
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    max_no = max(max(i.indicator_numbers) for i in registry)
    table = read_table(lines, max_no)
    if table is None or not table.entries:
        heads = [i for i, ln in enumerate(lines) if HEADING.search(ln)]
        raise InputError(Issue(berkas, heads[0] + 1 if heads else None, None, None,
                               "tabel 'Perolehan Nilai Tingkat Kematangan Indikator' tidak berisi baris "
                               "'no  indikator  level'; diharapkan satu baris per indikator", GALAT))
    year = _pick_year(berkas, lines, tahun, report)
    if year is None and tahun is None:
        raise InputError(Issue(berkas, None, None, None, "tahun evaluasi tidak ditemukan di LHE (sampul 'INDEKS SPBE "
                               "TAHUN 2021', judul 'Evaluasi SPBE Tahun 2023', tanggal atau nomor laporan); "
                               "berikan argumen tahun", GALAT))
    name, clash = _pick_name(berkas, lines, matcher, instansi, report)
    if name is None and not instansi:
        raise InputError(Issue(berkas, None, None, None, "nama instansi tidak ditemukan di LHE (judul 'INDEKS SPBE – "
                               "<instansi>' atau sampul); berikan argumen instansi", GALAT))
    cols = _columns(berkas, table, year, tahun, registry, report)
    raw, tahun_raw = _rows(table, cols, tahun)
    n = len(raw)
    key = instansi or name.value
    use_doc_year = year is not None
    years, ids, matches = check_row_keys(
        baris=pd.Series([year.baris] * n) if year is not None else raw["baris"],
        tahun_raw=tahun_raw if (use_doc_year or table.ncols == 2) else None, tahun_arg=tahun,
        kolom_tahun="tahun" if use_doc_year else None, keys=pd.DataFrame({"id": [key] * n, "nama": [key] * n}),
        kolom_instansi="instansi", matcher=matcher, registry=registry, berkas=berkas, report=report,
        baris_instansi=pd.Series([name.baris if name else 1] * n))
    if instansi and name:
        named = matcher.resolve(nama=name.value)
        if named.instansi_id and ids.iloc[0] and named.instansi_id != ids.iloc[0]:
            report.add(Issue(berkas, name.baris, "instansi", name.value,
                             f"LHE ini untuk {name.value} ({named.instansi_id}), bukan instansi yang dipilih "
                             f"({instansi} → {ids.iloc[0]}); tidak dimuat", GALAT))
            ids[:] = None
    if clash and not instansi:
        ids[:] = None
    valid = (years.notna() & ids.notna()).to_numpy()
    rows = pd.DataFrame({
        "baris": raw["baris"][valid].to_numpy(), "tahun": years[valid].astype("int64").to_numpy(),
        "instansi_id": ids[valid].to_numpy(), "no_raw": raw["no_raw"][valid].to_numpy(),
        "level_raw": raw["level_raw"][valid].to_numpy(), "mandiri_raw": None,
        "kolom_no": KOLOM_NO, "kolom_level": KOLOM_LEVEL, "kolom_mandiri": None})
    rows = rows.astype({"no_raw": object, "level_raw": object})
    levels = check_levels(rows, registry, berkas=berkas, report=report, kolom_lengkap=KOLOM_NO)
    notes = _notes(year, tahun, name, instansi, table)
    notes += _check_printed(berkas, lines, levels, registry, report)
    return levels, matches, notes


def _notes(year, tahun, name, instansi, table: Table) -> list[Note]:
    notes: list[Note] = []
    if year is not None:
        notes.append((f"tahun {year.value} dari {year.sumber}: '{year.teks}'", year.baris))
    elif tahun is not None:
        notes.append((f"tahun {tahun} dari pilihan pengguna (LHE tidak memuatnya)", None))
    if name is not None:
        notes.append((f"instansi '{name.value}' dari {name.sumber}", name.baris))
    if instansi:
        notes.append((f"instansi dipilih pengguna: {instansi}", None))
    if table.ncols == 2:
        notes.append((f"tabel indikator memuat dua kolom nilai ({table.ncols_from or 'dua nilai per baris'})",
                      table.heading + 1))
    return notes


def _check_printed(berkas: str, lines: list[str], levels: pd.DataFrame, registry: InstrumentRegistry,
                   report: Report) -> list[Note]:
    """Compare the LHE's printed figures with the scores of the levels read (complete sets only)."""
    if levels is None or levels.empty:
        return []
    computed = []
    for (yr, _iid), grp in levels.groupby(["tahun", "instansi_id"], sort=True):
        ins = registry.for_year(int(yr))
        try:
            computed.append((int(yr), ins, score_levels(ins, {int(r.no_indikator): int(r.level)
                                                               for r in grp.itertuples()})))
        except LevelError:
            return []
    ins = computed[-1][1]
    printed = lhe_printed.read_printed(berkas, lines, ins)
    before = len(report.issues)
    n = lhe_printed.compare(berkas, printed, ins, [(y, s) for y, i, s in computed if i.id == ins.id], report)
    if not n:
        return []
    differ = sum(1 for i in report.issues[before:] if i.kolom == lhe_printed.KOLOM and i.nilai is not None)
    last = computed[-1][2]
    verdict = "sama dengan" if not differ else f"berbeda di {differ} angka dari"
    return [(f"{n} angka tercetak di LHE (indeks {fmt_num(last.indeks)}, {last.predikat}) {verdict} hasil hitung "
             "dari level indikator", None)]
