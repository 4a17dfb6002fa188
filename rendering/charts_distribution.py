"""Ranking and distribution charts (pure plotly, no Streamlit).

Input frames come from ``ranking.sql`` (one row per scored instansi) and
``similar_instansi.sql``. The instansi under study is always drawn the same way: a vermillion
diamond / bar with its name, so it can be found at a glance.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from rendering import scale, theme
from rendering.format import integer, num, pct
from rendering.safe_text import plot, plot_list

HIGHLIGHT_COLOR = theme.PALETTE[3]    # vermillion
PEER_COLOR = "#9aa5b1"
POINT_COLOR = theme.PRIMARY
BOX_FILL = "rgba({},{},{},0.15)".format(*(int(POINT_COLOR[i:i + 2], 16) for i in (1, 3, 5)))
HIGHLIGHT_NAME = "Instansi yang dikaji"
# legend right of the plot (below it collides with the x-axis title, above it with the DATA SINTETIS mark)
SIDE_LEGEND = {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 0.95, "yanchor": "top"}


def _category_order(present: Iterable[str], order: Sequence[str] | None) -> list[str]:
    present = list(dict.fromkeys(present))
    if not order:
        return sorted(present)
    return [k for k in order if k in present] + sorted(k for k in present if k not in order)


def _band_shapes(bands: Sequence[tuple[str, float, float]] | None) -> tuple[list[dict], list[dict]]:
    """Light background per predikat band with its name along the top: (shapes, annotations)."""
    shapes, notes = [], []
    for nama, lo, hi in bands or ():
        shapes.append({"type": "rect", "xref": "x", "yref": "y domain", "x0": lo, "x1": hi, "y0": 0, "y1": 1,
                       "fillcolor": theme.PREDIKAT_COLORS.get(nama, theme.OTHER_COLOR), "opacity": 0.07,
                       "line": {"width": 0}, "layer": "below"})
        notes.append({"x": (lo + hi) / 2, "y": 1.0, "xref": "x", "yref": "paper", "yanchor": "top", "showarrow": False,
                      "text": nama, "font": {"size": 11, "color": "#52606d"}})
    return shapes, notes


def _target_line(target: float | None) -> tuple[list[dict], list[dict]]:
    """Vertical target line with its label: (shapes, annotations)."""
    if target is None:
        return [], []
    style = theme.SERIES_STYLE["target"]
    line = {"type": "line", "xref": "x", "yref": "y domain", "x0": float(target), "x1": float(target), "y0": 0, "y1": 1,
            "line": {"color": style["color"], "dash": style["dash"], "width": 1.5}}
    note = {"x": float(target), "y": 0, "xref": "x", "yref": "paper", "yanchor": "bottom", "xanchor": "left",
            "showarrow": False, "text": f" Target {num(target)}", "font": {"size": 11, "color": style["color"]}}
    return [line], [note]


def _add_layout_items(fig: go.Figure, *parts: tuple[list[dict], list[dict]]) -> None:
    """Add shapes and annotations in one layout update (plotly re-validates all of them on every
    add_vrect/add_annotation call: one update is ~10× cheaper for the six bands and a target line)."""
    shapes = [s for part in parts for s in part[0]]
    notes = [a for part in parts for a in part[1]]
    fig.update_layout(shapes=[*fig.layout.shapes, *shapes], annotations=[*fig.layout.annotations, *notes])


SUMMARY_COLUMNS = ["kategori", "jumlah", "minimum", "q1", "median", "q3", "maksimum", "rata_rata"]


def category_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Per category of `df` (columns kategori, indeks; missing indeks left out, not counted as zero): the
    number of instansi, min, quartiles (linear interpolation), max and mean — what the box chart draws."""
    data = df[df["indeks"].notna()]
    if data.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    g = data.groupby("kategori", sort=False)["indeks"]
    q = g.quantile([0.25, 0.5, 0.75]).unstack()
    out = pd.DataFrame({"jumlah": g.size(), "minimum": g.min(), "q1": q[0.25], "median": q[0.5], "q3": q[0.75],
                        "maksimum": g.max(), "rata_rata": g.mean()})
    return out.rename_axis("kategori").reset_index()[SUMMARY_COLUMNS]


def _share_below(values: pd.Series, value: float) -> float:
    """Share (%) of `values` strictly below `value`: where an instansi sits in its category."""
    return 100.0 * float((values < value).sum()) / len(values) if len(values) else float("nan")


