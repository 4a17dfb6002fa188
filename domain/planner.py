"""RPJMD planner: the least-effort way to reach the analyst's yearly RPJMD index targets.

Costs (``level_costs`` × ``effort``). One level-up of indicator i from level L to L+1 costs
``effort[i] × level_costs[L]``: ``effort`` is a per-indicator multiplier (default 1, editable on
the page), ``level_costs`` a cost per step of the scale, never lower for a higher step. Default
``BIAYA_NAIK`` (rising): 1→2 = 1, 2→3 = 1,5, 3→4 = 3, 4→5 = 6. Reaching level 3 (a standard,
documented practice) is routine work; level 4 means integrating and measuring across units and
level 5 continuous optimisation, each roughly twice the step before. ``BIAYA_DATAR`` (one unit
per level, the planner before issue 13; ``python -m etl plan --biaya datar``) keeps plans
comparable with earlier ones.

Level target first (``prioritas_level_target``, default on). Every unlocked indicator below the
instrument's target level (``Instrument.target_level``: 3 for 59/2020, the regulation's target
for every indicator) is raised to it — as far as the step rule allows by the last plan year —
in every plan, and these level-ups come first in the "merata" schedule. Only the level-ups beyond
that floor are chosen by least effort. Off: the plain least-effort optimum.

Rules: the current levels are the state before the first plan year; each year an indicator
rises by at most ``max_step`` levels, never above ``instrument.level_max``; locked indicators
do not move. A year's target is met when the *published* index (half-up to 2 decimals, as
:mod:`domain.scoring`) is >= the target, i.e. when the exact index >= ceil_cent(target) - 0.005.
All arithmetic is exact (Fractions).

Why the solution is exactly optimal (under the stated costs)
-------------------------------------------------------------
Effort depends only on the final raises x_i. Given x, raising every indicator as early as the
step rule allows gives level_i(year k) = current_i + min(x_i, k*max_step), the highest possible
level of i in every year; so a schedule exists iff this "earliest" one works, and the problem is

    min Σ_i Σ_{u<=x_i} c_iu   s.t.  Σ_i b_i·min(x_i, k_t·max_step) >= need_t  (each target year t),
                                    f_i <= x_i <= cap_i,

with c_iu the cost of i's u-th level-up and f_i the level-target floor (0 when the rule is off).
Split x_i into unit level-ups; unit u of indicator i lands in plan year ceil(u/max_step) and
counts for every target year from then on. Units of one indicator share their weight; earlier
units count for more years and, as level costs never fall with the level, cost no more: so any
set of x_i units of i is never better than the first x_i. The first f_i units are fixed (their
weight is credited to each target year they land by); the rest is a 0/1 covering knapsack over
the units f_i+1..cap_i, where the constraint of target t only sees units landing up to t.
Processing units in landing order, the running sum of weights (integer after scaling the decimal
weights) is the whole state; after the units of target t, states below need_t are discarded
(sums are capped at the largest need; states that can no longer reach a later need are dropped
early). That dynamic programme (domain/plan_knapsack.py) is exhaustive, hence exact; pure
Python, integers only; its work is counted in ``WORK`` (tests bound it, ``python -m
bench.planner`` times it). Ties are broken by one integer key, lexicographic in (effort, -final
index, x_n, ..., x_1): among equal-effort plans the larger final index wins, then the plan raising
lower-numbered indicators. The key identifies x uniquely, so the plan is stable. Level costs that
fall with the level are refused (the prefix argument would not hold).

Unreachable targets: a target is unreachable when even raising every unlocked indicator as far
as the rules allow by that year misses it. ``best_reachable`` reports that best index per year.
The best-effort plan then treats each unreachable year's target as "do the maximum possible by
that year" and still meets every reachable target with least effort; ``reachable`` is False.

Schedules (``jadwal``), both for the same optimal x (same effort, same final levels): ``"awal"``
is the earliest schedule (front-loaded: every year's index as high as possible); ``"merata"``
spreads the level-ups evenly over the years — yearly counts differ by at most one unless a
target or the step rule needs more (domain/plan_schedule.py says exactly when).

Plan years run from ``start_year`` (default: the first target year) to the last target year;
years without a target have ``target`` and ``met`` None.
"""
from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Mapping

from domain.instrument import Instrument
from domain.numbers import amount, num
from domain.plan_knapsack import WORK as WORK  # re-exported: tests and bench read the work counter here
from domain.plan_knapsack import cover
from domain.plan_schedule import Units, even_schedule
from domain.plan_targets import PlanError as PlanError  # re-exported: callers import it from here
from domain.plan_targets import exact, resolve_target
from domain.plan_targets import targets_from_spec as targets_from_spec
from domain.scoring import Scores, score_levels

