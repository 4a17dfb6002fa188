"""Pure plotly chart factories for the dashboard pages: `fn(df, ...) -> go.Figure`.

No Streamlit here: every factory takes query results (DataFrames from queries/*.sql) and returns a
figure in the "spbe" template, with an Indonesian title and axis labels. Missing values stay
missing (None → a gap or an empty cell, never 0). Official figures are labelled "resmi", means
computed from the instansi in the warehouse "dihitung ulang".
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from domain.instrument import Instrument, InstrumentRegistry
from domain.kategori import MIN_MEAN_INSTANSI
from domain.warehouse_layout import KATEGORI_RINGKAS
from rendering import scale, theme
from rendering.chart_base import _by_year, _clean, _legend_below, _signed_text, _wrap, _year_axis
from rendering.format import integer, num, pct
from rendering.safe_text import plot, plot_list

theme.register()

# instansi lines/areas: colours not used by the reference series (black, pink, vermillion)
INSTANSI_COLORS = ["#0072B2", "#009E73", "#56B4E9", "#E69F00"]
# components within one instrument panel: Okabe–Ito without yellow (too light on white)
COMPONENT_COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#000000", "#7f7f7f", "#8c6d31"]
HEAT_MODES = {"dihitung": "dihitung ulang dari data instansi", "resmi": "angka resmi KemenPANRB",
              "selisih": "selisih: dihitung ulang − resmi"}


def instansi_colors(names: list[str]) -> dict[str, str]:
    """Fixed colour per instansi (in selection order), so it matches across a page's charts."""
    return {name: INSTANSI_COLORS[n % len(INSTANSI_COLORS)] for n, name in enumerate(names)}


def who_title(names: list[str], *, escape: bool = True) -> str:
    """The instansi a chart is about, for its title (exported files carry it): 'Kota A ', 'Kota A
    dan Kota B ', 'Kota A dan 2 instansi lain ' ('' for none); escaped for plotly unless the
    factory escapes the whole title itself (escape=False)."""
    names = [plot(str(n)) if escape else str(n) for n in names]
    if not names:
        return ""
    if len(names) <= 2:
        return " dan ".join(names) + " "
    return f"{names[0]} dan {len(names) - 1} instansi lain "


def component_label(kode: str, label: str, index_name: str | None = None) -> str:
    return (index_name or scale.index_name()) if kode == "indeks" else f"{kode} {label}"


# --- instrument periods: predikat bands and break markers -----------------------------------
def _periods(registry: InstrumentRegistry, years: list[int]) -> list[tuple]:
    """(instrument, [years it covers]) for every instrument covering at least one of `years`."""
    out = []
    for ins in registry:
        covered = [y for y in years if ins.covers(y)]
        if covered:
            out.append((ins, covered))
    return out


def add_predikat_bands(fig: go.Figure, registry: InstrumentRegistry, years: list[int]) -> None:
    """Light horizontal predikat bands, per instrument period (bands are instrument data)."""
    periods = _periods(registry, years)
    for n, (ins, covered) in enumerate(periods):
        for band in ins.bands:
            fig.add_shape(type="rect", xref="x", yref="y", x0=min(covered) - 0.5, x1=max(covered) + 0.5,
                          y0=float(band.batas_bawah), y1=float(band.batas_atas), layer="below",
                          line_width=0, opacity=0.09, fillcolor=band.warna or theme.OTHER_COLOR,
                          name=f"predikat_{band.nama}")
            if n == len(periods) - 1:
                fig.add_annotation(x=1.0, xref="paper", xanchor="left", y=(float(band.batas_bawah) + float(band.batas_atas)) / 2,
                                   yref="y", text=band.nama, showarrow=False, name=f"label_{band.nama}",
                                   font={"size": 10, "color": band.warna or "#666"})
    fig.update_layout(margin={"r": 90})


def add_instrument_breaks(fig: go.Figure, registry: InstrumentRegistry, years: list[int]) -> None:
    """Vertical marker between the last year of an instrument and the first of the next."""
    for year in registry.break_years():
        if min(years) < year <= max(years):
            fig.add_shape(type="line", xref="x", yref="paper", x0=year - 0.5, x1=year - 0.5, y0=0, y1=1,
                          line={"color": "#52606d", "width": 1.5, "dash": "dot"}, name=f"pergantian_instrumen_{year}")
            fig.add_annotation(x=year - 0.5, xref="x", y=1.0, yref="paper", yanchor="bottom", xanchor="left",
                               text=f"Instrumen berganti: {registry.for_year(year).nama}", showarrow=False,
                               font={"size": 10, "color": "#52606d"}, name=f"pergantian_instrumen_{year}")


