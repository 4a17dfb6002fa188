"""Charts built once per (snapshot, chart, parameters) and reused with their decoration and their
export digest (issue 14).

A warm rerun used to rebuild every figure (plotly validation: 10–35 ms a chart), decorate it (a
`go.Figure(fig.to_dict())` rebuild) and serialise it a second time for the download digest
(`to_json` + sha256). A page now hands `ui.widgets.show_chart` a builder and the parameters that
determine the figure; the first rerun with those builds and decorates it, later reruns (of any
session on the same snapshot) draw the stored figure. The key always holds this session's data
scope (warehouse folder + snapshot id: a session with uploads has its own private snapshot), so a
new snapshot or an upload gives new figures. Stored figures are shared and never modified.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Callable

import plotly.graph_objects as go
import streamlit as st

from ui import data

CACHE_TTL_S = 1800
MAX_FIGURES = 256


@dataclass(frozen=True)
class Chart:
    fig: go.Figure      # decorated; shared by sessions, never modified
    spec: str           # its JSON (the download files are rendered from it)
    digest: str         # sha256 of spec: the download cache key
    tahun: int | None   # for the download file names


BUILDS = {"n": 0}       # figures built (for tests: a warm rerun builds none)


def prepare(fig: go.Figure, decorate: Callable[[go.Figure], go.Figure], year_of: Callable[[dict], int | None]) -> Chart:
    fig = decorate(fig)
    spec = fig.to_json()
    return Chart(fig, spec, hashlib.sha256(spec.encode("utf-8")).hexdigest(), year_of({"layout": {"meta": fig.layout.meta}}))


@st.cache_resource(max_entries=MAX_FIGURES, ttl=CACHE_TTL_S, show_spinner=False)
def _chart(key: tuple, _build: Callable[[], go.Figure], _decorate, _year_of) -> Chart:
    BUILDS["n"] += 1
    return prepare(_build(), _decorate, _year_of)


def chart(key: tuple, build: Callable[[], go.Figure], decorate, year_of) -> Chart:
    """The decorated chart for `key` (which must name everything the figure shows besides the
    snapshot), built by `build()` on a miss."""
    return _chart(key, build, decorate, year_of)


def scope() -> tuple[str, str]:
    """(warehouse folder, snapshot id) of this session's data: a session with uploads has its own."""
    wh = data.current()
    return ("", "") if wh is None else (str(wh.root), wh.snapshot_id)
