"""Peta: province choropleth of the provincial government's index or the kab/kota mean (offline map)."""
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from rendering import maps
from rendering.export import decorate, source_line
from ui import data, map_view, widgets
from ui.chart_view import FrozenFigure  # its dict and JSON made once: no copy, no to_json per rerun

METRICS = {
    "pemprov": ("indeks_pemprov", None, "Indeks pemerintah provinsi", "Indeks pemprov"),
    "kabkota": ("rerata_kabkota", "jumlah_kabkota", "Rerata indeks kab/kota (dihitung ulang)", "Rerata kab/kota"),
}


@st.cache_resource(ttl=data.CACHE_TTL_S, max_entries=32, show_spinner=False)
def map_figure(pm: pd.DataFrame, metric: str, year: int, highlight: str | None, synthetic: bool) -> go.Figure:
    """The decorated map, built once per (data, metric, outlined polygon) and shared by every session:
    it carries the GeoJSON, so building, validating and decorating it was most of this page's time.
    Never modified afterwards (show_chart sees it decorated and only draws it)."""
    value_col, weight_col, label, short = METRICS[metric]
    poly = maps.polygon_values(pm, value_col, maps.load_parents(), weight_col=weight_col)
    fig = maps.province_choropleth(poly, maps.load_geojson(), value_label=short, title=f"{label} per provinsi, {year}",
                                   highlight_kode=highlight, color_note="nilai provinsi induk")
    return FrozenFigure(decorate(fig, source=source_line(year, synthetic=synthetic), synthetic=synthetic))


ctx = widgets.bootstrap(
    "Peta",
    "Indeks SPBE per provinsi: indeks pemerintah provinsi atau rerata indeks kabupaten/kota di provinsi itu. "
    "Peta digambar dari berkas batas provinsi lokal (tanpa koneksi internet).")


@st.fragment
def map_section(highlight: str | None, year: int, synthetic: bool) -> None:
    """The metric and everything it drives (map, notes, table): changing the metric reruns only this
    (issue 14), not the page's bootstrap. It reads its frame itself (a cached query) so that the frame and the
    map's cache key (this run's snapshot) always match."""
    if "f_metrik" not in st.session_state:
        st.session_state["f_metrik"] = st.query_params.get("metrik") if st.query_params.get("metrik") in METRICS else "pemprov"
    metric = st.radio("Ukuran yang dipetakan", list(METRICS), format_func=lambda m: METRICS[m][2], horizontal=True,
                      key="f_metrik", on_change=lambda: st.query_params.update(metrik=st.session_state["f_metrik"]))
    st.query_params["metrik"] = metric
    value_col, _, label, _ = METRICS[metric]
    v = map_view.view(year, value_col)   # frame, notes and table once per (snapshot, year, metric), read only
    if v.empty:
        widgets.empty_state(f"Belum ada nilai {label.lower()} untuk {year}",
                            "Gudang data tidak memuat nilai pemerintah daerah pada tahun ini.",
                            "pilih tahun lain di filter global atau ukuran lain.")
        return
    widgets.show_chart(lambda: map_figure(v.pm, metric, year, highlight, synthetic), f"peta_{metric}", tahun=year,
                       synthetic=synthetic, cache=(metric, year, highlight))  # no to_json + sha256 of the map per rerun

    notes = [v.split] if v.split else []
    notes.append("Abu-abu = tidak ada nilai (tidak dievaluasi, atau — untuk rerata kab/kota — tidak ada kab/kota "
                 "otonom seperti DKI Jakarta), bukan nol.")
    if highlight:
        notes.append("Garis tepi tebal = provinsi instansi yang dikaji.")
    if metric == "kabkota":
        notes.append("Rerata kab/kota = rerata sederhana indeks kabupaten dan kota yang dievaluasi, dihitung ulang dari "
                     "gudang data (bukan angka resmi).")
    st.caption(" ".join(notes))
    st.subheader(f"Tabel per provinsi, {year}")
    widgets.show_table(v.table, f"peta_provinsi_{year}", display=v.display, synthetic=synthetic)


map_section(map_view.highlight(ctx.instansi_id), ctx.year, ctx.synthetic)