# --- ringkasan nasional ----------------------------------------------------------------------
def component_heatmap(df: pd.DataFrame, mode: str = "dihitung", *, tahun: int | None = None) -> go.Figure:
    """Heat table kategori × (indeks, domain, aspek) from component_means.

    mode: "dihitung" (recomputed means), "resmi" (official figures, blank where none is
    published) or "selisih" (recomputed − official).
    """
    if mode not in HEAT_MODES:
        raise ValueError(f"mode {mode!r} tidak dikenal; pilihan: {list(HEAT_MODES)}")
    d = df.copy()
    ins = scale.instrument_for(tahun)
    d["kolom"] = [plot(component_label(k, lab, scale.index_name(ins))) for k, lab in zip(d["komponen"], d["label"])]
    d["kategori"] = d["kategori"].map(plot)
    d["z"] = {"dihitung": d["nilai"], "resmi": d["resmi"], "selisih": d["nilai"] - d["resmi"]}[mode]
    cols = d.sort_values("urutan").drop_duplicates("kolom")["kolom"].tolist()
    rows = d.sort_values("urutan_kategori").drop_duplicates("kategori")["kategori"].tolist()
    z = d.pivot_table(index="kategori", columns="kolom", values="z", aggfunc="first", dropna=False)
    z = z.reindex(index=rows, columns=cols)
    n = d.pivot_table(index="kategori", columns="kolom", values="jumlah_instansi", aggfunc="first").reindex(index=rows, columns=cols)
    fmt = _signed_text if mode == "selisih" else num
    zz = [_clean(r) for r in z.to_numpy().tolist()]
    text = [[fmt(v) for v in r] for r in zz]
    lo, hi = scale.scale_of(ins)
    colors = {"colorscale": "RdBu", "zmid": 0} if mode == "selisih" else {"colorscale": "Blues", "zmin": lo, "zmax": hi}
    fig = go.Figure(go.Heatmap(
        z=zz, x=cols, y=rows, text=text, texttemplate="%{text}", customdata=n.to_numpy().tolist(),
        hovertemplate="%{y} · %{x}<br>%{text} (n = %{customdata})<extra></extra>",
        colorbar={"title": {"text": "selisih" if mode == "selisih" else "nilai"}}, xgap=2, ygap=2, **colors))
    fig.update_layout(title=f"Rata-rata per kategori{f' {tahun}' if tahun else ''} — {HEAT_MODES[mode]}",
                      height=260 + 38 * len(rows), margin={"t": 60, "b": 180})
    fig.update_xaxes(side="bottom", tickangle=-35, title=None, showgrid=False, automargin=True)
    fig.update_yaxes(autorange="reversed", title=None, showgrid=False, automargin=True)
    return fig


OTHER_PREDIKAT = "Lainnya (bukan predikat instrumen)"
OTHER_COLOR = theme.OTHER_COLOR


def _predikat_counts(df: pd.DataFrame, unknown: pd.DataFrame | None, names) -> pd.DataFrame:
    """kategori × predikat counts and shares; a predikat that is not a band name, and the `unknown`
    counts (kategori, jumlah), are summed into OTHER_PREDIKAT: counted, never dropped."""
    d = df[["kategori", "predikat", "jumlah"]].copy()
    d["predikat"] = d["predikat"].where(d["predikat"].isin(list(names)), OTHER_PREDIKAT)
    if unknown is not None and len(unknown):
        d = pd.concat([d, unknown.assign(predikat=OTHER_PREDIKAT)[["kategori", "predikat", "jumlah"]]])
    d = d.groupby(["kategori", "predikat"], as_index=False, sort=False)["jumlah"].sum()
    total = d.groupby("kategori")["jumlah"].transform("sum")
    d["pct"] = (100.0 * d["jumlah"] / total).where(total > 0)
    return d


