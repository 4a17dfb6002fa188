"""Bring-your-own assessment: an uploaded LHE or indicator-level file, private to the session.

Why this UI module imports ``etl.readers`` (pages never import etl/): an upload must be judged
by exactly the rules the ETL applies — the same content sniffing, column detection, instansi
matching and level checks, with the same messages — so the readers are called, not copied.
The readers are pure (bytes in, frames + report out; no Streamlit, no writes), and this module
is the single adapter that turns their result into plain frames for the pages.

Privacy: the parsed result lives only in ``st.session_state`` of the browser session. Nothing is
cached across sessions (no ``st.cache_*`` here), nothing is published to the warehouse, nothing
is written to disk (Streamlit keeps the uploaded bytes in memory).
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pandas as pd
import streamlit as st

from domain.guidance import next_level_requirement
from domain.instrument import Instrument, InstrumentRegistry
from domain.scoring import Scores, score_levels
from rendering.safe_text import md, plot

MAX_UPLOAD_MB = 5
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1_000_000
UPLOAD_TYPES = ("csv", "xlsx", "txt", "pdf")
REPORT_LIMIT = 200            # issue lines shown (as the ETL prints them)
SESSION_KEY = "pm_unggahan"   # UploadResult of this session
CHOICE_KEY = "pm_pilihan"     # index of the active assessment when a file holds several
TEMPLATE_COLUMNS = ["instansi_id", "nama_instansi", "tahun", "no_indikator", "nama_indikator",
                    "level", "level_mandiri"]


@dataclass(frozen=True)
class UploadedAssessment:
    """Complete indicator levels of one instansi in one year, as uploaded."""
    berkas: str
    format: str
    tahun: int
    instansi_id: str
    nama: str
    kategori_ringkas: str | None
    instrument_id: str
    levels: dict[int, int]
    mandiri: dict[int, int] = field(default_factory=dict)  # self-assessed levels, where given

    @property
    def label(self) -> str:
        return f"{self.nama} · {self.tahun} ({self.berkas})"


@dataclass(frozen=True)
class UploadResult:
    berkas: str
    ok: bool
    text: str                       # issue lines exactly as the ETL prints them ('' when none)
    errors: int = 0
    warnings: int = 0
    format: str | None = None
    assessments: tuple[UploadedAssessment, ...] = ()
    reason: str | None = None       # why rejected, when the ETL accepted but this page cannot use it
    catatan: tuple[str, ...] = ()   # LHE: where the year and instansi were read, the printed-figure check


def too_big_reason(name: str, size: int) -> str | None:
    """Why a file over the upload cap is refused (file, size, cap), or None when it is within it.
    The server refuses a request body over `server.maxUploadSize` (.streamlit/config.toml, the
    same 5, in MiB) before this runs; this is the exact check, in bytes, with its message."""
    if size <= MAX_UPLOAD_BYTES:
        return None
    from etl.readers.limits import size_text

    def bytes_id(n: int) -> str:
        return f"{n:,}".replace(",", ".")

    return (f"berkas “{name}” berukuran {size_text(size)} ({bytes_id(size)} bita), melebihi batas unggahan "
            f"{MAX_UPLOAD_MB} MB ({bytes_id(MAX_UPLOAD_BYTES)} bita); berkas tidak dibaca — pecah berkas per "
            "tahun atau per instansi")


def handle_upload(name: str, data: bytes, *, tahun: int | None = None, instansi: str | None = None,
                  registry: InstrumentRegistry | None = None) -> UploadResult:
    """Validate and read one uploaded file with the ETL readers (no Streamlit, no writes)."""
    # the one UI → etl import (see the module docstring); lazy, so that pages which only show the
    # session's upload (profile, gaps) do not load the readers
    from etl.readers import UPLOAD_LIMITS, InputError, load_master, read_bytes

    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in UPLOAD_TYPES:
        return UploadResult(name, False, "", reason=f"jenis berkas '.{suffix}' tidak didukung; unggah "
                            "CSV, XLSX, teks LHE (.txt) atau PDF LHE")
    try:  # size and the upload caps on rows/columns/unpacked XLSX first (before parsing), then sniffing by content
        parsed = read_bytes(name, data, tahun=tahun, instansi=instansi, max_bytes=MAX_UPLOAD_BYTES,
                            limits=UPLOAD_LIMITS, registry=registry)
    except InputError as exc:
        return UploadResult(name, False, str(exc), errors=1, reason=too_big_reason(name, len(data)))
    report = parsed.report
    common = dict(text=report.format_text(limit=REPORT_LIMIT), errors=len(report.errors),
                  warnings=len(report.warnings), format=parsed.format, catatan=tuple(parsed.catatan))
    if not report.ok:
        return UploadResult(name, False, **common)
    if parsed.jenis != "nilai_indikator" or parsed.levels is None or parsed.levels.empty:
        return UploadResult(name, False, **common, reason=(
            "berkas ini berisi hasil publikasi (indeks/nilai domain), bukan level indikator; unggah LHE "
            "atau templat level indikator"))
    master = load_master().set_index("instansi_id")
    found = []
    for (year, iid), grp in parsed.levels.groupby(["tahun", "instansi_id"], sort=True):
        mandiri = grp.dropna(subset=["level_mandiri"])
        found.append(UploadedAssessment(
            berkas=name, format=parsed.format, tahun=int(year), instansi_id=str(iid),
            nama=str(master.at[iid, "nama"]) if iid in master.index else str(iid),
            kategori_ringkas=(str(master.at[iid, "kategori_ringkas"]) or None) if iid in master.index else None,
            instrument_id=str(grp["instrument_id"].iloc[0]),
            levels={int(n): int(v) for n, v in zip(grp["no_indikator"], grp["level"])},
            mandiri={int(n): int(v) for n, v in zip(mandiri["no_indikator"], mandiri["level_mandiri"])}))
    return UploadResult(name, True, **common, assessments=tuple(found))


# --- session ------------------------------------------------------------------------------------
def store(result: UploadResult | None) -> None:
    st.session_state[SESSION_KEY] = result
    st.session_state[CHOICE_KEY] = 0


def current_result() -> UploadResult | None:
    return st.session_state.get(SESSION_KEY)


def active_upload() -> UploadedAssessment | None:
    """The uploaded assessment active in this browser session, or None."""
    result = current_result()
    if result is None or not result.ok or not result.assessments:
        return None
    i = st.session_state.get(CHOICE_KEY, 0)
    return result.assessments[i if 0 <= i < len(result.assessments) else 0]


# --- numbers for the pages ----------------------------------------------------------------------
def scores(a: UploadedAssessment, instrument: Instrument, mandiri: bool = False) -> Scores:
    """Scores of the final levels, or of the self-assessed ones (final where none is given)."""
    return score_levels(instrument, {**a.levels, **a.mandiri} if mandiri else a.levels)


def components(a: UploadedAssessment, instrument: Instrument, means: pd.DataFrame | None = None) -> pd.DataFrame:
    """Aspect and domain values of the upload, shaped like queries/instansi_components.sql, with the
    national and category means from a component_means frame (missing → NaN)."""
    sc = scores(a, instrument)
    rows = [{"instrument_id": instrument.id, "jenis": "domain", "kode": d.kode, "label": d.label,
             "urutan": 10 + d.no, "nilai": sc.domain[d.no]} for d in instrument.domains]
    rows += [{"instrument_id": instrument.id, "jenis": "aspek", "kode": x.kode, "label": x.label,
              "urutan": 20 + x.no, "nilai": sc.aspek[x.no]} for x in instrument.aspects]
    comp = pd.DataFrame(rows)
    for col, kategori in (("rerata_nasional", "Nasional"), ("rerata_kategori", a.kategori_ringkas)):
        part = means[means["kategori"] == kategori] if means is not None and len(means) else None
        lookup = {} if part is None else dict(zip(zip(part["jenis"], part["komponen"]), part["nilai"]))
        comp[col] = [lookup.get((j, k)) for j, k in zip(comp["jenis"], comp["kode"])]
        comp[col] = comp[col].astype("float64")
    return comp


def means_year(a: UploadedAssessment, years: list[int], registry: InstrumentRegistry) -> int | None:
    """Warehouse year to compare with: the upload's year, else the latest one on its instrument."""
    same = [y for y in years if registry.for_year(y).id == a.instrument_id]
    return a.tahun if a.tahun in same else (max(same) if same else None)