JADWAL = ("awal", "merata")  # earliest schedule / evenly spread
BIAYA_NAIK = {1: 1.0, 2: 1.5, 3: 3.0, 4: 6.0}   # cost of the level-up from L to L+1 (default)
BIAYA_DATAR = {1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0}  # one unit per level (plans before issue 13)
BIAYA = {"naik": BIAYA_NAIK, "datar": BIAYA_DATAR}


@dataclass(frozen=True)
class PlanYear:
    year: int
    index: float                 # published (2 decimals)
    predikat: str
    target: float | None         # the RPJMD target of the year; None: no target this year
    met: bool | None             # None when there is no target
    raise_: list[int]            # indicator numbers raised this year
    steps: dict[int, int]        # levels gained per raised indicator this year
    effort: float
    levels: dict[int, int]       # all levels at the end of the year
    best_reachable: float        # best index the rules allow by this year


@dataclass(frozen=True)
class Plan:
    instrument_id: str
    reachable: bool
    total_effort: float
    start_index: float
    years: list[PlanYear]
    best_reachable: dict[int, float]
    unreachable_years: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    jadwal: str = "awal"         # "awal" (earliest) or "merata" (evenly spread)
    # not in to_dict (its shape predates them): what the plan was optimised under
    unit_costs: dict[int, dict[int, float]] = field(default_factory=dict)  # unlocked: {no: {from level: cost}}
    target_level: int | None = None  # the level raised first; None when the rule was off
    level_costs: dict[int, float] = field(default_factory=dict)
    max_step: int = 1

    @property
    def raises(self) -> dict[int, int]:
        """Total levels gained per indicator over the plan."""
        out: dict[int, int] = {}
        for y in self.years:
            for no, n in y.steps.items():
                out[no] = out.get(no, 0) + n
        return dict(sorted(out.items()))

    def to_dict(self) -> dict:
        return {
            "instrument": self.instrument_id,
            "jadwal": self.jadwal,
            "reachable": self.reachable,
            "total_effort": self.total_effort,
            "start_index": self.start_index,
            "years": [{
                "year": y.year, "index": y.index, "predikat": y.predikat, "target": y.target,
                "met": y.met, "raise": list(y.raise_), "steps": {str(k): v for k, v in y.steps.items()},
                "effort": y.effort, "best_reachable": y.best_reachable,
            } for y in self.years],
            "best_reachable": {str(k): v for k, v in self.best_reachable.items()},
            "unreachable_years": list(self.unreachable_years),
            "notes": list(self.notes),
        }


def what_if(instrument: Instrument, levels: Mapping[int, int],
            changes: Mapping[int, int] | None = None) -> Scores:
    """Scores of ``levels`` (optionally with some indicators set to other levels)."""
    return score_levels(instrument, {**levels, **(changes or {})})


def cost_table(instrument: Instrument, level_costs) -> dict[int, Fraction]:
    """{from level: cost} for every step of the scale: a name ("naik", "datar") or a mapping.
    Refused: a missing step, a negative cost, or a cost lower than the step below it."""
    if level_costs is None:
        level_costs = "naik"
    if isinstance(level_costs, str):
        if level_costs not in BIAYA:
            raise PlanError(f"biaya '{level_costs}' tidak dikenal; pilihan: {', '.join(BIAYA)}")
        level_costs = BIAYA[level_costs]
    steps = range(instrument.level_min, instrument.level_max)
    table = {}
    for lv in steps:
        if lv not in level_costs:
            raise PlanError(f"biaya kenaikan level {lv}→{lv + 1} belum diisi")
        table[lv] = exact(level_costs[lv], f"biaya kenaikan level {lv}→{lv + 1}")
        if table[lv] < 0:
            raise PlanError(f"biaya kenaikan level {lv}→{lv + 1} tidak boleh negatif")
        if lv - 1 in table and table[lv] < table[lv - 1]:
            raise PlanError(f"biaya kenaikan level {lv}→{lv + 1} ({amount(table[lv])}) lebih kecil dari "
                            f"{lv - 1}→{lv} ({amount(table[lv - 1])}): biaya tidak boleh turun di level lebih tinggi")
    return table


