"""Gap-to-target charts: index points lost per indicator, aspect or domain (pure plotly, no Streamlit).

Input frames are the results of ``indicator_gaps.sql``, ``domain_gaps.sql`` and
``category_indicator_gaps.sql``. "Poin indeks" = kekurangan level × bobot / 100: what the
Indeks SPBE would gain if that gap were closed. Bars are sorted largest first (top of the chart).
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from rendering import scale, theme
from rendering.format import num
from rendering.safe_text import plot

# one colour per domain code D1, D2, …, the same on every gap chart and for any instrument (Okabe–Ito)
DOMAIN_COLORS = {f"D{k}": c for k, c in enumerate([theme.PALETTE[i] for i in (0, 1, 3, 2, 4, 5, 6)], start=1)}
OTHER_COLOR = "#9aa5b1"
HIGHLIGHT_COLOR = theme.PALETTE[3]
# legend right of the plot: below it, it collides with the x-axis title on charts of varying height;
# above it, with the DATA SINTETIS mark that rendering.export puts at the top right
SIDE_LEGEND = {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 0.95, "yanchor": "top"}


def short_indicator_name(name: str) -> str:
    """'Tingkat Kematangan Layanan Data Terbuka' → 'Layanan Data Terbuka'."""
    text = str(name)
    for prefix in ("Tingkat Kematangan ", "Tingkat kematangan "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    return text


def _clip(text: str, width: int = 38) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def indicator_label(no, name) -> str:
    return f"{int(no)} · {_clip(short_indicator_name(name))}"


def _empty(title: str, message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                       font={"size": 14})
    fig.update_layout(title=plot(title), template=theme.TEMPLATE, xaxis={"visible": False},
                      yaxis={"visible": False}, height=260)
    return fig


def _bars_by_domain(df: pd.DataFrame, *, label_col: str, value_col: str, title: str, x_title: str,
                    hover: list[str], decimals: int = 3) -> go.Figure:
    """Horizontal bars in the frame's order (first row on top), one trace per domain for the legend."""
    order = list(df[label_col])
    fig = go.Figure()
    for kode, part in df.groupby("kode_domain", sort=True):
        label_domain = part["label_domain"].iloc[0]
        fig.add_trace(go.Bar(
            x=part[value_col], y=part[label_col], orientation="h", name=f"{kode} {label_domain}",
            marker_color=DOMAIN_COLORS.get(kode, OTHER_COLOR),
            text=[num(v, decimals) for v in part[value_col]], textposition="outside", cliponaxis=False,
            customdata=list(zip(*[part[c] for c in hover])) if hover else None,
            hovertemplate="<br>".join(f"%{{customdata[{i}]}}" for i in range(len(hover))) + "<extra></extra>",
        ))
    top = float(df[value_col].max()) if len(df) else 0.0
    fig.update_layout(
        title=plot(title), template=theme.TEMPLATE, barmode="overlay", bargap=0.25,
        height=max(320, 190 + 28 * len(order)),
        xaxis={"title": x_title, "range": [0, top * 1.18 if top > 0 else 1], "tickformat": f".{decimals}f"},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": order,
               "autorange": "reversed", "automargin": True, "title": None},
        legend={**SIDE_LEGEND, "title": {"text": "Domain "}},
        margin={"l": 20, "r": 170, "t": 80},
    )
    return fig


def indicator_gap_bars(gaps: pd.DataFrame, *, title: str = "Poin indeks yang hilang per indikator",
                       top: int | None = None) -> go.Figure:
    """Indicators below the target level, sorted by index points their gap costs (largest on top)."""
    below = gaps[gaps["biaya_indeks"] > 0].copy()
    if below.empty:
        return _empty(title, "Semua indikator sudah mencapai level target.")
    below = below.sort_values(["biaya_indeks", "bobot_indikator", "no_indikator"], ascending=[False, False, True])
    if top:
        below = below.head(top)
    below["label"] = [indicator_label(n, m) for n, m in zip(below["no_indikator"], below["nama_indikator"])]
    below["h_nama"] = [f"<b>{int(n)}. {short_indicator_name(m)}</b>" for n, m in zip(below["no_indikator"], below["nama_indikator"])]
    below["h_level"] = [f"Level {int(lv)} → target {int(t)} (kurang {int(k)})"
                        for lv, t, k in zip(below["level"], below["target_level"], below["kekurangan"])]
    below["h_poin"] = [f"Bobot {num(b)} % · poin indeks {num(c, 3)}" for b, c in zip(below["bobot_indikator"], below["biaya_indeks"])]
    below["h_aspek"] = [f"{a} {la} · {d} {ld}" for a, la, d, ld in
                        zip(below["kode_aspek"], below["label_aspek"], below["kode_domain"], below["label_domain"])]
    return _bars_by_domain(below, label_col="label", value_col="biaya_indeks", title=title,
                           x_title=f"Poin {scale.index_name()} (kekurangan level × bobot / 100)",
                           hover=["h_nama", "h_aspek", "h_level", "h_poin"])


def gaps_by_aspect(gaps: pd.DataFrame) -> pd.DataFrame:
    """Aspect roll-up of indicator gaps: points lost, indicators below target, largest first."""
    keys = ["kode_aspek", "label_aspek", "kode_domain", "label_domain"]
    g = gaps.assign(_below=(gaps["kekurangan"] > 0).astype(int), _n=1)
    out = (g.groupby(keys, as_index=False, sort=False)
           .agg(biaya_indeks=("biaya_indeks", "sum"), jumlah_di_bawah_target=("_below", "sum"),
                jumlah_indikator=("_n", "sum"), rerata_level=("level", "mean")))
    return out.sort_values(["biaya_indeks", "kode_aspek"], ascending=[False, True]).reset_index(drop=True)


