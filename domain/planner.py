"""RPJMD planner: the least-effort way to reach yearly Indeks SPBE targets.

Rules: the current levels are the state before the first plan year; each year an indicator
rises by at most ``max_step`` levels, never above ``instrument.level_max``; locked indicators
do not move; one level up on indicator i costs ``effort[i]`` (default 1). A year's target is met
when the *published* index (half-up to 2 decimals, as :mod:`domain.scoring`) is >= the target,
i.e. when the exact index >= ceil_cent(target) - 0.005. All arithmetic is exact (Fractions).

Why the solution is exactly optimal
-----------------------------------
Effort depends only on the final raises x_i. Given x, raising every indicator as early as the
step rule allows gives level_i(year k) = current_i + min(x_i, k*max_step), the highest possible
level of i in every year; so a schedule exists iff this "earliest" one works, and the problem is

    min Σ c_i x_i   s.t.   Σ_i b_i·min(x_i, k_t·max_step) >= need_t  (each target year t),
                           0 <= x_i <= cap_i.

Split x_i into unit level-ups; unit k of indicator i lands in plan year ceil(k/max_step) and
counts for every target year from then on. Units of one indicator share cost and weight and
earlier units count for more years, so choosing *any* set of units with x_i units of i is never
better than the first x_i units: the problem is a 0/1 covering knapsack over units where the
constraint of target t only sees units landing up to t. Processing units in landing order, the
running sum of weights (integer after scaling the decimal weights) is the whole state; after the
units of target t, states below need_t are discarded (sums are capped at the largest need;
states that can no longer reach a later need are dropped early). That dynamic programme is
exhaustive, hence exact; it is pure Python with integers only (no solver tolerances); its work is
counted in ``WORK`` (tests bound it, ``python -m bench.planner`` times it). Ties are broken by
one integer key, lexicographic in (effort, -final index, x_n, ..., x_1): among equal-effort
plans the larger final index wins, then the plan raising lower-numbered indicators. The key
identifies x uniquely, so the plan is stable.

Unreachable targets: a target is unreachable when even raising every unlocked indicator as far
as the rules allow by that year misses it. ``best_reachable`` reports that best index per year.
The best-effort plan then treats each unreachable year's target as "do the maximum possible by
that year" and still meets every reachable target with least effort; ``reachable`` is False.

Schedules (``jadwal``). ``"awal"`` returns the earliest schedule for the optimal x (front-loaded:
it maximises every year's index). ``"merata"`` ("just in time") keeps the same x, hence the same
total effort and final levels, and moves work as late as the targets and the step rule allow.
It is built backwards: the last year holds all of x; for year k = K-1 … 1 the cumulative raises
c(k) are the least-effort choice (then fewest level-ups, then largest index, then lower-numbered
indicators) with c(k+1) - max_step <= c(k) <= min(c(k+1), k*max_step) that still meets every
target up to year k — and the targets before k stay reachable from c(k), because the earliest
schedule ending at c(k) is one such path. Every step is the same covering knapsack as above
(units of year k's choice landing in the segment of the first target they count for), so each
step is exact; c(k) <= the earliest schedule's levels in every year, so no year of "merata"
raises more in total by then than "awal". Years in which an unreachable target sits are held to
the same "maximum possible by then" as in "awal".

Plan years run from ``start_year`` (default: the first target year) to the last target year;
years without a target have ``target`` and ``met`` None.
"""
from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Mapping

from domain.instrument import Instrument
from domain.numbers import num
from domain.plan_knapsack import WORK as WORK  # re-exported: tests and bench read the work counter here
from domain.plan_knapsack import cover
from domain.scoring import Scores, score_levels

JADWAL = ("awal", "merata")  # earliest schedule / just in time


class PlanError(ValueError):
    """Planner input that cannot be used (bad targets, locks, effort weights, step)."""


@dataclass(frozen=True)
class PlanYear:
    year: int
    index: float                 # published (2 decimals)
    predikat: str
    target: float | None         # None: no target this year
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
    jadwal: str = "awal"         # "awal" (earliest) or "merata" (just in time)

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


# --- targets ----------------------------------------------------------------------------------
def _exact(value, what: str) -> Fraction:
    """A number (int, Decimal, Fraction, float taken as its shortest decimal, numeric str)."""
    if isinstance(value, bool):
        raise PlanError(f"{what}: {value!r} bukan angka")
    if isinstance(value, (int, Fraction, Decimal)):
        result = Fraction(value)
    else:
        text = str(float(value)) if isinstance(value, float) else str(value).strip().replace(",", ".")
        try:
            dec = Decimal(text)
        except InvalidOperation:
            raise PlanError(f"{what}: '{value}' bukan angka") from None
        if not dec.is_finite():
            raise PlanError(f"{what}: '{value}' bukan angka yang sah")
        result = Fraction(dec)
    return result


