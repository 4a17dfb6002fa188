"""A planner result as plain data for reports: the RPJMD brief, the XLSX export and the page.

    section = plan_section(plan, instrument, load_guidance(instrument.id))
    section["ringkasan"]   # one Indonesian paragraph
    section["tahun"]       # one row per plan year (index, predikat, target, met, raises)
    section["kenaikan"]    # one row per level-up: year, indicator, from → to, index gain, cost,
                           # why it was chosen (alasan), requirement

Words: "target RPJMD" is the analyst's own yearly index target (the planner's input); it is never
called just "target" next to the *target indeks nasional tahunan* (KemenPANRB's national figure,
e.g. 2,85 for 2024) or the *ambang predikat Baik* (2,60, the band's lower bound); the *level
target* (3) is the regulation's per-indicator level.

Pure (stdlib + domain): numbers stay numbers (floats, ints), texts are Indonesian; formatting
for display (decimal comma) is the caller's job, except inside the sentences of ``ringkasan``
(written with domain.numbers, half-up like every other output).
"""
from __future__ import annotations

from fractions import Fraction

from domain.guidance import next_level_requirement
from domain.instrument import Instrument
from domain.numbers import amount, num
from domain.planner import Plan, PlanYear

JADWAL_TEKS = {
    "awal": "setiap kenaikan level dijadwalkan sedini mungkin (indeks tiap tahun setinggi mungkin)",
    "merata": "kenaikan level yang sama disebar merata ke setiap tahun (jumlahnya per tahun berselisih paling "
              "banyak satu, kecuali target RPJMD suatu tahun memerlukan lebih; upaya total sama)",
}
NO_GUIDANCE = "— (panduan belum tersedia untuk instrumen ini)"


def plan_section(plan: Plan, instrument: Instrument, guidance: dict[tuple[int, int], str]) -> dict:
    """The plan as a dict: title, summary sentence(s), yearly rows, one row per level-up, notes.

    ``guidance``: {(no_indikator, level): syarat} (``domain.guidance.load_guidance``); the
    requirement of a level-up from L to L+1 is the syarat of level L+1.
    """
    years = [y.year for y in plan.years]
    first, last = (min(years), max(years)) if years else (None, None)
    raises = _raise_rows(plan, instrument, guidance)
    rows = [{
        "tahun": y.year, "target": y.target, "indeks": y.index, "predikat": y.predikat,
        "tercapai": y.met, "indeks_maksimum": y.best_reachable,
        "jumlah_kenaikan": sum(y.steps.values()), "upaya": y.effort,
        "indikator_dinaikkan": list(y.raise_),
    } for y in plan.years]
    start_pred = instrument.predikat(plan.start_index)
    end = plan.years[-1] if plan.years else None
    parts = [f"Dari indeks {num(plan.start_index)} ({start_pred})"]
    if end is not None:
        parts.append(f"rencana {first}–{last} mencapai {num(end.index)} ({end.predikat}) pada {last} "
                     f"dengan {len(raises)} kenaikan level (upaya total {amount(plan.total_effort)})")
    text = ", ".join(parts) + "."
    below = sum(1 for r in raises if plan.target_level and r["dari_level"] < plan.target_level)
    if below:
        text += (f" {below} kenaikan membawa indikator di bawah level target {plan.target_level} ke level itu "
                 "lebih dulu.")
    if plan.reachable:
        text += " Semua target RPJMD tahunan tercapai."
    else:
        misses = [f"{y} (target {num(next(r['target'] for r in rows if r['tahun'] == y))}, "
                  f"paling tinggi {num(plan.best_reachable[y])})" for y in plan.unreachable_years]
        text += " Target RPJMD tidak tercapai pada " + "; ".join(misses) + "."
    return {
        "judul": f"Rencana pencapaian Indeks SPBE {first}–{last}" if first else "Rencana pencapaian Indeks SPBE",
        "instrumen": instrument.nama,
        "jadwal": plan.jadwal,
        "jadwal_teks": JADWAL_TEKS.get(plan.jadwal, plan.jadwal),
        "indeks_awal": plan.start_index,
        "predikat_awal": start_pred,
        "tercapai": plan.reachable,
        "total_upaya": plan.total_effort,
        "tahun_tidak_tercapai": list(plan.unreachable_years),
        "ringkasan": text,
        "biaya_teks": cost_text(plan),
        "tahun": rows,
        "kenaikan": raises,
        "catatan": list(plan.notes),
        "sumber_syarat": "Ringkasan (parafrase) kriteria tingkat kematangan PermenPANRB; rujuk peraturannya.",
    }


def _raise_rows(plan: Plan, instrument: Instrument, guidance) -> list[dict]:
    """One row per level-up, in plan order: year, indicator, from → to, gain, cost, why, requirement."""
    why = _reasons(plan, instrument)
    raises, prev = [], None
    for y in plan.years:
        before = prev if prev is not None else {no: lv - y.steps.get(no, 0) for no, lv in y.levels.items()}
        for no in y.raise_:
            ind = instrument.indicator(no)
            for level in range(before[no], y.levels[no]):
                raises.append({
                    "tahun": y.year, "no_indikator": no, "nama_indikator": ind.nama,
                    "kode_aspek": instrument.aspect(ind.no_aspek).kode,
                    "dari_level": level, "ke_level": level + 1,
                    "tingkat": instrument.level_name(no, level + 1),
                    "tambah_indeks": float(Fraction(ind.bobot) / 100),
                    "biaya": plan.unit_costs.get(no, {}).get(level),
                    "alasan": why(no, level, y.year),
                    "syarat": next_level_requirement(guidance, no, level) or NO_GUIDANCE,
                })
        prev = y.levels
    return raises


def cost_text(plan: Plan) -> str:
    """'Biaya per kenaikan level: 1→2 = 1; 2→3 = 1,5; 3→4 = 3; 4→5 = 6 (dikali bobot upaya indikator).'"""
    steps = "; ".join(f"{lv}→{lv + 1} = {amount(c)}" for lv, c in sorted(plan.level_costs.items()))
    return f"Biaya per kenaikan level: {steps} (dikali bobot upaya indikator)." if steps else ""


def _reasons(plan: Plan, instrument: Instrument):
    """why(no, from_level, year) → why that level-up is in the plan, in words:
    below the level target (raised first), the lowest cost per index point among the level-ups
    not taken, or needed for a year's RPJMD target (a dearer level-up that fits the need)."""
    bobot = {i.no: Fraction(i.bobot) for i in instrument.indicators}
    first: PlanYear | None = plan.years[0] if plan.years else None
    final = plan.years[-1].levels if plan.years else {}
    current = {no: lv - first.steps.get(no, 0) for no, lv in first.levels.items()} if first else {}
    room = len(plan.years) * plan.max_step
    untaken = [Fraction(str(costs[final[no]])) / bobot[no] for no, costs in plan.unit_costs.items()
               if final[no] in costs and final[no] - current[no] < room]
    cheapest = min(untaken, default=None)
    target_years = sorted(y.year for y in plan.years if y.target is not None)

    def why(no: int, level: int, year: int) -> str:
        if plan.target_level and level < plan.target_level:
            return f"di bawah level target {plan.target_level}"
        for_year = next((t for t in target_years if t >= year), None)
        goal = f"target RPJMD {for_year}" if for_year else "target RPJMD"
        cost = plan.unit_costs.get(no, {}).get(level)
        if cost is not None and (cheapest is None or Fraction(str(cost)) / bobot[no] <= cheapest):
            return f"biaya terkecil per poin indeks (untuk {goal})"
        return f"diperlukan untuk {goal}"
    return why