def aspect_gap_bars(aspects: pd.DataFrame, *, title: str = "Poin indeks yang hilang per aspek") -> go.Figure:
    """Aspects by index points lost to indicators below target (frame from gaps_by_aspect)."""
    below = aspects[aspects["biaya_indeks"] > 0].sort_values(["biaya_indeks", "kode_aspek"], ascending=[False, True]).copy()
    if below.empty:
        return _empty(title, "Tidak ada aspek dengan indikator di bawah level target.")
    below["label"] = [f"{k} · {lab}" for k, lab in zip(below["kode_aspek"], below["label_aspek"])]
    below["h_nama"] = [f"<b>{k} {lab}</b> ({d} {ld})" for k, lab, d, ld in
                       zip(below["kode_aspek"], below["label_aspek"], below["kode_domain"], below["label_domain"])]
    below["h_n"] = [f"{int(b)} dari {int(n)} indikator di bawah target" for b, n in
                    zip(below["jumlah_di_bawah_target"], below["jumlah_indikator"])]
    below["h_poin"] = [f"Poin indeks {num(c, 3)}" for c in below["biaya_indeks"]]
    return _bars_by_domain(below, label_col="label", value_col="biaya_indeks", title=title,
                           x_title=f"Poin {scale.index_name()}", hover=["h_nama", "h_n", "h_poin"])


def domain_gap_bars(domains: pd.DataFrame, *, title: str = "Poin indeks yang hilang per domain") -> go.Figure:
    """Domain-level gaps (published tables give domains only): (target − nilai) × bobot domain / 100."""
    below = domains[domains["biaya_indeks"] > 0].sort_values(["biaya_indeks", "kode_domain"], ascending=[False, True]).copy()
    if below.empty:
        return _empty(title, "Semua domain sudah mencapai level target.")
    below["label"] = [f"{k} · {lab}" for k, lab in zip(below["kode_domain"], below["label_domain"])]
    below["h_nama"] = [f"<b>{k} {lab}</b>" for k, lab in zip(below["kode_domain"], below["label_domain"])]
    below["h_nilai"] = [f"Nilai {num(v)} → target {int(t)} (kurang {num(k)})"
                        for v, t, k in zip(below["nilai"], below["target_level"], below["kekurangan"])]
    below["h_poin"] = [f"Bobot {num(b)} % · poin indeks {num(c, 3)}" for b, c in zip(below["bobot_domain"], below["biaya_indeks"])]
    return _bars_by_domain(below, label_col="label", value_col="biaya_indeks", title=title,
                           x_title=f"Poin {scale.index_name()} ((target − nilai domain) × bobot / 100)",
                           hover=["h_nama", "h_nilai", "h_poin"])


def category_gap_share_bars(cat: pd.DataFrame, *, kategori: str, own_gaps: set[int] | None = None,
                            top: int = 15, title: str | None = None) -> go.Figure:
    """Share of a category's instansi below the target level per indicator (most common first);
    the indicators where the instansi under study is below target too are highlighted."""
    title = title or f"Kesenjangan yang paling umum di kategori {kategori}"
    rows = cat[cat["jumlah_di_bawah_target"] > 0].sort_values(
        ["di_bawah_target_pct", "no_indikator"], ascending=[False, True]).head(top).copy()
    if rows.empty:
        return _empty(title, "Tidak ada instansi di kategori ini yang di bawah level target.")
    own = own_gaps or set()
    rows["label"] = [indicator_label(n, m) for n, m in zip(rows["no_indikator"], rows["nama_indikator"])]
    rows["shared"] = rows["no_indikator"].astype(int).isin(own)
    order = list(rows["label"])
    fig = go.Figure()
    for shared, name, color in ((True, "Juga kurang pada<br>instansi ini", HIGHLIGHT_COLOR),
                                (False, "Instansi ini sudah<br>capai target", OTHER_COLOR)):
        part = rows[rows["shared"] == shared]
        if part.empty:
            continue
        fig.add_trace(go.Bar(
            x=part["di_bawah_target_pct"], y=part["label"], orientation="h", name=name, marker_color=color,
            text=[f"{int(b)}/{int(n)}" for b, n in zip(part["jumlah_di_bawah_target"], part["jumlah_instansi"])],
            textposition="outside", cliponaxis=False,
            customdata=list(zip(part["nama_indikator"], part["jumlah_di_bawah_target"], part["jumlah_instansi"],
                                [num(v) for v in part["rerata_level"]])),
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} dari %{customdata[2]} instansi di bawah target"
                          " (%{x:.1f} %)<br>Rerata level %{customdata[3]}<extra></extra>",
        ))
    fig.update_layout(
        title=plot(title), template=theme.TEMPLATE, barmode="overlay", bargap=0.25,
        height=max(320, 190 + 28 * len(order)),
        xaxis={"title": "% instansi sekategori di bawah level target", "range": [0, 115], "ticksuffix": " %"},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": order, "autorange": "reversed", "automargin": True},
        legend=SIDE_LEGEND, margin={"l": 20, "r": 170, "t": 80},
    )
    return fig