def resolve_target(instrument: Instrument, value) -> Fraction:
    """A target index: a number, or a predikat name (its band's lower bound)."""
    if isinstance(value, str) and not re.fullmatch(r"\s*[-+]?\d+([.,]\d+)?\s*", value):
        name = " ".join(value.split()).casefold()
        for band in instrument.bands:
            if band.nama.casefold() == name:
                return Fraction(band.batas_bawah)
        names = ", ".join(b.nama for b in instrument.bands)
        raise PlanError(f"target '{value.strip()}' tidak dikenali: isi angka indeks (mis. 2,80) "
                        f"atau nama predikat ({names})")
    return _exact(value, "target")


_ENTRY = re.compile(r"(?:^|[,;])\s*(\d{4})\s*[=:]")


def targets_from_spec(instrument: Instrument, spec: str) -> dict[int, float]:
    """Parse "2025=2.8, 2026=3,0; 2029=Sangat Baik" into {year: target index}.

    Entries are ``tahun=nilai`` separated by commas or semicolons; a value is an index
    (decimal point or decimal comma) or a predikat name of the instrument. Raises ValueError
    (PlanError) with an Indonesian message for anything else."""
    if spec is None or not str(spec).strip():
        raise PlanError("target kosong: tulis mis. 2025=2,80; 2026=3,00 atau 2029=Sangat Baik")
    text = str(spec).strip()
    matches = list(_ENTRY.finditer(text))
    if not matches or text[:matches[0].start()].strip():
        raise PlanError(f"format target '{text}' tidak dikenali: tulis tahun=nilai, "
                        "mis. 2025=2,80; 2026=3,00 atau 2029=Sangat Baik")
    out: dict[int, float] = {}
    lo, hi = instrument.level_min, instrument.level_max
    for m, nxt in zip(matches, matches[1:] + [None]):
        year = int(m.group(1))
        raw = text[m.end(): nxt.start() if nxt else len(text)].strip()
        if not raw:
            raise PlanError(f"tahun {year}: nilai target kosong")
        if not 2000 <= year <= 2100:
            raise PlanError(f"tahun {year} tidak masuk akal untuk target SPBE")
        if year in out:
            raise PlanError(f"tahun {year} disebut lebih dari sekali")
        value = resolve_target(instrument, raw)
        if not lo <= value <= hi:
            raise PlanError(f"target {year} = {raw} di luar rentang indeks {num(lo)}–{num(hi)}")
        out[year] = float(value)
    return dict(sorted(out.items()))


def what_if(instrument: Instrument, levels: Mapping[int, int],
            changes: Mapping[int, int] | None = None) -> Scores:
    """Scores of ``levels`` (optionally with some indicators set to other levels)."""
    return score_levels(instrument, {**levels, **(changes or {})})


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
    cost = {no: Fraction(1) for no in numbers}
    for no, c in (effort or {}).items():
        if no not in cost:
            raise PlanError(f"bobot upaya untuk indikator {no} yang tidak ada di {instrument.nama}")
        cost[no] = _exact(c, f"bobot upaya indikator {no}")
        if cost[no] < 0:
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
    return current, locked, cost, dict(sorted(goal.items())), first