def predikat_distribution(df: pd.DataFrame, *, tahun: int | None = None, unknown: pd.DataFrame | None = None,
                          instrument: Instrument | None = None) -> go.Figure:
    """Stacked 100 % bars: share of instansi per predikat within each category, one segment per band of
    the year's instrument (names and colours from its file). Rows whose predikat is not one of the
    bands (or `unknown`: kategori, jumlah) form a grey "lainnya" segment."""
    ins = instrument or scale.instrument_for(tahun)
    names = list(ins.predikat_names if ins is not None else theme.PREDIKAT_ORDER)
    band_colors = theme.predikat_colors(ins)
    d = _predikat_counts(df, unknown, names)
    present = [k for k in KATEGORI_RINGKAS if k in set(d["kategori"])]
    present += sorted(set(d["kategori"]) - set(present))
    order = names + ([OTHER_PREDIKAT] if (d.loc[d["predikat"] == OTHER_PREDIKAT, "jumlah"] > 0).any() else [])
    fig = go.Figure()
    for predikat in reversed(order):
        part = d[d["predikat"] == predikat].set_index("kategori").reindex(present)
        fig.add_trace(go.Bar(
            name=predikat, y=plot_list(present), x=_clean(part["pct"]), orientation="h",
            marker_color=band_colors.get(predikat, OTHER_COLOR), customdata=_clean(part["jumlah"]),
            text=[pct(v, 0) if v and v >= 8 else "" for v in _clean(part["pct"])], textposition="inside",
            textangle=0,
            hovertemplate="%{y} · " + predikat + "<br>%{x:.1f} % (%{customdata} instansi)<extra></extra>"))
    fig.update_layout(barmode="stack", title=f"Sebaran predikat per kategori{f' {tahun}' if tahun else ''}",
                      legend={"traceorder": "normal"})
    fig.update_xaxes(title="Porsi instansi (%)", range=[0, 100], ticksuffix=" %")
    fig.update_yaxes(title=None, autorange="reversed", automargin=True)
    _legend_below(fig, height=480)
    return fig


def baik_share(df: pd.DataFrame, targets: pd.DataFrame, *, threshold: float,
               tahun: int | None = None) -> go.Figure:
    """Share of instansi at least 'Baik' per category (category_averages.baik_pct) vs target shares."""
    cats = plot_list(df["kategori"].tolist())
    vals = _clean(df["baik_pct"])
    ins = scale.instrument_for(tahun)  # the bar takes the colour of the band the threshold opens
    band = next((b for b in (ins.bands if ins else ()) if b.batas_bawah <= threshold < b.batas_atas), None)
    fig = go.Figure(go.Bar(
        name="Porsi Baik ke atas (dihitung ulang)", y=cats, x=vals, orientation="h",
        marker_color=(band.warna if band and band.warna else theme.PALETTE[2]), text=[pct(v) for v in vals], textposition="inside",
        insidetextanchor="end", textangle=0, customdata=_clean(df["jumlah_instansi"]),
        hovertemplate="%{y}<br>%{x:.1f} % dari %{customdata} instansi<extra></extra>"))
    if len(targets):
        t = targets.set_index("kategori").reindex(df["kategori"].tolist())
        label = "Target " + "/".join(str(int(y)) for y in sorted(targets["tahun"].unique()))
        fig.add_trace(go.Scatter(
            name=label, y=cats, x=_clean(t["target_baik_pct"]), mode="markers",
            marker={"symbol": "line-ns", "size": 30, "line": {"width": 4, "color": theme.SERIES_STYLE["target"]["color"]}},
            customdata=plot_list(t["kelompok_target"].tolist()),
            hovertemplate="%{y}: " + label + " %{x:.0f} % (%{customdata})<extra></extra>"))
    fig.update_layout(title=f"Porsi berpredikat Baik ke atas (indeks ≥ {num(threshold, 1)})"
                            f"{f', {tahun}' if tahun else ''}")
    fig.update_xaxes(title="Porsi instansi (%)", range=[0, 102], ticksuffix=" %")
    fig.update_yaxes(title=None, autorange="reversed", automargin=True)
    _legend_below(fig, height=480)
    return fig


