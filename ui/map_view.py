"""What Peta shows of a year and metric, derived once per (snapshot, year, metric) and kept read only (issue 14).

A warm rerun (and every metric switch) read the province frame (a cached query hit unpickles a fresh frame),
hashed it to find the metric's notes and table (`st.cache_data`: a hash, then an unpickled copy of three
objects) and converted the display table to Arrow. Here that is done once per (snapshot, year, metric); the
key holds `figure_cache.scope()`, so a new snapshot or a session with uploads gets its own view.
"""
from __future__ import annotations

from types import SimpleNamespace

import streamlit as st
from streamlit.dataframe_util import convert_pandas_df_to_arrow_table as arrow

from rendering import format as fmt
from rendering import maps
from rendering.safe_text import md
from ui import data, figure_cache

CACHE_TTL_S = 1800
BUILDS = {"n": 0}   # for tests: a warm rerun builds none


def view(year: int, value_col: str) -> SimpleNamespace:
    """The province frame of `year` and, when `value_col` has values, its notes and table (shared, read only)."""
    return _view(figure_cache.scope(), int(year), value_col)


@st.cache_resource(max_entries=32, ttl=CACHE_TTL_S, show_spinner=False)
def _view(scope: tuple[str, str], year: int, value_col: str) -> SimpleNamespace:
    BUILDS["n"] += 1
    pm = data.run("province_map", year=year)
    if pm.empty or pm[value_col].notna().sum() == 0:
        return SimpleNamespace(pm=pm, empty=True)
    split, table, display = _metric_view(pm, value_col)
    return SimpleNamespace(pm=pm, empty=False, split=split, table=table, display=arrow(display))


def _metric_view(pm, value_col: str):
    """The note on the provinces drawn on their parent's polygon, and the province table (raw, display) in
    the metric's order."""
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


def highlight(instansi_id: str) -> str | None:
    """The map polygon outlined for the instansi under study (its province's, or its parent province's for a newer
    province), None for a central instansi: once per (snapshot, instansi), not the instansi list read per rerun."""
    return _highlight(figure_cache.scope(), instansi_id)


@st.cache_resource(max_entries=256, ttl=CACHE_TTL_S, show_spinner=False)
def _highlight(scope: tuple[str, str], instansi_id: str) -> str | None:
    lst = data.run("instansi_list")
    me = lst[lst["instansi_id"] == instansi_id]
    if len(me) and me["kelompok"].iloc[0] == "Pemerintah Daerah" and isinstance(me["kode_wilayah"].iloc[0], str):
        kode = me["kode_wilayah"].iloc[0][:2]
        return maps.load_parents().set_index("kode_provinsi")["kode_provinsi_peta"].get(kode, kode)
    return None