def gap_table(a: UploadedAssessment, instrument: Instrument, guidance: dict) -> pd.DataFrame:
    """Indicators below the instrument's target level, biggest index loss first, with the
    requirement of their next level."""
    t = instrument.target_level
    rows = []
    for ind in instrument.indicators:
        lv = a.levels[ind.no]
        if lv < t:
            rows.append({"no_indikator": ind.no, "nama_indikator": ind.nama,
                         "kode_aspek": instrument.aspect(ind.no_aspek).kode, "level": lv, "target_level": t,
                         "kekurangan": t - lv, "bobot_indikator": float(ind.bobot),
                         "biaya_indeks": float((t - lv) * Fraction(ind.bobot) / 100),
                         "syarat": next_level_requirement(guidance, ind.no, lv) or "— (panduan belum tersedia)"})
    cols = ["no_indikator", "nama_indikator", "kode_aspek", "level", "target_level", "kekurangan",
            "bobot_indikator", "biaya_indeks", "syarat"]
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["biaya_indeks", "no_indikator"], ascending=[False, True], kind="stable").reset_index(drop=True)


def self_vs_final(a: UploadedAssessment, instrument: Instrument) -> pd.DataFrame:
    """Indicators whose self-assessed level differs from the final one, with the index points the
    difference is worth: (mandiri − final) × bobot / 100 (positive = self-assessment was higher)."""
    rows = []
    for no, m in sorted(a.mandiri.items()):
        f = a.levels[no]
        if m != f:
            ind = instrument.indicator(no)
            rows.append({"no_indikator": no, "nama_indikator": ind.nama,
                         "kode_aspek": instrument.aspect(ind.no_aspek).kode, "level_mandiri": m, "level_final": f,
                         "selisih_level": m - f, "bobot_indikator": float(ind.bobot),
                         "selisih_indeks": float((m - f) * Fraction(ind.bobot) / 100)})
    return pd.DataFrame(rows, columns=["no_indikator", "nama_indikator", "kode_aspek", "level_mandiri", "level_final",
                                       "selisih_level", "bobot_indikator", "selisih_indeks"])


