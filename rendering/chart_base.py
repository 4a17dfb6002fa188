"""Small helpers every chart factory of `rendering.charts` shares (pure plotly, no Streamlit)."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from rendering.format import num


def _clean(values) -> list:
    """Plain Python values with NaN/NA → None (plotly draws None as a gap)."""
    out = []
    for v in values:
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        else:
            out.append(float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v)
    return out


def _by_year(df: pd.DataFrame, years: list[int], value: str = "indeks") -> list:
    """Values of `value` on every year of `years`, None where the year has no row."""
    lookup = dict(zip(df["tahun"].astype(int), df[value])) if len(df) else {}
    return _clean([lookup.get(int(y)) for y in years])


def _year_axis(fig: go.Figure, years: list[int], **kw) -> None:
    fig.update_xaxes(tickmode="array", tickvals=list(years), ticktext=[str(y) for y in years],
                     range=[min(years) - 0.5, max(years) + 0.5], **kw)


def _wrap(text: str, width: int = 14) -> str:
    """Break a long axis label over lines (plotly <br>) so it fits beside a narrow radar."""
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(lines + [line])


def _signed_text(v) -> str:
    text = num(v)
    return text if v is None or text.startswith("-") or text == num(0) else "+" + text


def _legend_below(fig: go.Figure, *, height: int = 460, bottom: int = 170, vertical: bool = False) -> None:
    """Legend pinned near the bottom of the figure (container coordinates), between the x-axis
    title and the source footnote that rendering.export adds ~22 px above the bottom edge."""
    legend = {"yref": "container", "y": 36 / height, "yanchor": "bottom", "x": 0, "xanchor": "left"}
    if vertical:
        legend["orientation"] = "v"
    fig.update_layout(height=height, margin={"b": bottom}, legend=legend)
