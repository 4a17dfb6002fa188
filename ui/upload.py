"""Bring-your-own assessment: an uploaded LHE or indicator-level file, private to the session.

Why this UI module imports ``etl.readers`` (pages never import etl/): an upload must be judged
by exactly the rules the ETL applies — the same content sniffing, column detection, instansi
matching and level checks, with the same messages — so the readers are called, not copied.
The readers are pure (bytes in, frames + report out; no Streamlit, no writes), and this module
is the single adapter that turns their result into plain frames for the pages.

Privacy: the parsed result lives only in ``st.session_state`` of the browser session; nothing is
cached across sessions (no ``st.cache_*`` here) and nothing is published to the warehouse. The
accepted uploads are also published, with the ETL's publish code, into this session's private
copy of the published snapshot (a temporary folder, removed with the uploads or the session), so
every page shows them as that instansi's data: ``sync_session_warehouse`` and ui/session_data.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pandas as pd
import streamlit as st

from domain.guidance import next_level_requirement
from domain.instrument import Instrument, InstrumentRegistry
from domain.kategori import MIN_MEAN_INSTANSI
from domain.scoring import Scores, score_levels
from rendering.safe_text import md, plot
from ui import public, session_data, template_view, typeahead
from ui.upload_templates import TEMPLATE_COLUMNS, template_csv, template_frame, template_xlsx  # noqa: F401 (re-exported)

MAX_UPLOAD_MB = 5
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1_000_000
UPLOAD_TYPES = ("csv", "xlsx", "txt", "pdf")
REPORT_LIMIT = 200            # issue lines shown (as the ETL prints them)
SESSION_KEY = "pm_unggahan"   # UploadResult of this session (several files: merged, see `merge`)
FILES_KEY = "pm_unggahan_berkas"  # (file id, year, instansi) -> UploadResult of each file read in this session
CHOICE_KEY = "pm_pilihan"     # index of the active assessment when a file holds several


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

    @property
    def sumber(self) -> str:
        """'LHE resmi KemenPANRB (unggahan sesi ini)' or 'penilaian mandiri (unggahan sesi ini)'."""
        return session_data.source_label(self.format)


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
def merge(results: list[UploadResult]) -> UploadResult | None:
    """Several files read in one session as one result: the accepted files' assessments (a later
    file's instansi-year replaces an earlier one's), the rejected files named in `reason`."""
    if len(results) <= 1:
        return results[0] if results else None
    ok, bad = [r for r in results if r.ok], [r for r in results if not r.ok]
    found = {(a.instansi_id, a.tahun): a for r in ok for a in r.assessments}
    formats = {r.format for r in ok}
    return UploadResult(
        berkas=", ".join(r.berkas for r in results), ok=bool(found),
        text="\n".join(f"— {r.berkas} —\n{r.text}" for r in results if r.text),
        errors=sum(r.errors for r in results), warnings=sum(r.warnings for r in results),
        format=formats.pop() if len(formats) == 1 else None,
        assessments=tuple(found[k] for k in sorted(found)),
        reason="; ".join(f"{r.berkas}: {r.reason or 'ditolak (lihat laporan pemeriksaan)'}" for r in bad) or None,
        catatan=tuple(f"{r.berkas}: {c}" for r in results for c in r.catatan))


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


# --- the session's private warehouse (ui/session_data.py) -------------------------------------------
FAILED_KEY = "sesi_gudang_gagal"   # (signature, published snapshot, message) of a build that failed


def sync_session_warehouse() -> None:
    """Keep this session's private warehouse in step with its accepted uploads and the published
    snapshot: built when they change, dropped when the uploads are removed (called by ui.data)."""
    result = current_result()
    found = result.assessments if result is not None and result.ok else ()
    sw = session_data.get()
    if not found:
        if sw is not None:
            session_data.clear()
        return
    from domain.warehouse_layout import current_snapshot, warehouse_dir

    base = current_snapshot(warehouse_dir())
    sig = session_data.signature(found)
    if base is None or (sw is not None and sw.signature == sig and sw.base == base.name):
        return
    if st.session_state.get(FAILED_KEY, (None,))[:2] == (sig, base.name):
        return
    try:
        session_data.put(build_session_warehouse(found, base, sig))
        st.session_state.pop(FAILED_KEY, None)
    except Exception as exc:  # noqa: BLE001 — the page still shows the upload itself; other pages say why not
        st.session_state[FAILED_KEY] = (sig, base.name, str(exc))
        if sw is not None and sw.signature != sig:
            session_data.clear()


def build_session_warehouse(found, base: Path, sig: tuple) -> session_data.SessionWarehouse:
    """Publish the uploads ON TOP of a copy of the published snapshot `base` into a private folder,
    with the ETL's publish code (same scoring and checks as `python -m etl import`). `base` is only
    read: the private warehouse reaches it through a symbolic link that is removed afterwards."""
    import os

    from domain.warehouse_layout import POINTER_FILE, SNAPSHOT_DIR
    from etl.publish import Source, Step, publish_lock, publish_steps_locked

    root = session_data.new_dir()
    link = root / SNAPSHOT_DIR / base.name
    link.parent.mkdir()
    os.symlink(base, link, target_is_directory=True)
    (root / POINTER_FILE).write_text(base.name + "\n", encoding="utf-8")
    steps = []
    for k, a in enumerate(found):
        levels = pd.DataFrame({"tahun": a.tahun, "instansi_id": a.instansi_id, "instrument_id": a.instrument_id,
                               "no_indikator": list(a.levels), "level": list(a.levels.values()),
                               "level_mandiri": pd.array([a.mandiri.get(n) for n in a.levels], dtype="Int64")})
        jenis = "lhe" if a.format.startswith("lhe-") else "template"
        steps.append(Step(Source(sumber_id=f"sesi-{k}-{jenis}", nama=f"{a.sumber}: {a.berkas}", jenis=jenis,
                                 sintetis=False, berkas=a.berkas), levels=levels))
    try:
        with publish_lock(root):
            result = publish_steps_locked(root, steps, keep=0)
    finally:
        link.unlink(missing_ok=True)
    covered = tuple(session_data.Covered(a.instansi_id, a.nama, a.tahun, a.sumber, a.berkas) for a in found)
    return session_data.SessionWarehouse(root=root, snapshot_id=result.snapshot_id, base=base.name,
                                         covered=covered, signature=sig)


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
        if part is not None and "jumlah_instansi" in part.columns:  # a handful of instansi is no mean
            part = part[part["jumlah_instansi"] >= MIN_MEAN_INSTANSI]
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


# --- other pages: show the session's upload -----------------------------------------------------
def add_to_profile_radar(fig, comp: pd.DataFrame, instansi_id: str | None, registry: InstrumentRegistry,
                         tahun: int | None = None):
    """The profile radar plus the session's upload for the same instansi and instrument (else unchanged).
    Not for the upload's own year: there the instansi's series already is the upload (ui/session_data.py)."""
    a = active_upload()
    if (a is None or a.instansi_id != instansi_id or comp.empty or comp["instrument_id"].iloc[0] != a.instrument_id
            or a.tahun == tahun):
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


# --- the upload widget --------------------------------------------------------------------------
def upload_panel(instansi: pd.DataFrame, registry: InstrumentRegistry, year: int, instansi_id: str | None) -> None:
    """File uploader (+ year/instansi for files without them) and template downloads. A new file is
    read once (keyed by its upload id and the two choices); removing it clears the session's result."""
    with st.expander("Unggah berkas · unduh templat", expanded=current_result() is None):
        c1, c2 = st.columns([3, 2])
        files = c1.file_uploader(f"LHE (teks/PDF) atau level indikator (CSV/XLSX), boleh beberapa berkas (mis. beberapa "
                                 f"tahun), maks. {MAX_UPLOAD_MB} MB per berkas", type=list(UPLOAD_TYPES),
                                 max_upload_size=MAX_UPLOAD_MB, key="pm_berkas", accept_multiple_files=True) or []
        tahun = c2.selectbox("Tahun, bila berkas tidak memuatnya", range(2018, 2031), index=None, key="pm_tahun",
                             placeholder="dari berkas")
        with c2:   # type-ahead: the instansi under study + matches of a search, never all of them (issue 14)
            inst = typeahead.one_from_frame("Instansi, bila berkas tidak memuatnya", "pm_instansi", instansi,
                                            [instansi_id], "dari berkas")
        sig = (tuple(f.file_id for f in files), tahun, inst)
        if files and st.session_state.get("pm_sig") != sig:
            st.session_state["pm_sig"] = sig
            done = st.session_state.get(FILES_KEY, {})   # a file already read is not read again
            for f in files:
                if (f.file_id, tahun, inst) not in done:
                    with st.spinner(f"Membaca dan memeriksa {md(f.name)} …"):  # a PDF may take up to its time cap
                        done[(f.file_id, tahun, inst)] = handle_upload(f.name, f.getvalue(), tahun=tahun, instansi=inst,
                                                                       registry=registry)
            st.session_state[FILES_KEY] = {k: done[k] for k in ((f.file_id, tahun, inst) for f in files)}
            store(merge(list(st.session_state[FILES_KEY].values())))
        elif not files and st.session_state.pop("pm_sig", None):
            st.session_state.pop(FILES_KEY, None)
            store(None)
        read = current_result()
        if files and read is not None and read.catatan:
            c1.caption("Terbaca dari berkas (tanpa isian tahun/instansi): " + md("; ".join(read.catatan)) + ".")
        keep = "" if public.enabled() else (" Untuk menyimpannya permanen di komputer sendiri (satu pengguna): impor "
                                            "dengan `python -m etl import BERKAS`.")
        c1.caption("Berkas hanya berlaku di sesi peramban ini: semua halaman (profil, tren, kesenjangan, perbandingan, "
                   "rencana, lembar RPJMD) memakainya sebagai data instansi-tahun itu, dengan label sumbernya, tetapi "
                   "tidak diterbitkan ke gudang data dan tidak terlihat oleh pengguna lain; salinan sementaranya dihapus "
                   "bila berkas dilepas atau sesi berakhir. Jenis berkas dikenali dari isinya, dan diperiksa dengan "
                   "aturan yang sama dengan impor data." + keep)
        instruments = list(registry)
        ins = c2.selectbox("Templat untuk instrumen", instruments, index=len(instruments) - 1,
                           format_func=lambda i: i.nama, key="pm_tpl_instrumen")
        nama = instansi.set_index("instansi_id")["nama"].get(instansi_id, "") if instansi_id else ""
        # made once per (instrument, year, instansi): the workbook was written on every rerun (issue 14)
        csv, xlsx = template_view.files(ins, min(max(year, ins.tahun_mulai), ins.tahun_akhir or year), instansi_id or "", nama)
        d1, d2 = c2.columns(2)
        d1.download_button("Templat CSV", csv, f"templat_level_{ins.id}.csv", "text/csv", key="pm_tpl_csv")
        d2.download_button("Templat XLSX", xlsx, f"templat_level_{ins.id}.xlsx", key="pm_tpl_xlsx")
    sync_session_warehouse()  # the other pages (and this one) read the new uploads, or none, from now on


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
