"""The content of a brief as a flat list of blocks, shared by the DOCX and PDF writers.

Both writers draw the same cover (title, instansi line, DATA SINTETIS line, key figures) and then
these blocks in order, so the two formats never say different things.
"""
from __future__ import annotations

from dataclasses import dataclass

from briefs.brief import Brief
from briefs.narrative import category_word, points
from rendering.format import integer, num, pct, signed

TITLE = "Lembar RPJMD — Indeks SPBE"


@dataclass(frozen=True)
class Block:
    kind: str                                   # heading | para | image | table | bullets | note | pagebreak
    text: str = ""
    image: bytes | None = None
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    widths: tuple[float, ...] = ()              # relative column widths
    align: tuple[str, ...] = ()                 # "L" / "R" / "C" per column
    items: tuple[str, ...] = ()


def own_label(own) -> str:
    """What the analyst's own file is: an official KemenPANRB LHE they uploaded, or a self-assessment."""
    return "LHE resmi KemenPANRB" if str(getattr(own, "sumber", "")).startswith("LHE resmi") else "Penilaian sendiri"


def header_text(brief: Brief) -> str:
    own = f" · memuat {own_label(brief.assessment).lower()}" if brief.assessment else ""
    return f"{TITLE} · {brief.nama} · {brief.tahun}{own}"


def assessment_line(brief: Brief) -> str:
    """The cover's notice that the brief carries the user's own (unpublished) assessment; '' when not."""
    own = brief.assessment
    if own is None:
        return ""
    plan = " dan rencana pencapaian target RPJMD" if brief.plan else ""
    return f"Memuat {own_label(own).upper()}{plan} · berkas {own.berkas}, tahun {own.tahun} · tidak dipublikasikan"


def key_figures(brief: Brief) -> list[tuple[str, str]]:
    """The cover boxes; with an own assessment its index/predikat stands next to the warehouse's."""
    figures = list(brief.key_figures)
    own = brief.assessment
    if own is None:
        return figures
    figures = [(f"Indeks SPBE {brief.tahun}", v) if label == "Indeks SPBE" else (label, v) for label, v in figures]
    at = next((i + 1 for i, (label, _) in enumerate(figures) if label == "Predikat"), 1)
    figures.insert(at, (f"{own_label(own)} {own.tahun}", f"{num(own.indeks)} ({own.predikat})"))
    return figures


def cover_lines(brief: Brief) -> list[str]:
    where = [brief.kategori]
    if brief.provinsi and brief.kategori_ringkas != "Provinsi":
        where.append(f"Provinsi {brief.provinsi}")
    if brief.kode_wilayah:
        where.append(f"kode wilayah {brief.kode_wilayah}")
    return [" · ".join(where),
            f"Tahun evaluasi {brief.tahun} · instrumen {brief.instrument_nama} · dibuat {brief.dibuat_text}"]


def _target_rows(brief: Brief) -> tuple[tuple[str, ...], ...]:
    out = []
    for r in brief.target_table.itertuples(index=False):
        diff = r[2]
        out.append((str(r[0]), num(r[1]), "" if diff is None or diff != diff else signed(diff)))
    return tuple(out)


def _gap_block(brief: Brief) -> Block:
    t = brief.gap_table
    if brief.has_indicators:
        rows = tuple((integer(r[0]), str(r[1]), str(r[2]), integer(r[3]), integer(r[4]), points(r[5]), pct(r[6], 0))
                     for r in t.itertuples(index=False))
        return Block("table", header=("No", "Indikator", "Aspek", "Level", "Target", "Poin indeks",
                                      f"{brief.kategori_ringkas} di bawah target"),
                     rows=rows, widths=(6, 55, 9, 9, 10, 12, 16), align=("R", "L", "C", "C", "C", "R", "R"))
    rows = tuple((str(r[0]), num(r[1]), integer(r[2]), num(r[3]), num(r[4])) for r in t.itertuples(index=False))
    return Block("table", header=("Domain", "Nilai", "Target level", "Kekurangan",
                                  f"Rata-rata {category_word(brief.kategori_ringkas)}"),
                 rows=rows, widths=(40, 15, 15, 15, 20), align=("L", "R", "R", "R", "R"))