def _optimal_raises(instrument, current, cap, cost, goal, first, max_step):
    """x (levels gained per indicator) of the optimal plan, and the unreachable target years."""
    numbers = instrument.indicator_numbers
    # Exact integers: Σ level·bobot (= 100 × index) >= ceil(100·target) − 1/2, times `scale`.
    bobot = {i.no: Fraction(i.bobot) for i in instrument.indicators}
    scale = math.lcm(2, *(b.denominator for b in bobot.values()))
    weight = {no: int(b * scale) for no, b in bobot.items()}
    base_sum = sum(current[no] * weight[no] for no in numbers)
    k_of = {y: y - first + 1 for y in goal}
    need, best = {}, {}
    for y, t in goal.items():
        need[y] = math.ceil((math.ceil(t * 100) - Fraction(1, 2)) * scale) - base_sum
        best[y] = sum(min(cap[no], k_of[y] * max_step) * weight[no] for no in numbers)
    unreachable = [y for y in goal if need[y] > best[y]]

    # Units: the k-th level-up of an indicator lands in plan year ceil(k/max_step) and joins the
    # segment of the first target year at or after it. Key: (effort, -weight, x_n..x_1) in one int.
    g = math.gcd(*(weight[no] for no in numbers if cap[no] > 0)) or 1
    cost_scale = math.lcm(*(c.denominator for c in cost.values()))
    radix = instrument.level_max - instrument.level_min + 1
    m2 = radix ** len(numbers)
    m1 = sum(cap[no] * weight[no] // g for no in numbers) + 1
    years = list(goal)
    segments: list[list[tuple[int, int]]] = [[] for _ in years]
    owner: list[list[int]] = [[] for _ in years]
    for rank, no in enumerate(numbers):
        key = (int(cost[no] * cost_scale) * m1 - weight[no] // g) * m2 + radix ** rank
        for k in range(1, cap[no] + 1):
            landing = -(-k // max_step)
            t = next((i for i, y in enumerate(years) if k_of[y] >= landing), None)
            if t is not None:
                segments[t].append((weight[no] // g, key))
                owner[t].append(no)
    # unreachable years: do the maximum possible by then
    needs = [-(-min(need[y], best[y]) // g) for y in years]
    x = {no: 0 for no in numbers}
    for t, j in cover(segments, needs):
        x[owner[t][j]] += 1
    effective = {y: min(need[y], best[y]) + base_sum for y in goal}  # Σ level·weight required
    ctx = {"weight": weight, "g": g, "k_of": k_of, "effective": effective, "m1": m1, "m2": m2,
           "radix": radix, "cost_int": {no: int(cost[no] * cost_scale) for no in numbers}}
    return x, unreachable, ctx


def _latest_schedule(instrument, current, x, max_step, n_years, ctx) -> list[dict[int, int]]:
    """Cumulative raises per plan year (index 0 = first year) of the "merata" schedule: see
    the module docstring. Same x, work as late as the targets and the step rule allow."""
    numbers = instrument.indicator_numbers
    weight, g, k_of, radix = ctx["weight"], ctx["g"], ctx["k_of"], ctx["radix"]
    n_units = sum(x.values()) + 1  # the unit count sits between effort and weight in the key
    keys = {no: ((ctx["cost_int"][no] * n_units + 1) * ctx["m1"] - weight[no] // g) * ctx["m2"] + radix ** rank
            for rank, no in enumerate(numbers)}
    cum: list[dict[int, int]] = [dict(x)]
    for k in range(n_years - 1, 0, -1):  # plan-year number k (1-based), given year k+1
        after = cum[0]
        low = {no: max(0, after[no] - max_step) for no in numbers}
        high = {no: min(after[no], k * max_step) for no in numbers}
        targets = sorted((k_of[y], y) for y in k_of if k_of[y] <= k)
        if not targets:
            cum.insert(0, low)
            continue
        segments: list[list[tuple[int, int]]] = [[] for _ in targets]
        owner: list[list[int]] = [[] for _ in targets]
        for no in numbers:
            for m in range(low[no] + 1, high[no] + 1):  # the m-th level-up counts from year ceil(m/step)
                t = next((i for i, (kt, _) in enumerate(targets) if kt * max_step >= m), None)
                if t is not None:
                    segments[t].append((weight[no] // g, keys[no]))
                    owner[t].append(no)
        needs = []
        for kt, y in targets:
            have = sum((current[no] + min(low[no], kt * max_step)) * weight[no] for no in numbers)
            needs.append(-(-max(0, ctx["effective"][y] - have) // g))
        chosen = dict(low)
        if any(n > 0 for n in needs):
            for t, j in cover(segments, needs):
                chosen[owner[t][j]] += 1
        cum.insert(0, chosen)
    return cum


def make_plan(instrument: Instrument, levels: Mapping[int, int], targets: Mapping[int, object], *,
              max_step: int = 1, locked=(), effort: Mapping[int, object] | None = None,
              start_year: int | None = None, jadwal: str = "awal") -> Plan:
    """Least-effort plan reaching every yearly target (see the module docstring).

    ``targets``: {year: index or predikat name}; ``locked``: indicator numbers that may not
    change; ``effort``: {indicator: effort per level} (default 1); ``start_year``: first plan
    year (default: the first target year); ``jadwal``: "awal" schedules each level-up as early
    as allowed, "merata" the same level-ups as late as the yearly targets allow (just in time)."""
    if jadwal not in JADWAL:
        raise PlanError(f"jadwal '{jadwal}' tidak dikenal; pilihan: {', '.join(JADWAL)}")
    current, locked, cost, goal, first = _inputs(
        instrument, levels, targets, max_step, locked, effort, start_year)
    numbers = instrument.indicator_numbers
    cap = {no: 0 if no in locked else instrument.level_max - current[no] for no in numbers}
    x, unreachable, ctx = _optimal_raises(instrument, current, cap, cost, goal, first, max_step)
    n_years = max(goal) - first + 1
    if jadwal == "merata":
        cum = _latest_schedule(instrument, current, x, max_step, n_years, ctx)
    else:
        cum = [{no: min(x[no], k * max_step) for no in numbers} for k in range(1, n_years + 1)]

    years = _plan_years(instrument, current, cum, cap, cost, goal, first, max_step)
    return Plan(
        instrument_id=instrument.id, reachable=not unreachable,
        total_effort=float(sum(cost[no] * x[no] for no in numbers)),
        start_index=score_levels(instrument, current).indeks, years=years,
        best_reachable={p.year: p.best_reachable for p in years}, unreachable_years=unreachable,
        notes=_notes(instrument, years, unreachable, goal), jadwal=jadwal)


def _plan_years(instrument, current, cum, cap, cost, goal, first, max_step) -> list[PlanYear]:
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
        years.append(PlanYear(
            year=y, index=sc.indeks, predikat=sc.predikat,
            target=None if target is None else float(target),
            met=None if target is None else Fraction(Decimal(str(sc.indeks))) >= target,
            raise_=sorted(steps), steps=steps, effort=float(sum(cost[n] * s for n, s in steps.items())),
            levels=lv, best_reachable=top.indeks))
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