# --- templates ----------------------------------------------------------------------------------
def template_frame(instrument: Instrument, tahun: int, instansi_id: str = "", nama: str = "") -> pd.DataFrame:
    """One row per indicator, levels blank: the layout the ETL reads as a 'long' levels table."""
    return pd.DataFrame({"instansi_id": instansi_id, "nama_instansi": nama, "tahun": int(tahun),
                         "no_indikator": list(instrument.indicator_numbers),
                         "nama_indikator": [i.nama for i in instrument.indicators],
                         "level": "", "level_mandiri": ""}, columns=TEMPLATE_COLUMNS)


def template_csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def template_xlsx(df: pd.DataFrame) -> bytes:
    """One sheet only (the reader warns when a workbook has several tables)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Nilai indikator"
    ws.append(list(df.columns))
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in df.itertuples(index=False):
        ws.append([None if v == "" else v for v in row])
    for col, width in zip("ABCDEFG", (26, 30, 8, 13, 70, 8, 14)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- other pages: show the session's upload -----------------------------------------------------
def add_to_profile_radar(fig, comp: pd.DataFrame, instansi_id: str | None, registry: InstrumentRegistry):
    """The profile radar plus the session's upload for the same instansi and instrument (else unchanged)."""
    a = active_upload()
    if a is None or a.instansi_id != instansi_id or comp.empty or comp["instrument_id"].iloc[0] != a.instrument_id:
        return fig
    import plotly.graph_objects as go

    from rendering.charts import component_label

    own = components(a, registry.by_id(a.instrument_id)).set_index(["jenis", "kode"])["nilai"]
    axes = [component_label(k, lab) for k, lab in zip(comp["kode"], comp["label"])]
    vals = [float(own.get((j, k))) for j, k in zip(comp["jenis"], comp["kode"])]
    out = go.Figure(fig)
    out.add_trace(go.Scatterpolar(r=vals + vals[:1], theta=axes + axes[:1], mode="lines+markers",
                                  name=plot(f"Unggahan sesi ini ({a.tahun}, {a.berkas})"),
                                  line={"color": "#009E73", "width": 2.5, "dash": "dash"},  # green: unused by the other series
                                  hovertemplate="%{theta}: %{r:.2f}<extra>unggahan sesi ini</extra>"))
    return out


def notice(instansi_id: str | None) -> None:
    """One line on a page about the instansi: an upload for it is active in this session."""
    a = active_upload()
    if a is not None and a.instansi_id == instansi_id:
        st.info(f"Sesi ini memuat penilaian unggahan **{md(a.label)}**. Kesenjangan, syarat level berikutnya dan "
                "rencana dari data unggahan ada di halaman *Penilaian mandiri & rencana* (hanya untuk sesi ini).",
                icon=":material/upload_file:")