# --- exact solver (the covering knapsack itself: domain/plan_knapsack.py) ------------------------
def _inputs(instrument, levels, targets, max_step, locked, effort, start_year):
    current = dict(levels)
    score_levels(instrument, current)  # validates completeness and range
    if not isinstance(max_step, int) or isinstance(max_step, bool) or max_step < 1:
        raise PlanError(f"max_step harus bilangan bulat >= 1, bukan {max_step!r}")
    numbers = instrument.indicator_numbers
    locked = set(locked or ())
    if locked - set(numbers):
        raise PlanError(f"indikator terkunci {sorted(locked - set(numbers))} tidak ada di {instrument.nama}")
    mult = {no: Fraction(1) for no in numbers}
    for no, c in (effort or {}).items():
        if no not in mult:
            raise PlanError(f"bobot upaya untuk indikator {no} yang tidak ada di {instrument.nama}")
        mult[no] = exact(c, f"bobot upaya indikator {no}")
        if mult[no] < 0:
            raise PlanError(f"bobot upaya indikator {no} tidak boleh negatif")
    if not targets:
        raise PlanError("belum ada target tahunan")
    goal = {}
    for year, value in targets.items():
        try:
            if isinstance(year, bool):
                raise TypeError
            year = operator.index(year)
        except TypeError:
            raise PlanError(f"tahun target harus bilangan bulat, bukan {year!r}") from None
        goal[year] = resolve_target(instrument, value)
    first = min(goal) if start_year is None else operator.index(start_year)
    if first > min(goal):
        raise PlanError(f"tahun awal rencana {first} setelah tahun target pertama {min(goal)}")
    return current, locked, mult, dict(sorted(goal.items())), first


def _weights(instrument):
    """Indicator weights as integers: Σ level·weight = 100 × index × scale; scale is even."""
    bobot = {i.no: Fraction(i.bobot) for i in instrument.indicators}
    scale = math.lcm(2, *(b.denominator for b in bobot.values()))
    return {no: int(b * scale) for no, b in bobot.items()}, scale