def _year_blocks(brief: Brief) -> list[Block]:
    """Index and predikat per evaluated year (instansi_trend)."""
    t = brief.year_table
    if t is None or t.empty:
        return []
    rows = tuple((str(r[0]), num(r[1]), str(r[2]), "—" if r[3] is None or r[3] != r[3] else signed(r[3]), str(r[4]))
                 for r in t.itertuples(index=False))
    head = [] if brief.trend_png else [Block("heading", text="Indeks SPBE per tahun evaluasi")]
    return head + [Block("table", header=("Tahun", "Indeks SPBE", "Predikat", "Perubahan", "Instrumen"), rows=rows,
                         widths=(12, 18, 20, 18, 32), align=("C", "R", "L", "R", "L")),
                   Block("note", text="Hanya tahun yang dievaluasi dan ada datanya. Perubahan = selisih dari tahun "
                                      "evaluasi sebelumnya; kosong (—) pada tahun pertama dan bila instrumennya berganti.")]


def _weak_blocks(brief: Brief) -> list[Block]:
    katw = category_word(brief.kategori_ringkas)
    blocks: list[Block] = []
    for area in brief.weakest:
        compare = []
        if area.rerata_kategori is not None:
            compare.append(f"rata-rata {katw} {num(area.rerata_kategori)}")
        if area.rerata_nasional is not None:
            compare.append(f"nasional {num(area.rerata_nasional)}")
        head = f"{area.kode} {area.label}: {num(area.nilai)}" + (f" ({'; '.join(compare)})" if compare else "")
        blocks.append(Block("para", text=head, items=("bold",)))
        items = []
        for s in area.steps:
            gain = f", +{points(s.naik_satu_level)} poin indeks" if s.naik_satu_level is not None else ""
            syarat = s.syarat or "persyaratan level untuk instrumen ini belum tersedia di data panduan"
            items.append(f"Indikator {s.no_indikator} {_short(s.nama)} — level {s.level} → {s.next_level}{gain}. "
                         f"Syarat level {s.next_level}: {syarat}")
        if items:
            blocks.append(Block("bullets", items=tuple(items)))
        elif area.jenis == "domain":
            blocks.append(Block("note", text="Langkah per indikator tidak dapat disusun tanpa level indikator."))
        else:
            blocks.append(Block("note", text="Semua indikator aspek ini sudah di level tertinggi."))
    return blocks


def _short(name: str) -> str:
    from briefs.figures import short_indicator_name
    return short_indicator_name(name)


def _assessment_blocks(brief: Brief) -> list[Block]:
    own = brief.assessment
    wh = {(str(j), str(k)): float(v) for j, k, v in zip(brief.components["jenis"], brief.components["kode"],
                                                       brief.components["nilai"]) if v == v}
    later = "" if own.tahun == brief.tahun else (
        f" Tahun {own.tahun} tidak ada di gudang data untuk instansi ini dengan instrumen {own.instrument_nama}; "
        f"pembanding memakai tahun terakhir yang ada ({brief.tahun}).")
    rows = [("Indeks SPBE", num(brief.indeks), num(own.indeks), signed(own.indeks - brief.indeks)),
            ("Predikat", brief.predikat, own.predikat, "")]
    for jenis, kode, label, nilai in own.komponen:
        other = wh.get((jenis, kode))
        rows.append((f"{kode} {label}", num(other), num(nilai), "" if other is None else signed(nilai - other)))
    label = own_label(own)
    return [Block("heading", text=f"{label} dibanding gudang data"),
            Block("para", text=f"{label} tahun {own.tahun} (berkas {own.berkas}): Indeks SPBE "
                               f"{num(own.indeks)} ({own.predikat}). Gudang data tahun {brief.tahun}: "
                               f"{num(brief.indeks)} ({brief.predikat})." + later),
            Block("table", header=("Komponen", f"Gudang data {brief.tahun}", f"{label} {own.tahun}",
                                   "Selisih"),
                  rows=tuple(rows), widths=(52, 16, 18, 14), align=("L", "R", "R", "R")),
            Block("note", text=f"Selisih = {label.lower()} − gudang data. Berkas ini tidak dipublikasikan "
                               "dan tidak masuk rata-rata maupun peringkat gudang data.")]