def national_trend(df: pd.DataFrame, registry: InstrumentRegistry) -> go.Figure:
    """Official national index (resmi), recomputed mean (dihitung ulang) and the national target."""
    years = [int(y) for y in df["tahun"]]
    if "jumlah_instansi" in df.columns:  # a year the warehouse holds a handful of instansi of has no recomputed mean
        df = df.assign(dihitung=df["dihitung"].where(df["jumlah_instansi"].fillna(0) >= MIN_MEAN_INSTANSI))
    fig = go.Figure()
    for col, key, mode in (("resmi", "nasional_resmi", "lines+markers"), ("dihitung", "nasional_dihitung", "lines+markers"),
                           ("target", "target", "lines+markers")):
        s = theme.SERIES_STYLE[key]
        name = "Target nasional" if key == "target" else s["name"]
        fig.add_trace(go.Scatter(x=years, y=_by_year(df, years, col), name=name, mode=mode, connectgaps=False,
                                 line={"color": s["color"], "dash": s["dash"]},
                                 hovertemplate="%{x}: %{y:.2f}<extra>" + name + "</extra>"))
    add_instrument_breaks(fig, registry, years)
    name = scale.index_name(years=years)
    fig.update_layout(title=f"{name} nasional {min(years)}–{max(years)}")
    _year_axis(fig, years, title="Tahun evaluasi")
    fig.update_yaxes(title=name)
    _legend_below(fig, height=440, bottom=150)
    return fig


# --- profil / bandingkan ---------------------------------------------------------------------
def radar(df: pd.DataFrame, *, series: str, theta: str = "sumbu", r: str = "nilai", title: str,
          styles: dict | None = None, order: list[str] | None = None, levels: tuple[int, int] | None = None) -> go.Figure:
    """One closed polygon per series; theta = the component labels in `order`; the radius spans the
    level scale `levels` (default: the registry's). styles: series name → {"color", "dash", "fill"};
    unstyled series get instansi colours."""
    order = order or list(dict.fromkeys(df[theta]))
    styles = styles or {}
    lo_hi = levels or scale.scale_of()
    fig = go.Figure()
    for n, (name, part) in enumerate(df.groupby(series, sort=False)):
        vals = _clean(part.set_index(theta)[r].reindex(order))
        if all(v is None for v in vals):
            continue
        st_ = styles.get(name, {"color": INSTANSI_COLORS[n % len(INSTANSI_COLORS)], "dash": "solid", "fill": True})
        name = plot(name)
        fig.add_trace(go.Scatterpolar(
            r=vals + vals[:1], theta=plot_list(order + order[:1]), name=name, mode="lines+markers",
            line={"color": st_["color"], "dash": st_.get("dash", "solid"), "width": 2.5 if st_.get("fill") else 1.8},
            fill="toself" if st_.get("fill") else "none", opacity=0.85,
            hovertemplate="%{theta}: %{r:.2f}<extra>" + name + "</extra>"))
    fig.update_layout(title=plot(title), margin={"l": 90, "r": 90, "t": 90}, polar={
        "radialaxis": {"range": scale.radial_range(*lo_hi), "tickvals": scale.level_ticks(*lo_hi)},
        "angularaxis": {"tickmode": "array", "tickvals": plot_list(order), "ticktext": [_wrap(plot(t)) for t in order]}})
    _legend_below(fig, height=470 + 20 * len(fig.data), bottom=95 + 20 * len(fig.data), vertical=True)
    return fig


def profile_radar(comp: pd.DataFrame, nama: str, *, kategori: str, instrument: str, tahun: int) -> go.Figure:
    """Radar of one instansi's components (instansi_components rows of one jenis) vs means."""
    ins = scale.instrument_for(tahun)
    axes = [component_label(k, lab, scale.index_name(ins)) for k, lab in zip(comp["kode"], comp["label"])]

    def complete(col: str) -> bool:  # KemenPANRB's own figure on every axis: drawn instead of the recomputed one
        return col in comp and len(comp) > 0 and bool(comp[col].notna().all())

    nas_resmi, kat_resmi = complete("resmi_nasional"), complete("resmi_kategori")
    cols = {"nilai": (nama, {"color": INSTANSI_COLORS[0], "fill": True}),
            "resmi_nasional" if nas_resmi else "rerata_nasional": (
                "Rata-rata nasional (resmi KemenPANRB)" if nas_resmi else theme.SERIES_STYLE["nasional_dihitung"]["name"],
                theme.SERIES_STYLE["nasional_dihitung"]),
            "resmi_kategori" if kat_resmi else "rerata_kategori": (
                f"Rata-rata {kategori} ({'resmi KemenPANRB' if kat_resmi else 'dihitung ulang'})", theme.SERIES_STYLE["kategori"]),
            "rerata_provinsi": (theme.SERIES_STYLE["provinsi"]["name"], theme.SERIES_STYLE["provinsi"])}
    long = pd.concat([pd.DataFrame({"seri": name, "sumbu": axes, "nilai": comp[col].to_numpy()})
                      for col, (name, _) in cols.items() if col in comp], ignore_index=True)
    jenis = "aspek" if (comp["jenis"] == "aspek").all() else "domain"
    return radar(long, series="seri", order=axes, styles={name: s for name, s in cols.values()},
                 title=f"Profil {jenis} {nama} {tahun} ({instrument})", levels=scale.scale_of(ins))