def box_by_category(df: pd.DataFrame, *, highlight_id: str | None = None, target: float | None = None,
                    bands: Sequence[tuple[str, float, float]] | None = None,
                    category_order: Sequence[str] | None = None,
                    title: str = "Sebaran Indeks SPBE per kategori", levels: tuple[int, int] | None = None,
                    index_name: str | None = None) -> go.Figure:
    """One box per category drawn from its summary (min, quartiles, max: `category_summary`), not one point
    per instansi, so the chart is the same size at any number of instansi (6 400 points were 415 KB per
    rerun, issue 14); the instansi under study as a diamond with its value and where it sits.

    df: columns instansi_id, nama, kategori, indeks (rows with missing indeks are not drawn). The
    x-axis spans the level scale `levels` (default: the bands' span, else the registry's).
    """
    if levels is None and bands:
        levels = (min(b[1] for b in bands), max(b[2] for b in bands))
    lo, hi = levels or scale.scale_of()
    data = df[df["indeks"].notna()]
    summary = category_summary(data).set_index("kategori")
    order = _category_order(summary.index, category_order)
    shown = {k: plot(k) for k in order}  # data text, escaped for plotly
    fig = go.Figure()
    for kategori in order:
        s = summary.loc[kategori]
        fig.add_trace(go.Box(
            y=[shown[kategori]], q1=[s["q1"]], median=[s["median"]], q3=[s["q3"]], lowerfence=[s["minimum"]],
            upperfence=[s["maksimum"]], mean=[s["rata_rata"]], name=shown[kategori], orientation="h",
            boxpoints=False, fillcolor=BOX_FILL,
            line={"color": POINT_COLOR, "width": 1.5}, hoverinfo="skip", showlegend=False))
    if order:  # one hover point per category (the median), in Indonesian with id-ID numbers
        rows = [summary.loc[k] for k in order]
        fig.add_trace(go.Scatter(
            x=[r["median"] for r in rows], y=[shown[k] for k in order], mode="markers", name="Ringkasan kategori",
            marker={"symbol": "line-ns-open", "size": 14, "color": "rgba(0,0,0,0)"}, showlegend=False,
            customdata=[[integer(r["jumlah"]), num(r["minimum"]), num(r["q1"]), num(r["median"]), num(r["q3"]),
                         num(r["maksimum"]), num(r["rata_rata"])] for r in rows],
            hovertemplate="<b>%{y}</b> · %{customdata[0]} instansi<br>median %{customdata[3]} · separuh tengah "
                          "%{customdata[2]}–%{customdata[4]}<br>terendah %{customdata[1]} · tertinggi %{customdata[5]}"
                          " · rata-rata %{customdata[6]}<extra></extra>"))
    if highlight_id is not None:
        me = data[data["instansi_id"] == highlight_id]
        if len(me):
            row = me.iloc[0]
            peers = data.loc[data["kategori"] == row["kategori"], "indeks"]
            below = f"lebih tinggi dari {pct(_share_below(peers, row['indeks']), 0)} instansi {plot(row['kategori'])}"
            fig.add_trace(go.Scatter(
                x=[row["indeks"]], y=[plot(row["kategori"])], mode="markers+text", name=HIGHLIGHT_NAME,
                marker={"symbol": "diamond", "size": 15, "color": HIGHLIGHT_COLOR, "line": {"color": "#000000", "width": 1}},
                text=[f"{plot(row['nama'])} ({num(row['indeks'])})"], textposition="top center",
                textfont={"color": HIGHLIGHT_COLOR, "size": 12},
                hovertemplate=f"<b>{plot(row['nama'])}</b><br>Indeks %{{x:.2f}} · {below}<extra>{HIGHLIGHT_NAME}</extra>",
                meta={"highlight": highlight_id},
            ))
    _add_layout_items(fig, _band_shapes(bands), _target_line(target))
    fig.update_layout(
        title=plot(title), template=theme.TEMPLATE, height=max(300, 190 + 75 * len(order)),
        xaxis={"title": index_name or scale.index_name(), "range": [lo - 0.05, hi + 0.05], "dtick": 0.5,
               "tickformat": ".1f"},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": [shown[k] for k in order],
               "autorange": "reversed", "automargin": True,
               "title": None},
        showlegend=True, legend=SIDE_LEGEND, margin={"r": 170, "t": 80},
        hovermode="y",  # anywhere on a category's row: its summary (the boxes themselves have English labels)
    )
    return fig


