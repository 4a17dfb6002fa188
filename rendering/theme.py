"""One plotly template and one palette for every chart, matching .streamlit/config.toml.

Palette: Okabe–Ito (colour-blind safe). Predikat colours are fixed everywhere.
"""
from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

TEMPLATE = "spbe"
# system fonts only: a web font that is still loading makes plotly mis-measure legends
FONT = "Arial, Helvetica, DejaVu Sans, Liberation Sans, sans-serif"
PRIMARY = "#0072B2"
TEXT = "#1f2933"
GRID = "#e4e7eb"
BACKGROUND = "#ffffff"

# Okabe–Ito order: blue, orange, green, vermillion, sky, purple, yellow, black
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]

PREDIKAT_COLORS = {
    "Memuaskan": "#0072B2",
    "Sangat Baik": "#56B4E9",
    "Baik": "#009E73",
    "Cukup": "#E69F00",
    "Kurang": "#D55E00",
}
PREDIKAT_ORDER = ["Memuaskan", "Sangat Baik", "Baik", "Cukup", "Kurang"]

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
        polar={"radialaxis": {"gridcolor": GRID, "range": [0, 5]}, "angularaxis": {"gridcolor": GRID}},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "xanchor": "left", "x": 0},
        hoverlabel={"font": {"family": FONT}},
    )
    pio.templates[TEMPLATE] = tpl
    pio.templates.default = TEMPLATE


register()