def grouped_bars(df: pd.DataFrame, *, x: str, y: str, series: str, title: str, yaxis_title: str = "Nilai",
                 colors: dict[str, str] | None = None, levels: tuple[int, int] | None = None) -> go.Figure:
    """Grouped bars (e.g. domain values per instansi); missing values leave an empty slot."""
    cats = list(dict.fromkeys(df[x]))
    groups = list(df.groupby(series, sort=False))
    fig = go.Figure()
    for n, (name, part) in enumerate(groups):
        vals = _clean(part.set_index(x)[y].reindex(cats))
        color = (colors or {}).get(name, INSTANSI_COLORS[n % len(INSTANSI_COLORS)])
        name = plot(name)
        fig.add_trace(go.Bar(name=name, x=plot_list(cats), y=vals, marker_color=color,
                             text=[num(v) for v in vals] if len(groups) <= 2 else None, textposition="outside",
                             hovertemplate="%{x}: %{y:.2f}<extra>" + name + "</extra>"))
    fig.update_layout(barmode="group", title=plot(title))
    fig.update_yaxes(title=plot(yaxis_title), range=scale.bar_range(*(levels or scale.scale_of())))
    fig.update_xaxes(title=None, automargin=True)
    _legend_below(fig, height=440 + 20 * len(groups), bottom=110 + 20 * len(groups), vertical=True)
    return fig


# --- tren -----------------------------------------------------------------------------------
def index_trend(trend: pd.DataFrame, years: list[int], registry: InstrumentRegistry, *,
                national: pd.DataFrame | None = None, category: pd.DataFrame | None = None,
                category_name: str | None = None, highlight_year: int | None = None,
                show_target: bool = True, colors: dict[str, str] | None = None) -> go.Figure:
    """Index per year for the chosen instansi (instansi_trend) against the official national line
    and the recomputed category mean; predikat bands shaded, instrument breaks marked, gaps kept."""
    years = sorted(int(y) for y in years)
    fig = go.Figure()
    add_predikat_bands(fig, registry, years)
    if national is not None and len(national):
        s = theme.SERIES_STYLE["nasional_resmi"]
        fig.add_trace(go.Scatter(x=years, y=_by_year(national, years, "resmi"), name=s["name"], mode="lines+markers",
                                 line={"color": s["color"], "dash": s["dash"], "width": 1.8}, marker={"size": 5},
                                 connectgaps=False, hovertemplate="%{x}: %{y:.2f}<extra>" + s["name"] + "</extra>"))
        if show_target and national["target"].notna().any():
            s = theme.SERIES_STYLE["target"]
            fig.add_trace(go.Scatter(x=years, y=_by_year(national, years, "target"), name="Target nasional",
                                     mode="lines+markers", line={"color": s["color"], "dash": s["dash"], "width": 1.2},
                                     marker={"size": 6, "symbol": "diamond"}, connectgaps=False,
                                     hovertemplate="%{x}: %{y:.2f}<extra>Target nasional</extra>"))
    if category is not None and "jumlah_instansi" in category.columns:  # a year with a handful of instansi
        category = category[category["jumlah_instansi"] >= MIN_MEAN_INSTANSI]  # (e.g. one LHE) is no mean
    if category is not None and len(category):
        s = theme.SERIES_STYLE["kategori"]
        name = f"Rata-rata {plot(category_name)} (dihitung ulang)" if category_name else s["name"]
        counts = _by_year(category, years, "jumlah_instansi") if "jumlah_instansi" in category.columns else [None] * len(years)
        fig.add_trace(go.Scatter(x=years, y=_by_year(category, years, "indeks"), name=name, mode="lines",
                                 line={"color": s["color"], "dash": s["dash"], "width": 1.8}, connectgaps=False,
                                 customdata=[integer(c) if c is not None else "—" for c in counts],
                                 hovertemplate="%{x}: %{y:.2f} (%{customdata} instansi)<extra>" + name + "</extra>"))
    for n, (_iid, part) in enumerate(trend.groupby("instansi_id", sort=False)):
        raw = str(part["nama"].iloc[0])
        name = plot(raw)
        fig.add_trace(go.Scatter(
            x=years, y=_by_year(part, years), name=name, mode="lines+markers", connectgaps=False,
            line={"color": (colors or {}).get(raw, INSTANSI_COLORS[n % len(INSTANSI_COLORS)]), "width": 3},
            marker={"size": 8},
            customdata=[plot(p) if isinstance(p, str) else "—" for p in _by_year(part, years, "predikat")],
            hovertemplate="%{x}: %{y:.2f} (%{customdata})<extra>" + name + "</extra>"))
    add_instrument_breaks(fig, registry, years)
    if highlight_year in years:
        fig.add_vrect(x0=highlight_year - 0.4, x1=highlight_year + 0.4, fillcolor="#9aa5b1", opacity=0.12,
                      line_width=0, layer="below", name="tahun_terpilih")
    name = scale.index_name(years=years)
    fig.update_layout(title=f"{name} {who_title(list(dict.fromkeys(trend['nama'])))}{min(years)}–{max(years)}",
                      hovermode="x unified")
    _year_axis(fig, years, title="Tahun evaluasi")
    fig.update_yaxes(title=name, range=list(registry.scale(years)))
    _legend_below(fig, height=560, bottom=180)
    return fig