def peer_bars(df: pd.DataFrame, *, highlight_id: str | None = None, target: float | None = None,
              title: str = "Indeks SPBE instansi pembanding", levels: tuple[int, int] | None = None,
              index_name: str | None = None) -> go.Figure:
    """Horizontal bars of the index of a peer group, highest on top, the instansi under study in colour.

    df: columns instansi_id, nama, indeks (and optionally predikat).
    """
    data = df[df["indeks"].notna()].sort_values(["indeks", "nama"], ascending=[False, True])
    colors = [HIGHLIGHT_COLOR if i == highlight_id else PEER_COLOR for i in data["instansi_id"]]
    predikat = plot_list(data["predikat"]) if "predikat" in data else [""] * len(data)
    names = plot_list(data["nama"])
    fig = go.Figure(go.Bar(
        x=data["indeks"], y=names, orientation="h", marker_color=colors, name=index_name or scale.index_name(),
        text=[num(v) for v in data["indeks"]], textposition="outside", cliponaxis=False,
        customdata=list(zip(predikat)), showlegend=False,
        hovertemplate="<b>%{y}</b><br>Indeks %{x:.2f} · %{customdata[0]}<extra></extra>",
    ))
    _add_layout_items(fig, _target_line(target))
    fig.update_layout(
        title=plot(title), template=theme.TEMPLATE, height=max(300, 190 + 28 * len(data)),
        xaxis={"title": index_name or scale.index_name(), "range": scale.bar_range(*(levels or scale.scale_of()), pad=0.3),
               "dtick": 1, "tickformat": ".1f"},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": names,
               "autorange": "reversed", "automargin": True, "title": None},
        margin={"l": 20, "t": 80},
    )
    return fig


def peer_domain_dots(df: pd.DataFrame, *, domain_labels: dict[str, str], highlight_id: str | None = None,
                     title: str = "Profil domain: instansi yang dikaji dan profil paling mirip",
                     levels: tuple[int, int] | None = None) -> go.Figure:
    """Dot plot of domain values per instansi (one column per domain): peers in grey, the instansi
    under study in colour; the x-axis spans the level scale `levels` (default: the registry's).

    domain_labels: {"d1": "D1 Kebijakan", ...} — only these columns are drawn (the instrument's domains).
    """
    lo, hi = levels or scale.scale_of()
    cols = [c for c in domain_labels if c in df.columns and df[c].notna().any()]
    labels = [domain_labels[c] for c in cols]
    fig = go.Figure()
    peers = df[df["instansi_id"] != highlight_id]
    for row in peers.itertuples():
        fig.add_trace(go.Scatter(
            x=[getattr(row, c) for c in cols], y=labels, mode="markers", name=plot(row.nama), legendgroup="peers",
            marker={"color": PEER_COLOR, "size": 9, "opacity": 0.7}, showlegend=False,
            hovertemplate=f"{plot(row.nama)}<br>%{{y}}: %{{x:.2f}}<extra></extra>",
        ))
    me = df[df["instansi_id"] == highlight_id]
    if len(me):
        row = me.iloc[0]
        fig.add_trace(go.Scatter(
            x=[row[c] for c in cols], y=labels, mode="markers", name=HIGHLIGHT_NAME,
            marker={"symbol": "diamond", "size": 15, "color": HIGHLIGHT_COLOR, "line": {"color": "#000000", "width": 1}},
            hovertemplate=f"<b>{plot(row['nama'])}</b><br>%{{y}}: %{{x:.2f}}<extra></extra>", meta={"highlight": highlight_id},
        ))
    if len(peers):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name="Profil paling mirip",
                                 marker={"color": PEER_COLOR, "size": 9}))
    fig.update_layout(
        title=plot(title), template=theme.TEMPLATE, height=200 + 60 * len(labels),
        xaxis={"title": "Nilai domain", "range": [lo - 0.1, hi + 0.1], "dtick": 0.5, "tickformat": ".1f"},
        legend=SIDE_LEGEND, margin={"r": 170, "t": 80},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": labels, "autorange": "reversed", "automargin": True,
               "title": None},
    )
    return fig
