"""Pure plotly factories for the self-assessment & plan page: `fn(df, ...) -> go.Figure`.

Same template and palette as rendering.charts (theme "spbe", predikat colours fixed); no Streamlit.
Inputs are the plain frames/dicts of ui.upload and domain.plan_report.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from domain.instrument import Instrument
from rendering import theme
from rendering.format import num, signed
from rendering.safe_text import plot

theme.register()

PLAN_COLOR = "#0072B2"
RAISE_COLOR = "#9aa5b1"


def short_name(no: int, nama: str, width: int = 48) -> str:
    """'25', 'Tingkat Kematangan Penerapan Kompetensi SDM SPBE' → '25 · Penerapan Kompetensi SDM SPBE'."""
    nama = str(nama)
    if nama.lower().startswith("tingkat kematangan "):
        nama = nama[len("tingkat kematangan "):]
    text = f"{int(no)} · {nama}"
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _predikat_bands(fig: go.Figure, instrument: Instrument) -> None:
    """Light horizontal predikat bands of the instrument (left y axis), labelled on the right with
    their lower bound ("Baik ≥ 2,60": the ambang predikat, not a yearly target)."""
    for k, band in enumerate(instrument.bands):
        lowest = k == len(instrument.bands) - 1
        color = theme.PREDIKAT_COLORS.get(band.nama, "#999999")
        fig.add_shape(type="rect", xref="paper", yref="y", x0=0, x1=1, y0=float(band.batas_bawah),
                      y1=float(band.batas_atas), line_width=0, layer="below", fillcolor=color, opacity=0.09,
                      name=f"predikat_{band.nama}")
        fig.add_annotation(x=1.0, xref="paper", xanchor="left", xshift=6, yref="y", showarrow=False,
                           y=(float(band.batas_bawah) + float(band.batas_atas)) / 2,
                           text=band.nama if lowest else f"{band.nama} ≥ {num(band.batas_bawah)}",
                           font={"size": 10, "color": color}, name=f"label_{band.nama}")


def trajectory(years: pd.DataFrame, instrument: Instrument, *, start_index: float, start_label: str,
               title: str) -> go.Figure:
    """Planned index per year (line, predikat in the label), yearly RPJMD targets (diamonds), the best
    index the rules allow where a target is out of reach, and level-ups per year (bars, right axis).

    years: plan_section()["tahun"] rows (tahun, target, indeks, predikat, tercapai,
    indeks_maksimum, jumlah_kenaikan)."""
    x = [start_label] + [str(int(t)) for t in years["tahun"]]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Bar(x=x[1:], y=years["jumlah_kenaikan"].tolist(), name="Kenaikan level tahun itu (batang)",
                         marker_color=RAISE_COLOR, opacity=0.55, text=[str(int(v)) if v else "" for v in years["jumlah_kenaikan"]],
                         textposition="inside", insidetextanchor="start", textfont={"color": "#1f2933"},  # at the base: clear of the line
                         hovertemplate="%{x}: %{y} kenaikan level<extra></extra>"),
                  secondary_y=True)
    idx = [float(start_index)] + [float(v) for v in years["indeks"]]
    pred = [instrument.predikat(start_index)] + list(years["predikat"])
    fig.add_trace(go.Scatter(x=x, y=idx, name="Indeks menurut rencana", mode="lines+markers+text",
                             line={"color": PLAN_COLOR, "width": 3}, marker={"size": 9},
                             text=[num(v) for v in idx], textposition="top center", customdata=pred,
                             hovertemplate="%{x}: %{y:.2f} (%{customdata})<extra>rencana</extra>"), secondary_y=False)
    targets = years["target"].astype("float64")
    if targets.notna().any():
        met = years["tercapai"].tolist()
        s = theme.SERIES_STYLE["target"]
        fig.add_trace(go.Scatter(
            x=x[1:], y=[None if pd.isna(v) else float(v) for v in targets], name="Target RPJMD", mode="markers",
            marker={"symbol": ["diamond" if m is not False else "x" for m in met], "size": 12, "color": s["color"]},
            customdata=["tercapai" if m else ("tidak tercapai" if m is False else "") for m in met],
            hovertemplate="%{x}: target RPJMD %{y:.2f} (%{customdata})<extra></extra>"), secondary_y=False)
    missed = years["tercapai"].eq(False)
    if missed.any():
        fig.add_trace(go.Scatter(x=x[1:], y=years["indeks_maksimum"].astype(float).tolist(), mode="lines",
                                 name="Indeks tertinggi yang mungkin", line={"color": "#000000", "dash": "dot", "width": 1.5},
                                 hovertemplate="%{x}: paling tinggi %{y:.2f}<extra></extra>"), secondary_y=False)
    _predikat_bands(fig, instrument)
    fig.update_layout(title=plot(title), height=480, margin={"r": 130, "b": 120}, bargap=0.5,
                      legend={"orientation": "h", "y": -0.18, "x": 0})
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=x, title=None)
    fig.update_yaxes(title="Indeks SPBE", range=[1, 5.1], secondary_y=False)
    top = max([int(v) for v in years["jumlah_kenaikan"]] + [1])
    # bars use the lower third of the plot; their count is written on them, so no second scale
    fig.update_yaxes(range=[0, top * 3], showgrid=False, showticklabels=False, title=None, secondary_y=True)
    return fig


def hbars(df: pd.DataFrame, *, value: str, title: str, xaxis_title: str, signed_values: bool = False) -> go.Figure:
    """Horizontal bars per indicator (largest magnitude on top); needs no_indikator, nama_indikator."""
    d = df.assign(_abs=df[value].abs()).sort_values(["_abs", "no_indikator"], ascending=[False, True], kind="stable")
    labels = [short_name(n, s) for n, s in zip(d["no_indikator"], d["nama_indikator"])]
    vals = [float(v) for v in d[value]]
    colors = [theme.PREDIKAT_COLORS["Kurang"] if v > 0 and signed_values else PLAN_COLOR if signed_values
              else theme.PREDIKAT_COLORS["Cukup"] for v in vals]
    fig = go.Figure(go.Bar(x=vals, y=labels, orientation="h", marker_color=colors,
                           text=[(signed if signed_values else num)(v, 3) for v in vals], textposition="outside",
                           hovertemplate="%{y}: %{x:.3f}<extra></extra>"))
    fig.update_layout(title=plot(title), height=max(260, 90 + 26 * len(labels)), margin={"l": 330, "r": 60})
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=labels, title=None, automargin=True)
    lo, hi = min(vals + [0.0]), max(vals + [0.0])
    pad = 0.2 * (hi - lo or 1)  # room for the value labels outside the bars
    fig.update_xaxes(title=xaxis_title, zeroline=True, zerolinecolor="#52606d",
                     range=[lo - (pad if lo < 0 else 0), hi + (pad if hi > 0 else 0)])
    return fig


def domain_compare(instrument: Instrument, before: dict[int, float], after: dict[int, float], *,
                   labels: tuple[str, str], title: str) -> go.Figure:
    """Grouped bars of the domain values under two sets of levels (e.g. now vs what-if)."""
    names = [f"{d.kode} {d.label}" for d in instrument.domains]
    fig = go.Figure()
    for (label, values), color in zip(((labels[0], before), (labels[1], after)), (RAISE_COLOR, PLAN_COLOR)):
        vals = [float(values[d.no]) for d in instrument.domains]
        fig.add_trace(go.Bar(name=label, x=names, y=vals, marker_color=color, text=[num(v) for v in vals],
                             textposition="outside", hovertemplate="%{x}: %{y:.2f}<extra>" + label + "</extra>"))
    fig.update_layout(barmode="group", title=plot(title), height=420)
    fig.update_yaxes(title="Nilai domain", range=[0, 5.4])
    return fig