# --- the upload widget --------------------------------------------------------------------------
def upload_panel(instansi: pd.DataFrame, registry: InstrumentRegistry, year: int, instansi_id: str | None) -> None:
    """File uploader (+ year/instansi for files without them) and template downloads. A new file is
    read once (keyed by its upload id and the two choices); removing it clears the session's result."""
    from ui.widgets import instansi_label

    labels = {r.instansi_id: instansi_label(r) for r in instansi.itertuples()}
    with st.expander("Unggah berkas · unduh templat", expanded=current_result() is None):
        c1, c2 = st.columns([3, 2])
        f = c1.file_uploader(f"LHE (teks/PDF) atau level indikator (CSV/XLSX), maks. {MAX_UPLOAD_MB} MB",
                             type=list(UPLOAD_TYPES), max_upload_size=MAX_UPLOAD_MB, key="pm_berkas")
        tahun = c2.selectbox("Tahun, bila berkas tidak memuatnya", range(2018, 2031), index=None, key="pm_tahun",
                             placeholder="dari berkas")
        inst = c2.selectbox("Instansi, bila berkas tidak memuatnya", list(labels), index=None,
                            format_func=labels.get, key="pm_instansi", placeholder="dari berkas")
        if f is not None and st.session_state.get("pm_sig") != (f.file_id, tahun, inst):
            st.session_state["pm_sig"] = (f.file_id, tahun, inst)
            with st.spinner(f"Membaca dan memeriksa {md(f.name)} …"):  # a PDF may take up to its time cap
                store(handle_upload(f.name, f.getvalue(), tahun=tahun, instansi=inst, registry=registry))
        elif f is None and st.session_state.pop("pm_sig", None):
            store(None)
        read = current_result()
        if f is not None and read is not None and read.catatan:
            c1.caption("Terbaca dari berkas (tanpa isian tahun/instansi): " + md("; ".join(read.catatan)) + ".")
        c1.caption("Berkas hanya diproses di sesi peramban ini: tidak disimpan ke gudang data atau ke disk dan "
                   "tidak terlihat oleh pengguna lain. Jenis berkas dikenali dari isinya, dan diperiksa dengan "
                   "aturan yang sama dengan impor data.")
        instruments = list(registry)
        ins = c2.selectbox("Templat untuk instrumen", instruments, index=len(instruments) - 1,
                           format_func=lambda i: i.nama, key="pm_tpl_instrumen")
        nama = instansi.set_index("instansi_id")["nama"].get(instansi_id, "") if instansi_id else ""
        tpl = template_frame(ins, min(max(year, ins.tahun_mulai), ins.tahun_akhir or year), instansi_id or "", nama)
        d1, d2 = c2.columns(2)
        d1.download_button("Templat CSV", template_csv(tpl), f"templat_level_{ins.id}.csv", "text/csv", key="pm_tpl_csv")
        d2.download_button("Templat XLSX", template_xlsx(tpl), f"templat_level_{ins.id}.xlsx", key="pm_tpl_xlsx")


DISPLAY_NAMES = {
    "no_indikator": "No", "nama_indikator": "Indikator", "kode_aspek": "Aspek", "level": "Level",
    "target_level": "Target", "kekurangan": "Kurang", "bobot_indikator": "Bobot (%)", "biaya_indeks": "Poin indeks",
    "level_mandiri": "Level mandiri", "level_final": "Level final", "selisih_level": "Selisih level",
    "selisih_indeks": "Selisih indeks", "tahun": "Tahun", "dari_level": "Dari", "ke_level": "Ke",
    "tingkat": "Tingkat", "tambah_indeks": "+ Indeks",
    "syarat": "Syarat level berikutnya (ringkasan PermenPANRB, bukan teks hukum)",
}


def display_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A display copy: Indonesian headers, id-ID numbers (index points to 3 decimals)."""
    from rendering.format import num

    out = df.copy()
    for col in ("biaya_indeks", "selisih_indeks", "tambah_indeks"):
        if col in out:
            out[col] = out[col].map(lambda v: num(v, 3))
    if "bobot_indikator" in out:
        out["bobot_indikator"] = out["bobot_indikator"].map(num)
    if "nama_indikator" in out:
        out["nama_indikator"] = out["nama_indikator"].str.replace(r"^Tingkat Kematangan ", "", regex=True)
    return out.rename(columns=DISPLAY_NAMES)
