"""Download controls under charts and tables, the Lembar RPJMD download on the profile page, and
the plan downloads (XLSX, Lembar RPJMD + own assessment and plan) on the Penilaian mandiri page.

Files are produced lazily: each `st.download_button` gets a callable that streamlit runs only
when the button is clicked (on its own thread, no rerun: ``on_click="ignore"``). The callables
go through bounded caches keyed by content (a figure's JSON digest, the table, the snapshot id),
so a second click, or another session asking for the same chart, is served from memory. The one
exception is anything holding an uploaded assessment: private to its session, so never cached.
"""
from __future__ import annotations

import hashlib
import re
from functools import partial

import pandas as pd
import plotly.io as pio
import streamlit as st

from rendering.export import FORMATS, figure_year, file_stem, prewarm_export_browser, source_line
from rendering.export_document import DOC_PIXELS, DOC_WIDTH_CM, document_bytes
from rendering.export_tables import table_csv, table_csv_excel, table_title, table_xlsx
from rendering.safe_text import md
from ui import data, figure_cache

CACHE_TTL_S = 1800
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@st.cache_data(max_entries=96, ttl=CACHE_TTL_S, show_spinner=False)
def _chart_file(digest: str, fmt: str, _spec: str) -> bytes:
    """Rendered chart laid out for a Word page (rendering.export_document); `digest` (sha256 of the
    figure JSON) is the cache key, `_spec` is not hashed."""
    return document_bytes(pio.from_json(_spec, skip_invalid=True), fmt)


@st.cache_data(max_entries=64, ttl=CACHE_TTL_S, show_spinner=False)
def _table_file(df: pd.DataFrame, fmt: str, title: str, synthetic: bool, source: str) -> bytes:
    if fmt == "csv":
        return table_csv_excel(df, title=title, synthetic=synthetic, source=source)
    if fmt == "csv_titik":
        return table_csv(df)
    return table_xlsx(df, title=title, synthetic=synthetic, source=source)


@st.cache_data(max_entries=32, ttl=CACHE_TTL_S, show_spinner=False)
def _brief_file(snapshot: str, instansi_id: str, year: int, fmt: str, _wh) -> bytes:
    """One Lembar RPJMD; keyed by snapshot id so a newly published snapshot gives a fresh brief."""
    from briefs import brief_docx, brief_pdf

    brief = _brief(snapshot, instansi_id, year, _wh)
    return brief_pdf(brief) if fmt == "pdf" else brief_docx(brief)


@st.cache_data(max_entries=16, ttl=CACHE_TTL_S, show_spinner=False)
def _brief(snapshot: str, instansi_id: str, year: int, _wh):
    from briefs import build_brief

    return build_brief(_wh, instansi_id, year)


def chart_download_controls(fig, name: str, key: str, *, tahun: int | None = None, spec: str | None = None,
                            digest: str | None = None) -> None:
    """'Unduh grafik' popover with PNG (1600 px wide = 16 cm at 254 dpi), SVG and PDF rendered on the
    server on click, laid out for a Word page: narrower canvas, same text, square radar. A cached
    chart (ui/figure_cache.py) comes with its JSON `spec` and `digest`, computed once."""
    prewarm_export_browser()  # the first click then finds chromium already running
    if spec is None or digest is None:
        spec = fig.to_json()
        digest = hashlib.sha256(spec.encode("utf-8")).hexdigest()
    stem = file_stem(name, tahun if tahun is not None else figure_year(fig))
    with st.popover("Unduh grafik", icon=":material/download:", key=f"{key}_pop"):
        st.caption(f"Siap untuk dokumen Word: PNG {DOC_PIXELS} px untuk lebar {DOC_WIDTH_CM} cm, teks terbaca pada "
                   "ukuran itu; lengkap dengan judul, sumber dan tanda data.")
        for fmt, label in (("png", "PNG (resolusi tinggi)"), ("svg", "SVG (vektor)"), ("pdf", "PDF (vektor)")):
            st.download_button(label, data=partial(_chart_file, digest, fmt, spec), file_name=f"{stem}.{fmt}",
                               mime=FORMATS[fmt], key=f"{key}_{fmt}", on_click="ignore", width="stretch")


_ID = r"(?:^|_)([a-z]+-\d[\d.]*)"


