"""What Bandingkan shows of a selection, derived once per (snapshot, year, selection) and kept read only (issue 14).

A warm rerun read the instansi list (6 400 rows at 10× unpickled for four names), the ranking, the component
and index trends (each cached query hit unpickles a fresh frame), filtered and formatted them. Here that is
done once per (snapshot, year, selection in its order); the key holds `figure_cache.scope()`, so a new
snapshot or a session with uploads gets its own view. The summary table is kept as the Arrow table
st.dataframe would make of it.
"""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import streamlit as st
from streamlit.dataframe_util import convert_pandas_df_to_arrow_table as arrow

from rendering import charts
from rendering.format import format_frame
from ui import data, figure_cache

CACHE_TTL_S = 1800
BUILDS = {"n": 0}   # for tests: a warm rerun builds none
SUMMARY_COLS = ["nama", "kategori", "provinsi", "indeks", "predikat", "peringkat_kategori", "peringkat"]


def view(year: int, sel: list[str]) -> SimpleNamespace:
    """The selection's summary, components and trend in `year` on this session's snapshot (shared, read only)."""
    return _view(figure_cache.scope(), int(year), tuple(sel))


@st.cache_resource(max_entries=64, ttl=CACHE_TTL_S, show_spinner=False)
def _view(scope: tuple[str, str], year: int, sel: tuple[str, ...]) -> SimpleNamespace:
    BUILDS["n"] += 1
    order = list(sel)

    def in_selection_order(df: pd.DataFrame) -> pd.DataFrame:
        """Rows ordered like the selection, so each instansi keeps its colour in every chart."""
        return df.assign(_urut=df["instansi_id"].map(order.index)).sort_values("_urut", kind="stable").drop(columns="_urut")

    lst = data.run("instansi_list")
    names = lst.set_index("instansi_id")["nama"]
    rank = data.run("ranking", year=year)
    summary = in_selection_order(rank[rank["instansi_id"].isin(order)])
    present = set(summary["instansi_id"])
    display = None
    if not summary.empty:
        display = arrow(format_frame(summary[SUMMARY_COLS]).fillna("—").rename(columns={
            "peringkat_kategori": "peringkat di kategori", "peringkat": "peringkat nasional"}))
    comp = in_selection_order(data.run("component_trend", instansi_ids=order))
    now = comp[comp["tahun"] == year]
    now = now.assign(sumbu=[charts.component_label(k, lab) for k, lab in zip(now["kode"], now["label"])])
    have_aspek = set(now.loc[now["jenis"] == "aspek", "instansi_id"])
    jenis = "aspek" if have_aspek and have_aspek == set(now["instansi_id"]) else "domain"
    return SimpleNamespace(
        absent=[names[i] for i in order if i not in present], summary=summary[SUMMARY_COLS], display=display,
        colors=charts.instansi_colors([names[i] for i in order]), jenis=jenis,
        radar=now[now["jenis"] == jenis], domain=now[now["jenis"] == "domain"],
        trend=in_selection_order(data.run("instansi_trend", instansi_ids=order)))
