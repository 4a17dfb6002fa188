"""What Ringkasan nasional shows of a year, built once per (snapshot, year) and kept read only (issue 14).

Each rerun read the national series, the component means, the predikat distribution, the whole ranking
(6 400 rows at 10×, only to count predikat outside the instrument's bands) and the category averages again,
and worked out the weakest aspect again. They are made here once per `figure_cache.scope()` (warehouse
folder + snapshot id: a new snapshot or an upload gives new views) and year; the page only draws them.
"""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import streamlit as st

from domain.definitions import components_from, weakest
from rendering.format import num
from rendering.safe_text import md
from ui import data, figure_cache

CACHE_TTL_S = 1800
MAX_VIEWS = 64
BUILDS = {"n": 0}       # views built (for tests: a warm rerun builds none)


def view(year: int) -> SimpleNamespace:
    """The national figures of `year` on this session's snapshot (shared, never modified)."""
    return _view(figure_cache.scope(), int(year))


def _weakest_text(comp: pd.DataFrame, year: int) -> str:
    aspects = comp[(comp["kategori"] == "Nasional") & (comp["jenis"] == "aspek")].dropna(subset=["nilai"])
    if len(aspects):
        first = weakest(components_from(aspects.rename(columns={"komponen": "kode"}).to_dict("records")), 1)[0]
        weak = aspects[aspects["komponen"] == first.kode].iloc[0]
        official = f" (resmi: {num(weak['resmi'])})" if pd.notna(weak["resmi"]) else ""
        return (f"**Aspek terlemah secara nasional {year}:** {md(weak['komponen'])} {md(weak['label'])} — rata-rata "
                f"dihitung ulang **{num(weak['nilai'])}**{official}, dari {len(aspects)} aspek instrumen tahun ini.")
    if len(resmi_aspek := data.run("official_aspect_means", year=year)):
        first = weakest(components_from(resmi_aspek.to_dict("records")), 1)[0]
        weak = resmi_aspek[resmi_aspek["kode"] == first.kode].iloc[0]
        return (f"**Aspek terlemah secara nasional {year} (resmi):** {md(weak['label'])} — rata-rata resmi "
                f"**{num(weak['nilai'])}** ({md(weak['sumber'])}). Gudang data hanya memuat nilai domain per instansi, "
                "jadi tidak ada rata-rata aspek yang dihitung ulang.")
    return (f"Nilai aspek {year} belum tersedia (hanya nilai domain yang dipublikasikan); aspek terlemah tidak dapat "
            "ditentukan.")


@st.cache_resource(max_entries=MAX_VIEWS, ttl=CACHE_TTL_S, show_spinner=False)
def _view(scope: tuple[str, str], year: int) -> SimpleNamespace:
    BUILDS["n"] += 1
    nat = data.run("national_trend").set_index("tahun")
    comp = data.run("component_means", year=year)
    dist = data.run("predikat_distribution", year=year)
    unknown = None
    if not dist.empty:
        # an imported predikat outside the instrument's bands is refused (etl.validate_published); one that
        # reached the warehouse some other way is counted as "lainnya", never silently left out
        bands = {band.nama for band in data.registry().for_year(year).bands}
        rank = data.run("ranking", year=year)
        odd = rank[rank["predikat"].notna() & ~rank["predikat"].isin(bands)]
        unknown = odd.groupby("kategori", as_index=False).size().rename(columns={"size": "jumlah"})
    return SimpleNamespace(
        nat=nat, comp=comp, weakest=None if comp.empty else _weakest_text(comp, year),
        dist=dist, unknown=unknown, cats=data.run("category_averages", year=year),
        two=nat[nat["resmi_lain"].notna()])
