"""Export-ready figures: source footnote and synthetic-data mark (pure plotly, no Streamlit).

`decorate` is applied to every chart before it is shown, so the on-screen chart, plotly's own
modebar download and the server-side exports all carry the same source line and mark.
"""
from __future__ import annotations

import copy

import plotly.graph_objects as go

SYNTHETIC_MARK = "DATA SINTETIS"


def source_line(tahun: int | str | None = None, *, synthetic: bool = False, extra: str = "") -> str:
    """'Sumber: KemenPANRB, Evaluasi SPBE 2024; diolah' (+ synthetic disclaimer)."""
    base = f"Sumber: KemenPANRB, Evaluasi SPBE {tahun}; diolah" if tahun else "Sumber: KemenPANRB, Evaluasi SPBE; diolah"
    if synthetic:
        base += " — angka per instansi SINTETIS (data demo), bukan hasil evaluasi"
    return base + (f". {extra}" if extra else "")


def decorate(fig: go.Figure, *, source: str, synthetic: bool) -> go.Figure:
    """Copy of `fig` with the source footnote under the plot and, for demo data, a visible mark."""
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    if out.layout.meta and isinstance(out.layout.meta, dict) and out.layout.meta.get("decorated"):
        return out
    bottom = (out.layout.margin.b or 60) if out.layout.margin else 60
    out.update_layout(margin={"b": max(bottom, 90)})
    out.add_annotation(text=source, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
                       yshift=-(max(bottom, 90) - 22), showarrow=False, font={"size": 10, "color": "#52606d"},
                       align="left", name="sumber")
    if synthetic:
        out.add_annotation(text=SYNTHETIC_MARK, xref="paper", yref="paper", x=1, y=1.02, xanchor="right",
                           yanchor="bottom", showarrow=False, name="sintetis",
                           font={"size": 12, "color": "#D55E00", "family": "DejaVu Sans, Arial"},
                           bordercolor="#D55E00", borderwidth=1, borderpad=3)
    out.update_layout(meta={"decorated": True, "synthetic": synthetic, "source": source})
    return out
