"""What Tren shows of an instansi, built once per (snapshot, instansi, choices) and kept read only (issue 14).

Each rerun of the index fragment read the trend query, sorted it in the comparators' order, filtered the
category means and the instansi's own years again, and the page looked its instansi up among all 6 400
rows of the instansi list; the domain/aspek fragment filtered its series again. They are made here once per
`figure_cache.scope()` (warehouse folder + snapshot id: a new snapshot or an upload gives new views) and
the choices; the page only draws them. Nothing here is modified after it is built.
"""
from __future__ import annotations

from types import SimpleNamespace

import streamlit as st

from ui import data, figure_cache

CACHE_TTL_S = 1800
MAX_VIEWS = 256
BUILDS = {"n": 0}       # views built (for tests: a warm rerun builds none)


def instansi(instansi_id: str):
    """The instansi_list row of `instansi_id` (a pandas Series, read only), or None."""
    return _instansi(figure_cache.scope(), instansi_id)


@st.cache_resource(max_entries=MAX_VIEWS, ttl=CACHE_TTL_S, show_spinner=False)
def _instansi(scope: tuple[str, str], instansi_id: str):
    BUILDS["n"] += 1
    lst = data.run("instansi_list")
    rows = lst[lst["instansi_id"] == instansi_id]
    return rows.iloc[0] if len(rows) else None


def index(ids: tuple[str, ...], kategori: str | None, years: tuple[int, ...]) -> SimpleNamespace:
    """The index series of `ids` (in that order, then by year), the category means of `kategori` (None:
    not shown) and the years the first instansi has no value."""
    return _index(figure_cache.scope(), tuple(ids), kategori, tuple(years))


@st.cache_resource(max_entries=MAX_VIEWS, ttl=CACHE_TTL_S, show_spinner=False)
def _index(scope: tuple[str, str], ids: tuple[str, ...], kategori: str | None, years: tuple[int, ...]) -> SimpleNamespace:
    BUILDS["n"] += 1
    order = list(ids)
    trend = data.run("instansi_trend", instansi_ids=order)
    trend = trend.assign(_urut=trend["instansi_id"].map(order.index)).sort_values(["_urut", "tahun"]).drop(columns="_urut")
    category = None
    if kategori is not None:
        category = data.run("category_trend")
        category = category[category["kategori"] == kategori]
    own = set(trend.loc[trend["instansi_id"] == ids[0], "tahun"].astype(int))
    return SimpleNamespace(trend=trend, category=category, gaps=[y for y in years if y not in own])


def components(instansi_id: str, jenis: str) -> SimpleNamespace:
    """The domain or aspek series of `instansi_id` (empty frame when there are none)."""
    return _components(figure_cache.scope(), instansi_id, jenis)


@st.cache_resource(max_entries=MAX_VIEWS, ttl=CACHE_TTL_S, show_spinner=False)
def _components(scope: tuple[str, str], instansi_id: str, jenis: str) -> SimpleNamespace:
    BUILDS["n"] += 1
    comp = data.run("component_trend", instansi_ids=[instansi_id])
    return SimpleNamespace(part=comp[comp["jenis"] == jenis])
