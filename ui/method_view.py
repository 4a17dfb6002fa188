"""What the methodology page shows of an instrument, built once per instrument and kept read only (issue 14).

The instrument files do not change while the server runs (domain.instrument caches the registry), yet each
rerun of Metodologi built the open tab's three tables (pandas from dataclasses, then pandas → Arrow in
st.dataframe), the predikat bands table and the worked example's exact fractions and LaTeX again. They are
made here once per instrument object, the tables kept as the Arrow tables st.dataframe would make of them
(the same bytes, converted once); a new registry (other instrument files) has other objects, so other views.
"""
from __future__ import annotations

import threading
from fractions import Fraction
from types import SimpleNamespace

import pandas as pd
from streamlit.dataframe_util import convert_pandas_df_to_arrow_table as arrow

from domain import scoring
from rendering import format as fmt

_VIEWS: dict[tuple[str, int], tuple[object, SimpleNamespace]] = {}   # (what, id(instrument)) → (instrument, view)
_MAX = 64
_LOCK = threading.Lock()
BUILDS = {"n": 0}   # views built (for tests: a warm rerun builds none)


def _cached(what: str, ins, build) -> SimpleNamespace:
    key = (what, id(ins))
    hit = _VIEWS.get(key)
    if hit is not None and hit[0] is ins:
        return hit[1]
    view = build(ins)
    BUILDS["n"] += 1
    with _LOCK:
        while len(_VIEWS) >= _MAX:
            _VIEWS.pop(next(iter(_VIEWS)))
        _VIEWS[key] = (ins, view)
    return view


def tex(value, decimals: int = 2) -> str:
    """A number for LaTeX with the id-ID decimal comma."""
    return fmt.num(value, decimals).replace(",", "{,}")


def _instrument(ins) -> SimpleNamespace:
    dom = pd.DataFrame([{"Kode": d.kode, "Domain": d.label, "Nama": d.nama, "Bobot (%)": fmt.num(d.bobot, 1)}
                        for d in ins.domains])
    asp = pd.DataFrame([{"Kode": a.kode, "Aspek": a.label, "Nama": a.nama,
                         "Domain": ins.domain(a.no_domain).kode, "Bobot (%)": fmt.num(a.bobot, 1),
                         "Indikator": sum(1 for i in ins.indicators if i.no_aspek == a.no)} for a in ins.aspects])
    ind = pd.DataFrame([{"No": i.no, "Indikator": i.nama, "Aspek": ins.aspect(i.no_aspek).kode,
                         "Bobot (%)": fmt.num(i.bobot), "Skala": i.skala} for i in ins.indicators])
    return SimpleNamespace(
        text=(f"**{ins.regulasi}** — {len(ins.indicators)} indikator, {len(ins.aspects)} aspek, "
              f"{len(ins.domains)} domain. Target: indeks ≥ {fmt.num(ins.target_indeks)}, level "
              f"{ins.target_level} per indikator. Sumber bobot: {ins.sumber}."),
        domains=arrow(dom), aspects=arrow(asp), indicators=arrow(ind),
        scale="Skala kematangan — " + " · ".join(
            f"*{k}*: " + ", ".join(f"{n} {lab}" for n, lab in enumerate(v, start=1)) for k, v in ins.skala.items()))


def instrument(ins) -> SimpleNamespace:
    """An instrument tab: its summary line, domain/aspect/indicator tables (Arrow) and maturity scale."""
    return _cached("instrumen", ins, _instrument)


def _bands(ins) -> SimpleNamespace:
    rows = [{"Predikat": b.nama, "Rentang indeks": (f"{fmt.num(b.batas_bawah)} – {fmt.num(b.batas_atas)}" if i == 0
                                                    else f"{fmt.num(b.batas_bawah)} – < {fmt.num(b.batas_atas)}")}
            for i, b in enumerate(ins.bands)]
    return SimpleNamespace(table=arrow(pd.DataFrame(rows)))


def bands(ins) -> SimpleNamespace:
    """The instrument's predikat bands table (Arrow)."""
    return _cached("predikat", ins, _bands)


def _example(ins) -> SimpleNamespace:
    ex_levels = dict(zip([i.no for i in ins.indicators if i.no_aspek == 2], (3, 4, 3, 2)))
    aspek2 = scoring.aspect_values(ins, {i.no: ex_levels.get(i.no, 1) for i in ins.indicators})[2]
    ex_aspects = {2: Fraction(3), 3: Fraction(4), 4: Fraction(3)}
    domain2 = scoring.domain_values(ins, {a.no: ex_aspects.get(a.no, Fraction(0)) for a in ins.aspects})[2]
    ex_domains = {1: Fraction("3.70"), 2: Fraction("3.40"), 3: Fraction("3.00"), 4: Fraction("3.20")}
    indeks = scoring.index_value(ins, ex_domains)
    a2 = [i for i in ins.indicators if i.no_aspek == 2]
    d2 = [a for a in ins.aspects if a.no_domain == 2]
    return SimpleNamespace(latex=(
        r"\text{Aspek 2} = \frac{" + " + ".join(f"{ex_levels[i.no]} \\times {tex(i.bobot)}" for i in a2)
        + "}{" + tex(ins.aspect(2).bobot, 1) + "} = " + tex(scoring.round2(aspek2)),
        r"\text{Domain 2} = \frac{" + " + ".join(f"{tex(ex_aspects[a.no])} \\times {tex(a.bobot, 1)}" for a in d2)
        + "}{" + tex(ins.domain(2).bobot, 1) + "} = " + tex(scoring.round2(domain2)),
        r"\text{Indeks SPBE} = \frac{" + " + ".join(f"{tex(ex_domains[d.no])} \\times {tex(d.bobot, 1)}"
                                                   for d in ins.domains)
        + "}{100} = " + tex(float(indeks), 3) + r" \approx " + tex(scoring.round2(indeks))),
        gains=(f"Naik satu level pada indikator *i* menambah bobot*ᵢ*/100 ke indeks: mis. "
               f"+{fmt.num(scoring.index_gain(ins, 42), 3)} untuk indikator layanan publik 42–47, "
               f"+{fmt.num(scoring.index_gain(ins, 1), 3)} untuk indikator kebijakan 1–10. Nilai publikasi "
               "dibulatkan ke 2 desimal (setengah ke atas)."))


def example(ins) -> SimpleNamespace:
    """The regulation's worked example recomputed with the instrument's weights: three LaTeX lines and the
    gain of one level."""
    return _cached("contoh", ins, _example)