def _single_year(df: pd.DataFrame, name: str = "") -> int | None:
    """The one year of a table: its `tahun` column, else a year at the end of its name ('…_2024')."""
    if "tahun" in df.columns:
        years = df["tahun"].dropna().unique()
        return int(years[0]) if len(years) == 1 else None
    found = re.search(r"_((?:19|20)\d\d)$", name)
    return int(found.group(1)) if found else None


@st.cache_resource(max_entries=8, ttl=CACHE_TTL_S, show_spinner=False)
def _names(scope: tuple[str, str]) -> dict[str, str]:
    """Instansi names by id of one snapshot (`figure_cache.scope()`: a session with uploads has its own), built
    once and read only: the dict was built from 6 400 Arrow strings per table per rerun (29 % of a profile
    rerun at 10×, issue 14)."""
    lst = data.run("instansi_list")
    return dict(zip(lst["instansi_id"].tolist(), lst["nama"].tolist()))


def _instansi_names(ids: list[str]) -> list[str]:
    """Names of the instansi ids a table's name carries (ids themselves where unknown)."""
    try:
        known = _names(figure_cache.scope())
    except Exception:  # noqa: BLE001 — a title falls back to the ids, never fails a download
        known = {}
    return [str(known.get(i, i)) for i in ids]


_FILTERS = "_unduh_filter"


def table_filters(name: str, **filters) -> None:
    """Name the filters a page applied to the table `name` (shown under the same name on this run),
    e.g. ``table_filters("peringkat_2024", kategori=["Kota"], provinsi=["Banten"])``: the CSV/XLSX
    title row then says them."""
    st.session_state.setdefault(_FILTERS, {})[name] = filters


def _one_name(names: pd.Series) -> bool:
    """Whether a table's rows are of one instansi: two different names in its first rows say no without counting
    every row's name (nunique over the 6 400-row ranking was 5 % of its rerun, issue 14)."""
    if len(names) > 1 and isinstance(first := names.iat[0], str) and isinstance(second := names.iat[1], str) \
            and first != second:
        return False
    return names.nunique() == 1


def _table_title(df: pd.DataFrame, name: str) -> str:
    """'Peringkat 2024 · kategori: Kota · provinsi: Banten'; a table of one instansi names it
    (instansi ids are dropped from the file name's words)."""
    filters = dict((st.session_state.get(_FILTERS) or {}).get(name) or {})
    if "nama" in df.columns and "instansi" not in filters and _one_name(df["nama"]):
        filters = {"instansi": str(df["nama"].iloc[0]), **filters}
    elif "nama" not in df.columns and "instansi" not in filters and (ids := re.findall(_ID, name)):
        filters = {"instansi": ", ".join(_instansi_names(ids)), **filters}
    words = re.sub(_ID, "", name)
    return table_title(words, filters)


def table_download_controls(df: pd.DataFrame, name: str, synthetic: bool = False, key: str | None = None) -> None:
    """CSV (Excel Indonesia), CSV (decimal point) and XLSX of the raw numbers (not the formatted
    display copy), titled with the table's name and the filters used."""
    key = key or f"tbl_{file_stem(name)}"
    tahun = _single_year(df, name)
    stem = file_stem(name, tahun)
    source = source_line(tahun, synthetic=synthetic)
    title = _table_title(df, name)
    with st.container(horizontal=True, gap="small"):
        st.download_button("CSV", data=partial(_table_file, df, "csv", title, synthetic, source),
                           file_name=f"{stem}.csv", mime="text/csv", key=f"{key}_csv", on_click="ignore",
                           icon=":material/download:",
                           help="Untuk Excel berbahasa Indonesia: pemisah titik koma (;), desimal koma, judul dan "
                                "filter di baris pertama.")
        st.download_button("CSV titik desimal", data=partial(_table_file, df, "csv_titik", title, synthetic, source),
                           file_name=f"{stem}_data.csv", mime="text/csv", key=f"{key}_csv_titik", on_click="ignore",
                           icon=":material/download:",
                           help="Untuk olah data (pandas, R, DuckDB): pemisah koma, desimal titik, nama kolom asli.")
        st.download_button("XLSX", data=partial(_table_file, df, "xlsx", title, synthetic, source),
                           file_name=f"{stem}.xlsx", mime=XLSX_MIME, key=f"{key}_xlsx", on_click="ignore",
                           icon=":material/download:", help="Angka tetap angka; tampil dengan desimal koma di Excel id-ID.")


