"""Chart images of a brief: the dashboard's own chart factories (rendering.charts), exported as PNG.

The brief draws exactly what the profile page draws: `rendering.charts.profile_radar` (aspects, or
domains when only domain values exist, against the recomputed means) and `rendering.charts.index_trend`
(index over the years with the official national line, target, category mean, predikat bands and
instrument breaks), decorated with the same source line and DATA SINTETIS mark and rendered by
`rendering.export_document.document_bytes` (kaleido + chromium) — the same Word-ready file as the
chart downloads: 1600 px wide, square radar.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pandas as pd

from rendering.charts import index_trend, profile_radar
from rendering.export import decorate
from rendering.export_document import document_bytes

# The brief places charts at ≈ 10–12 cm (a square radar 10 × 10 cm, the trend 12 cm wide), not the
# 16 cm of the chart downloads: the same 1600 px files with larger text (15 px; ≈ 7 pt on paper).
BRIEF_CHART = {"width": 640, "font": 15}

__all__ = ["brief_charts", "radar_figure", "trend_figure", "short_indicator_name"]


def short_indicator_name(name: str) -> str:
    """'Tingkat Kematangan Layanan Data Terbuka' → 'Layanan Data Terbuka' (as rendering.charts_gap does)."""
    text = str(name)
    return text[len("Tingkat Kematangan "):] if text.lower().startswith("tingkat kematangan ") else text


def radar_figure(brief, comp: pd.DataFrame):
    jenis = "aspek" if brief.has_indicators and (comp["jenis"] == "aspek").any() else "domain"
    part = comp[comp["jenis"] == jenis].sort_values("urutan")
    fig = profile_radar(part, brief.nama, kategori=brief.kategori_ringkas, instrument=brief.instrument_nama,
                        tahun=brief.tahun)
    return decorate(fig, source=brief.source_line, synthetic=brief.synthetic)


def trend_figure(brief, trend: pd.DataFrame, national: pd.DataFrame, registry, category: pd.DataFrame | None = None):
    years = sorted(set(int(y) for y in national["tahun"]) | set(int(y) for y in trend["tahun"]))
    fig = index_trend(trend, years, registry, national=national, category=category,
                      category_name=brief.kategori_ringkas, highlight_year=brief.tahun)
    fig.update_layout(hovermode=False)
    return decorate(fig, source=brief.source_line, synthetic=brief.synthetic)


def brief_charts(brief, *, comp: pd.DataFrame, trend: pd.DataFrame, national: pd.DataFrame, registry,
                 category: pd.DataFrame | None = None) -> tuple[bytes | None, bytes | None]:
    """Radar and trend PNGs, rendered side by side on the shared export browser (two tabs)."""
    figs = [radar_figure(brief, comp) if len(comp) else None,
            trend_figure(brief, trend, national, registry, category) if len(trend) else None]

    def png(fig):
        return None if fig is None else document_bytes(fig, "png", **BRIEF_CHART)

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="brief-chart") as pool:
        radar_png, trend_png = pool.map(png, figs)
    return radar_png, trend_png
