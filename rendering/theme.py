"""One plotly template and one palette for every chart, matching .streamlit/config.toml.

Palette: Okabe–Ito (colour-blind safe). Predikat colours are instrument data (``warna`` of each
``[[predikat]]`` band in data/reference/instruments/*.toml), the same on every chart.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
import plotly.io as pio

from domain.instrument import load_registry

TEMPLATE = "spbe"
# system fonts only: a web font that is still loading makes plotly mis-measure legends
FONT = "Arial, Helvetica, DejaVu Sans, Liberation Sans, sans-serif"
PRIMARY = "#0072B2"
TEXT = "#1f2933"
GRID = "#e4e7eb"
BACKGROUND = "#ffffff"

# Okabe–Ito order: blue, orange, green, vermillion, sky, purple, yellow, black
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]

OTHER_COLOR = "#9aa5b1"  # a predikat no instrument names (counted as "lainnya", never dropped)


class _RegistryColors(Mapping):
    """Predikat name → colour, read from the instrument files (``warna`` of each band) on every use,
    so a registry from $SPBE_INSTRUMENTS is honoured without re-importing this module."""

    def __getitem__(self, name: str) -> str:
        return load_registry().predikat_colors()[name]

    def __iter__(self):
        return iter(load_registry().predikat_colors())

    def __len__(self) -> int:
        return len(load_registry().predikat_colors())


class _RegistryOrder(Sequence):
    """Predikat names, best first: the latest instrument's bands, then older instruments' other names."""

    def _names(self) -> list[str]:
        return list(dict.fromkeys(n for ins in reversed(load_registry().instruments) for n in ins.predikat_names))

    def __getitem__(self, k):
        return self._names()[k]

    def __len__(self) -> int:
        return len(self._names())


PREDIKAT_COLORS: Mapping[str, str] = _RegistryColors()
PREDIKAT_ORDER: Sequence[str] = _RegistryOrder()


def predikat_colors(instrument=None) -> dict[str, str]:
    """Band colours of one instrument (default: every instrument's)."""
    return dict(instrument.predikat_colors) if instrument is not None else dict(PREDIKAT_COLORS)


# reference series drawn the same way on every chart
SERIES_STYLE = {
    "nasional_resmi": {"color": "#000000", "dash": "solid", "name": "Nasional (resmi KemenPANRB)"},
    "nasional_dihitung": {"color": "#000000", "dash": "dot", "name": "Rata-rata nasional (dihitung ulang)"},
    "kategori": {"color": "#CC79A7", "dash": "dash", "name": "Rata-rata kategori (dihitung ulang)"},
    "provinsi": {"color": "#E69F00", "dash": "dashdot", "name": "Rata-rata kab/kota se-provinsi (dihitung ulang)"},
    "target": {"color": "#D55E00", "dash": "longdash", "name": "Target"},
}


def register() -> None:
    """Register the template and make it the default (idempotent)."""
    if TEMPLATE in pio.templates and pio.templates.default == TEMPLATE:
        return
    tpl = go.layout.Template()
    tpl.layout = go.Layout(
        font={"family": FONT, "color": TEXT, "size": 13},
        colorway=PALETTE,
        paper_bgcolor=BACKGROUND,
        plot_bgcolor=BACKGROUND,
        separators=",.",  # id-ID: decimal comma, thousands dot
        title={"x": 0.0, "xanchor": "left", "font": {"size": 16}},
        margin={"l": 60, "r": 30, "t": 70, "b": 60},
        xaxis={"gridcolor": GRID, "zerolinecolor": GRID, "linecolor": "#9aa5b1"},
        yaxis={"gridcolor": GRID, "zerolinecolor": GRID, "linecolor": "#9aa5b1"},
        polar={"radialaxis": {"gridcolor": GRID}, "angularaxis": {"gridcolor": GRID}},  # range: the instrument's scale
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "xanchor": "left", "x": 0},
        hoverlabel={"font": {"family": FONT}},
    )
    pio.templates[TEMPLATE] = tpl
    pio.templates.default = TEMPLATE


register()