def brief_download_controls(instansi_id: str, year: int, key: str = "brief") -> None:
    """'Unduh Lembar RPJMD (DOCX/PDF)' for the profile page; the brief is built on the first click."""
    wh = data.current()
    if wh is None or not instansi_id:
        return
    stem = file_stem(f"lembar_rpjmd_{instansi_id}_{year}")
    with st.popover("Unduh Lembar RPJMD (DOCX/PDF)", icon=":material/description:", key=f"{key}_pop"):
        st.caption("Ringkasan satu instansi untuk penyusunan RPJMD/Renstra: indeks, predikat, grafik, "
                   "kesenjangan terhadap target dan syarat level berikutnya. Pembuatan pertama ±5 detik.")
        st.download_button("DOCX (bisa disunting)", data=partial(_brief_file, wh.snapshot_id, instansi_id, int(year), "docx", wh),
                           file_name=f"{stem}.docx", mime=DOCX_MIME, key=f"{key}_docx", on_click="ignore",
                           width="stretch")
        st.download_button("PDF (siap cetak)", data=partial(_brief_file, wh.snapshot_id, instansi_id, int(year), "pdf", wh),
                           file_name=f"{stem}.pdf", mime="application/pdf", key=f"{key}_pdf", on_click="ignore",
                           width="stretch")


def _plan_brief_file(snapshot: str, instansi_id: str, year: int, fmt: str, wh, assessment, plan: dict) -> bytes:
    """Lembar RPJMD plus the session's own assessment and plan. The warehouse part comes from the
    bounded brief cache; the upload part is added on each click and never cached (it is private)."""
    from briefs import brief_docx, brief_pdf, with_assessment

    brief = with_assessment(_brief(snapshot, instansi_id, year, wh), assessment, plan)
    return brief_pdf(brief) if fmt == "pdf" else brief_docx(brief)


def plan_export_frame(sec: dict) -> pd.DataFrame:
    """The plan as one table: each year's row, repeated for each of its level-ups."""
    years = pd.DataFrame(sec["tahun"]).drop(columns="indikator_dinaikkan")
    return years.merge(pd.DataFrame(sec["kenaikan"]), on="tahun", how="left") if sec["kenaikan"] else years


def plan_download_controls(a, sec: dict, key: str = "pm_unduh") -> None:
    """Under the plan, side by side: the plan as XLSX, and the Lembar RPJMD of the upload's instansi
    with the upload's scores and this plan as its own section (DOCX/PDF, built on click). The
    warehouse figures are of the upload's year, or of the instansi's latest year on the same
    instrument when that year is not in the warehouse (the brief says so)."""
    from briefs import comparison_year

    wh = data.current()
    year = None if wh is None else comparison_year(data.run("instansi_trend", instansi_ids=[a.instansi_id]),
                                                   a.tahun, a.instrument_id)
    with st.container(horizontal=True, gap="small"):
        st.download_button("Unduh rencana (XLSX)", partial(table_xlsx, plan_export_frame(sec), source=sec["ringkasan"],
                                                           title=f"{sec['judul']} — {a.nama}"),
                           f"rencana_spbe_{a.instansi_id}.xlsx", mime=XLSX_MIME, key="pm_unduh_rencana",
                           on_click="ignore", icon=":material/download:")
        if year is None:
            st.caption(f"Lembar RPJMD tidak tersedia: {md(a.nama)} belum ada di gudang data.")
            return
        stem = file_stem(f"lembar_rpjmd_{a.instansi_id}_{year}_rencana")
        with st.popover("Unduh Lembar RPJMD + rencana (DOCX/PDF)", icon=":material/description:", key=f"{key}_pop"):
            kind = "LHE resmi" if str(getattr(a, "sumber", "")).startswith("LHE resmi") else "penilaian sendiri"
            st.caption(f"Lembar RPJMD {md(a.nama)} (gudang data {year}) dengan {kind} dari {md(a.berkas)} "
                       "dan rencana ini sebagai bagiannya. "
                       + ("" if year == a.tahun else f"Tahun {a.tahun} tidak ada di gudang data: pembanding tahun {year}. ")
                       + "Dibuat saat diklik, tidak disimpan di server.")
            for fmt, label, mime in (("docx", "DOCX (bisa disunting)", DOCX_MIME), ("pdf", "PDF (siap cetak)", "application/pdf")):
                st.download_button(label, data=partial(_plan_brief_file, wh.snapshot_id, a.instansi_id, year, fmt, wh, a, sec),
                                   file_name=f"{stem}.{fmt}", mime=mime, key=f"{key}_{fmt}", on_click="ignore",
                                   width="stretch")
