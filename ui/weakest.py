"""The one "aspek terlemah" line (domain.definitions.weakest) as shown on the profile and gaps pages."""
from __future__ import annotations

import pandas as pd

from domain.definitions import WEAKEST_RULE, components_from, domain_points_lost, weakest
from rendering.format import num
from rendering.safe_text import md

SHOWN = 3


def weakest_components(comp: pd.DataFrame, gaps: pd.DataFrame | None, instrument, n: int = SHOWN) -> tuple[str, list]:
    """(jenis, weakest components) of an instansi_components frame: aspects when known (points lost
    from the indicator_gaps rows), else domains (points lost from their value and weight)."""
    aspek = comp[(comp["jenis"] == "aspek") & comp["nilai"].notna()]
    if len(aspek):
        lost = {} if gaps is None or gaps.empty else gaps.groupby("kode_aspek")["biaya_indeks"].sum().to_dict()
        return "aspek", weakest(components_from(aspek.to_dict("records"), lost), n)
    dom = comp[(comp["jenis"] == "domain") & comp["nilai"].notna()]
    weights = {d.kode: float(d.bobot) for d in instrument.domains}
    lost = {k: domain_points_lost(v, weights.get(k, 0.0), instrument.target_level) for k, v in zip(dom["kode"], dom["nilai"])}
    return "domain", weakest(components_from(dom.to_dict("records"), lost), n)


def weakest_text(comp: pd.DataFrame, gaps: pd.DataFrame | None, instrument, n: int = SHOWN) -> str | None:
    """'**Aspek terlemah** (nilai terendah; bila sama, …): A3 Label (1,50), …' — markdown, escaped."""
    jenis, found = weakest_components(comp, gaps, instrument, n)
    if not found:
        return None
    labels = dict(zip(comp["kode"], comp["label"]))
    listed = ", ".join(f"{md(c.kode)} {md(labels.get(c.kode, ''))} ({num(c.nilai)})" for c in found)
    return f"**{jenis.capitalize()} terlemah** ({WEAKEST_RULE}): {listed}."
