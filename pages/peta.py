"""Peta: province choropleth of the provincial government's index or the kab/kota mean (offline map)."""
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from rendering import format as fmt
from rendering import maps
from rendering.export import decorate, source_line
from rendering.safe_text import md
from ui import data, widgets
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


@st.cache_data(ttl=data.CACHE_TTL_S, max_entries=32, show_spinner=False)
def metric_view(pm: pd.DataFrame, metric: str) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    """The note on the provinces drawn on their parent's polygon, and the province table (raw, display) in
    the metric's order: once per (data, metric), not per rerun (reading the parents file, the merge and the
    id-ID text were most of a metric switch after the map, issue 14)."""
    value_col = METRICS[metric][0]
    parents = maps.load_parents()
    with_value = set(pm.loc[pm[value_col].notna(), "kode_provinsi"])
    kids = maps.mapped_children(parents, present=with_value)
    split = ""
    if len(kids):
        groups = kids.groupby("provinsi_induk", sort=False)["provinsi"].apply(lambda s: ", ".join(map(md, s)))
        split = ("Peta dasar (Natural Earth, 33 provinsi) belum memuat provinsi hasil pemekaran; provinsi itu "
                 "digambar pada poligon induknya: " + "; ".join(f"{v} → {md(k)}" for k, v in groups.items())
                 + ". Warna poligon = nilai provinsi induk; nilai provinsi baru ada di keterangan (arahkan kursor) "
                 "dan di tabel.")
    table = maps.province_table(pm, parents).sort_values(value_col, ascending=False, na_position="last")
    table = table[["kode_provinsi", "provinsi", "indeks_pemprov", "rerata_kabkota", "jumlah_kabkota", "digambar_pada"]]
    # id-ID text ("3,40" / "—"): st.dataframe would draw a missing number as "None"; text of this shape sorts right
    display = table.assign(indeks_pemprov=table["indeks_pemprov"].map(fmt.num),
                           rerata_kabkota=table["rerata_kabkota"].map(fmt.num)).rename(columns={
        "kode_provinsi": "Kode", "provinsi": "Provinsi", "indeks_pemprov": "Indeks pemprov",
        "rerata_kabkota": "Rerata kab/kota (dihitung ulang)", "jumlah_kabkota": "Kab/kota dievaluasi",
        "digambar_pada": "Digambar pada poligon"})
    return split, table, display


@st.cache_data(ttl=data.CACHE_TTL_S, max_entries=64, show_spinner=False)
def map_polygon(kode: str) -> str:
    """The map polygon a province is drawn on (its own, or its parent's for a newer province)."""
    return maps.load_parents().set_index("kode_provinsi")["kode_provinsi_peta"].get(kode, kode)


ctx = widgets.bootstrap(
    "Peta",
    "Indeks SPBE per provinsi: indeks pemerintah provinsi atau rerata indeks kabupaten/kota di provinsi itu. "
    "Peta digambar dari berkas batas provinsi lokal (tanpa koneksi internet).")


@st.fragment
def map_section(highlight: str | None, year: int, synthetic: bool) -> None:
    """The metric and everything it drives (map, notes, table): changing the metric reruns only this
    (issue 14), not the page's bootstrap. It reads its frame itself (a cached query) so that the frame and the
    map's cache key (this run's snapshot) always match."""
    pm = data.run("province_map", year=year)
    if "f_metrik" not in st.session_state:
        st.session_state["f_metrik"] = st.query_params.get("metrik") if st.query_params.get("metrik") in METRICS else "pemprov"
    metric = st.radio("Ukuran yang dipetakan", list(METRICS), format_func=lambda m: METRICS[m][2], horizontal=True,
                      key="f_metrik", on_change=lambda: st.query_params.update(metrik=st.session_state["f_metrik"]))
    st.query_params["metrik"] = metric
    value_col, _, label, _ = METRICS[metric]
    if pm.empty or pm[value_col].notna().sum() == 0:
        widgets.empty_state(f"Belum ada nilai {label.lower()} untuk {year}",
                            "Gudang data tidak memuat nilai pemerintah daerah pada tahun ini.",
                            "pilih tahun lain di filter global atau ukuran lain.")
        return
    widgets.show_chart(lambda: map_figure(pm, metric, year, highlight, synthetic), f"peta_{metric}", tahun=year,
                       synthetic=synthetic, cache=(metric, year, highlight))  # no to_json + sha256 of the map per rerun

    split, table, display = metric_view(pm, metric)
    notes = [split] if split else []
    notes.append("Abu-abu = tidak ada nilai (tidak dievaluasi, atau — untuk rerata kab/kota — tidak ada kab/kota "
                 "otonom seperti DKI Jakarta), bukan nol.")
    if highlight:
        notes.append("Garis tepi tebal = provinsi instansi yang dikaji.")
    if metric == "kabkota":
        notes.append("Rerata kab/kota = rerata sederhana indeks kabupaten dan kota yang dievaluasi, dihitung ulang dari "
                     "gudang data (bukan angka resmi).")
    st.caption(" ".join(notes))
    st.subheader(f"Tabel per provinsi, {year}")
    widgets.show_table(table, f"peta_provinsi_{year}", display=display, synthetic=synthetic)


me = ctx.instansi[ctx.instansi["instansi_id"] == ctx.instansi_id]
highlight = None
if len(me) and me["kelompok"].iloc[0] == "Pemerintah Daerah" and isinstance(me["kode_wilayah"].iloc[0], str):
    highlight = map_polygon(me["kode_wilayah"].iloc[0][:2])
map_section(highlight, ctx.year, ctx.synthetic)