def _optimal_raises(instrument, current, cap, floors, unit_cost, goal, first, max_step):
    """x (levels gained per indicator) of the optimal plan, the unreachable target years, and the
    raised weight each plan year k must reach (``needs``: {k: Σ raised levels × weight})."""
    numbers = instrument.indicator_numbers
    weight, scale = _weights(instrument)
    base_sum = sum(current[no] * weight[no] for no in numbers)
    k_of = {y: y - first + 1 for y in goal}
    need, best, fixed = {}, {}, {}
    for y, t in goal.items():  # exact: Σ level·bobot (= 100 × index) >= ceil(100·target) − 1/2
        need[y] = math.ceil((math.ceil(t * 100) - Fraction(1, 2)) * scale) - base_sum
        best[y] = sum(min(cap[no], k_of[y] * max_step) * weight[no] for no in numbers)
        fixed[y] = sum(min(floors[no], k_of[y] * max_step) * weight[no] for no in numbers)
    unreachable = [y for y in goal if need[y] > best[y]]

    # Free units (after the floor): the u-th level-up lands in plan year ceil(u/max_step) and joins
    # the segment of the first target year at or after it. Key: (effort, -weight, x_n..x_1), one int.
    g = math.gcd(*(weight[no] for no in numbers if cap[no] > 0)) or 1
    cost_scale = math.lcm(*(c.denominator for costs in unit_cost.values() for c in costs.values()))
    radix = instrument.level_max - instrument.level_min + 1
    m2 = radix ** len(numbers)
    m1 = sum(cap[no] * weight[no] // g for no in numbers) + 1
    years = list(goal)
    segments: list[list[tuple[int, int]]] = [[] for _ in years]
    owner: list[list[int]] = [[] for _ in years]
    for rank, no in enumerate(numbers):
        for u in range(floors[no] + 1, cap[no] + 1):
            key = (int(unit_cost[no][current[no] + u - 1] * cost_scale) * m1 - weight[no] // g) * m2 + radix ** rank
            landing = -(-u // max_step)
            t = next((i for i, y in enumerate(years) if k_of[y] >= landing), None)
            if t is not None:
                segments[t].append((weight[no] // g, key))
                owner[t].append(no)
    effective = {y: min(need[y], best[y]) for y in years}  # unreachable years: the maximum possible
    x = dict(floors)
    for t, j in cover(segments, [-(-max(0, effective[y] - fixed[y]) // g) for y in years]):
        x[owner[t][j]] += 1
    return x, unreachable, {k_of[y]: effective[y] for y in years}


def make_plan(instrument: Instrument, levels: Mapping[int, int], targets: Mapping[int, object], *,
              max_step: int = 1, locked=(), effort: Mapping[int, object] | None = None,
              start_year: int | None = None, jadwal: str = "awal", level_costs="naik",
              prioritas_level_target: bool = True) -> Plan:
    """Least-effort plan reaching every yearly target (see the module docstring).

    ``targets``: {year: index or predikat name}; ``locked``: indicator numbers that may not
    change; ``effort``: {indicator: effort multiplier} (default 1); ``level_costs``: "naik"
    (default), "datar" or {from level: cost}; ``prioritas_level_target``: raise every indicator
    below the instrument's target level first; ``start_year``: first plan year (default: the
    first target year); ``jadwal``: "awal" as early as allowed, "merata" evenly spread."""
    if jadwal not in JADWAL:
        raise PlanError(f"jadwal '{jadwal}' tidak dikenal; pilihan: {', '.join(JADWAL)}")
    table = cost_table(instrument, level_costs)
    current, locked, mult, goal, first = _inputs(
        instrument, levels, targets, max_step, locked, effort, start_year)
    numbers = instrument.indicator_numbers
    n_years = max(goal) - first + 1
    cap = {no: 0 if no in locked else instrument.level_max - current[no] for no in numbers}
    floor_level = min(instrument.target_level, instrument.level_max) if prioritas_level_target else None
    floors = {no: min(cap[no], n_years * max_step, max(0, floor_level - current[no])) if floor_level else 0
              for no in numbers}
    unit_cost = {no: {lv: mult[no] * table[lv] for lv in range(current[no], current[no] + cap[no])}
                 for no in numbers}
    x, unreachable, needs = _optimal_raises(instrument, current, cap, floors, unit_cost, goal, first, max_step)
    if jadwal == "merata":
        units = Units(numbers=numbers, weight=_weights(instrument)[0], x=x, floors=floors, current=current)
        cum = even_schedule(units, max_step, n_years, needs)
    else:
        cum = [{no: min(x[no], k * max_step) for no in numbers} for k in range(1, n_years + 1)]

    years = _plan_years(instrument, current, cum, cap, unit_cost, goal, first, max_step)
    return Plan(
        instrument_id=instrument.id, reachable=not unreachable,
        total_effort=float(sum(unit_cost[no][current[no] + u] for no in numbers for u in range(x[no]))),
        start_index=score_levels(instrument, current).indeks, years=years,
        best_reachable={p.year: p.best_reachable for p in years}, unreachable_years=unreachable,
        notes=_notes(instrument, years, unreachable, goal), jadwal=jadwal,
        unit_costs={no: {lv: float(c) for lv, c in costs.items()} for no, costs in unit_cost.items() if costs},
        target_level=floor_level, level_costs={lv: float(c) for lv, c in table.items()}, max_step=max_step)


def _plan_years(instrument, current, cum, cap, unit_cost, goal, first, max_step) -> list[PlanYear]:
    """One PlanYear per plan year from the cumulative raises ``cum`` (index 0 = first year)."""
    numbers = instrument.indicator_numbers
    years, prev = [], current
    for y in range(first, max(goal) + 1):
        k = y - first + 1
        lv = {no: current[no] + cum[k - 1][no] for no in numbers}
        steps = {no: lv[no] - prev[no] for no in numbers if lv[no] > prev[no]}
        sc = score_levels(instrument, lv)
        top = score_levels(instrument, {no: current[no] + min(cap[no], k * max_step) for no in numbers})
        target = goal.get(y)
        effort = sum(unit_cost[n][level] for n in steps for level in range(prev[n], lv[n]))
        years.append(PlanYear(
            year=y, index=sc.indeks, predikat=sc.predikat,
            target=None if target is None else float(target),
            met=None if target is None else Fraction(Decimal(str(sc.indeks))) >= target,
            raise_=sorted(steps), steps=steps, effort=float(effort), levels=lv, best_reachable=top.indeks))
        prev = lv
    return years


def _notes(instrument, years: list[PlanYear], unreachable: list[int], goal) -> list[str]:
    """Years outside the instrument's validity, and each unreachable target with the best index."""
    best = {p.year: p.best_reachable for p in years}
    notes = []
    outside = [p.year for p in years if not instrument.covers(p.year)]
    if outside:
        akhir = instrument.tahun_akhir if instrument.tahun_akhir is not None else "sekarang"
        notes.append(f"{instrument.nama} berlaku {instrument.tahun_mulai}–{akhir}; tahun "
                     f"{', '.join(map(str, outside))} dihitung dengan bobot instrumen ini.")
    for y in unreachable:
        notes.append(f"target {y} ({num(goal[y])}) tidak tercapai dengan aturan ini; "
                     f"indeks tertinggi yang mungkin {num(best[y])}.")
    return notes