def component_trend(df: pd.DataFrame, years: list[int], registry: InstrumentRegistry, *,
                    jenis: str = "domain", title: str | None = None) -> go.Figure:
    """Domain or aspect series, one panel per instrument period and one trace per
    (instrument, component): a series is never joined across an instrument break."""
    years = sorted(int(y) for y in years)
    periods = _periods(registry, years)
    fig = make_subplots(rows=1, cols=len(periods), shared_yaxes=True, horizontal_spacing=0.05,
                        column_widths=[len(c) for _, c in periods],
                        subplot_titles=[f"{ins.nama} ({min(c)}–{max(c)})" for ins, c in periods])
    color_of: dict[str, str] = {}  # a label keeps its colour in every panel where it appears
    for col, (ins, covered) in enumerate(periods, start=1):
        comps = [(plot(kode), plot(g["label"].iloc[0]), g)
                 for kode, g in df[df["instrument_id"] == ins.id].groupby("kode", sort=True)]
        panel = {lab: color_of[lab] for _, lab, _ in comps if lab in color_of}
        for _, lab, _ in comps:
            if lab not in panel:
                panel[lab] = next(c for c in COMPONENT_COLORS if c not in panel.values())
        color_of.update(panel)
        for kode, label, comp in comps:
            fig.add_trace(go.Scatter(
                x=covered, y=_by_year(comp, covered, "nilai"), name=f"{kode} {label}", mode="lines+markers",
                legendgroup=ins.id, legendgrouptitle={"text": ins.nama + "\u2003\u2003"}, connectgaps=False,
                line={"color": panel[label]}, meta={"instrument_id": ins.id, "kode": kode},
                hovertemplate=f"{kode} {label} ({ins.nama})<br>" + "%{x}: %{y:.2f}<extra></extra>"), row=1, col=col)
        fig.update_xaxes(tickmode="array", tickvals=covered, ticktext=[str(y) for y in covered],
                         range=[min(covered) - 0.4, max(covered) + 0.4], title="Tahun evaluasi", row=1, col=col)
    for ann, (axis, _) in zip(fig.layout.annotations, [(fig.get_subplot(1, c).xaxis, None) for c in range(1, len(periods) + 1)]):
        ann.update(x=axis.domain[0], xanchor="left", font={"size": 13})  # clear of the DATA SINTETIS mark
    lo, hi = registry.scale(years)
    fig.update_yaxes(range=[lo - 0.2, hi + 0.1], row=1, col=1, title=f"Nilai {jenis}")
    fig.update_layout(title=plot(title) if title else f"Nilai {jenis} per periode instrumen (tidak disambung antar-instrumen)",
                      margin={"t": 100}, legend={"orientation": "h"})
    rows = 1 + max((df[df["instrument_id"] == ins.id]["kode"].nunique() for ins, _ in periods), default=0)
    bottom = 40 + 21 * rows + 75  # legend groups side by side, one entry per row, under the x-axis title
    _legend_below(fig, height=100 + 320 + bottom, bottom=bottom)
    return fig
