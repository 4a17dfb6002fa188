"""Charts drawn from their stored JSON: a cached figure is serialised once, not on every rerun (issue 14).

`st.plotly_chart(fig)` runs `fig.to_dict()` (a deep copy of every trace) and `plotly.io.to_json(dict,
validate=False)` (the whole JSON encoder, then a NaN check) on every rerun, also for a figure that
ui/figure_cache.py stores and never modifies: 14 ms of a map rerun, several ms per chart elsewhere.
A `FrozenFigure` keeps its dict, built once and read only, and its JSON made from that dict by plotly
itself; `plotly.io.to_json` is given back that JSON when asked for exactly that dict with exactly the
arguments st.plotly_chart uses (anything else goes to plotly as before). So the element sent is the
same bytes as before, made once per figure instead of once per rerun.
"""
from __future__ import annotations

import threading
import weakref
from typing import Callable

import plotly.graph_objects as go
import plotly.io as pio

from rendering.export import decorate, source_line
from rendering.safe_text import plot
from ui import session_data

_SPECS: dict[int, tuple[dict, str]] = {}   # id(frozen dict) → (that dict, its JSON)
_LOCK = threading.Lock()
_plotly_to_json = pio.to_json


def _to_json(fig, *args, **kwargs):
    """plotly.io.to_json, served from a FrozenFigure's stored JSON for its own dict and st.plotly_chart's call."""
    hit = _SPECS.get(id(fig))
    if hit is not None and hit[0] is fig and not args and kwargs == {"validate": False}:
        return hit[1]
    return _plotly_to_json(fig, *args, **kwargs)


def _forget(key: int) -> None:
    with _LOCK:
        _SPECS.pop(key, None)


class FrozenFigure(go.Figure):
    """A figure that is never modified again, its dict and JSON built once and shared read only."""

    def __init__(self, fig: go.Figure):
        super().__init__(fig)
        self._frozen = fig.to_dict()   # `fig`'s own dict: the copy above orders layout keys differently
        self._spec = _plotly_to_json(self._frozen, validate=False)   # also drops trace uids, as plotly does
        key = id(self._frozen)
        with _LOCK:
            _SPECS[key] = (self._frozen, self._spec)
        weakref.finalize(self, _forget, key)

    def to_dict(self) -> dict:
        return self._frozen


def frozen(build: Callable[[], go.Figure], tahun=None, *, synthetic: bool = False) -> Callable[[], go.Figure]:
    """A builder for `ui.widgets.show_chart(..., cache=...)` whose figure comes decorated the way show_chart
    decorates it (same source line, same uploads note) and frozen: drawn without a copy or a JSON per rerun."""
    def built() -> go.Figure:
        if session_data.covered():
            source = plot(source_line(tahun, synthetic=synthetic) + " · termasuk " + session_data.short_summary())
        else:
            source = source_line(tahun, synthetic=synthetic)
        return FrozenFigure(decorate(build(), source=source, synthetic=synthetic))
    return built


def install() -> None:
    """Route plotly.io.to_json through the stored JSON (idempotent)."""
    if pio.to_json is not _to_json:
        pio.to_json = _to_json


install()