def _plan_blocks(brief: Brief) -> list[Block]:
    plan, own = brief.plan, brief.assessment
    met = {True: "ya", False: "tidak", None: "—"}
    years = tuple((str(r["tahun"]), num(r["target"]), num(r["indeks"]), str(r["predikat"]), met[r["tercapai"]],
                   "; ".join(r["indikator_dinaikkan_teks"]) or "—") for r in plan["tahun"])
    out = [Block("heading", text="Rencana pencapaian target (RPJMD)"),
           Block("para", text=plan["ringkasan"]),
           Block("note", text=f"{plan['judul']}, instrumen {plan['instrumen']}; titik awal: {own_label(own).lower()} "
                              f"{own.tahun} ({own.berkas}). Jadwal {plan['jadwal']}: {plan['jadwal_teks']}."),
           Block("table", header=("Tahun", "Target", "Indeks", "Predikat", "Tercapai", "Indikator dinaikkan"),
                 rows=years, widths=(9, 9, 9, 13, 11, 49), align=("C", "R", "R", "L", "C", "L"))]
    if plan["kenaikan"]:
        ups = tuple((str(r["tahun"]), integer(r["no_indikator"]), _short(r["nama_indikator"]),
                     f"{r['dari_level']} → {r['ke_level']}", "+" + num(r["tambah_indeks"], 3), str(r["syarat"]))
                    for r in plan["kenaikan"])
        out += [Block("heading", text="Kenaikan level dan syarat level berikutnya"),
                Block("table", header=("Tahun", "No", "Indikator", "Level", "+ Indeks", "Syarat level berikutnya"),
                      rows=ups, widths=(9, 5, 22, 9, 10, 45), align=("C", "R", "L", "C", "R", "L"))]
    else:
        out.append(Block("para", text="Tidak ada kenaikan level yang diperlukan untuk target ini."))
    out += [Block("note", text=t) for t in plan["catatan"]]
    out.append(Block("note", text=f"Syarat level: {plan['sumber_syarat']} + Indeks = tambahan Indeks SPBE dari "
                                  "kenaikan satu level (bobot indikator / 100)."))
    return out


def blocks(brief: Brief) -> list[Block]:
    out: list[Block] = [Block("heading", text="Ringkasan")]
    out += [Block("para", text=p) for p in brief.narrative]
    if brief.radar_png:
        jenis = "aspek" if brief.has_indicators else "domain"
        out += [Block("heading", text=f"Profil {jenis} dibanding rata-rata"),
                Block("image", image=brief.radar_png)]
    if brief.trend_png:
        out += [Block("heading", text="Tren Indeks SPBE"), Block("image", image=brief.trend_png)]
    out += _year_blocks(brief)
    out += [Block("heading", text="Posisi terhadap target"),
            Block("table", header=("Ukuran", "Nilai", "Selisih indeks"), rows=_target_rows(brief),
                  widths=(60, 20, 20), align=("L", "R", "R")),
            Block("note", text="Selisih indeks = Indeks SPBE instansi − nilai pembanding (positif: di atas pembanding).")]
    if brief.has_indicators:
        out.append(Block("heading", text="Kesenjangan terhadap level target per indikator"))
        if len(brief.gap_table):
            out.append(_gap_block(brief))
            rest = f" {brief.gap_rest} indikator lain di bawah target tidak ditampilkan." if brief.gap_rest else ""
            out.append(Block("note", text="Poin indeks = (level target − level) × bobot indikator / 100: tambahan "
                                          "indeks bila indikator itu mencapai level target." + rest))
        else:
            out.append(Block("para", text="Tidak ada indikator di bawah level target."))
    else:
        out += [Block("heading", text="Kesenjangan terhadap level target per domain"), _gap_block(brief),
                Block("note", text="Rincian per indikator tidak tersedia: hanya nilai domain yang dimuat.")]
    title = "Aspek terlemah dan syarat level berikutnya" if brief.has_indicators else "Domain terlemah"
    out.append(Block("heading", text=title))
    out += _weak_blocks(brief)
    method = [f"Data: {brief.sumber or 'gudang data SPBE'}. {brief.source_line}.",
              "Rata-rata kategori/nasional berlabel 'dihitung ulang' adalah rata-rata sederhana atas instansi di gudang "
              "data; angka berlabel 'resmi KemenPANRB' adalah angka publikasi.",
              ("Syarat level: ringkasan parafrase kriteria tiap level dalam peraturan (PermenPANRB 59/2020 bagian C), "
               "bukan teks hukum." if any(s.syarat for a in brief.weakest for s in a.steps) else
               f"Panduan syarat per level belum tersedia untuk instrumen {brief.instrument_nama}.")]
    if brief.assessment:
        out += _assessment_blocks(brief)
    if brief.assessment and brief.plan:
        out += _plan_blocks(brief)
    notes = brief.notes + brief.assessment_notes + method
    out += [Block("heading", text="Catatan")] + [Block("note", text=t) for t in notes]
    return out
