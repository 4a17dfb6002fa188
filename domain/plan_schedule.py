"""The "merata" schedule: the optimal level-ups of domain.planner spread evenly over the plan years.

Given the final raises x (fixed: same total effort and final levels as "awal"), the years are
filled one after another. Year k of K, with R level-ups still to do, takes the even count
``ceil(R / (K-k+1))`` (so yearly counts differ by at most one) unless a rule needs more:

1. the step rule: an indicator with r level-ups left must do at least r − (K−k)·max_step now;
2. fill: up to the even count, level-ups below the target level first (lowest level first),
   then the heaviest (largest index gain), then the lower-numbered indicator;
3. the RPJMD targets of this year and later (for an unreachable one: the maximum possible by
   then) must stay reachable — the targets of later years with every level-up left done as
   early as the step rule allows;
4. a later target year k' should not need more level-ups than the even count of the years up to
   it: the fewest level-ups still needed for k' (heaviest first) must not exceed (k'−k) × the
   even count.

A rule that fails is repaired first by a swap — the filled level-up chosen last is replaced by
the heaviest available one that helps, keeping the count and every target already met — and
only when no swap helps by adding that level-up (the year then has more than the even count).
Rule 3 can always be repaired: doing every available level-up each year is the earliest
schedule, which meets every target, and the check keeps that true for the years after. So a
year has more than the even count only when a target or the step rule needs it ("where the
targets allow"), and level-ups below the target level come as early as the targets allow.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Units", "even_schedule"]


@dataclass(frozen=True)
class Units:
    """What the scheduler needs: indicators in order, their weights (integers), final raises x,
    the number of below-target level-ups of each (they come first) and the current levels."""
    numbers: tuple[int, ...]
    weight: dict[int, int]
    x: dict[int, int]
    floors: dict[int, int]
    current: dict[int, int]


def even_schedule(u: Units, max_step: int, n_years: int, needs: dict[int, int]) -> list[dict[int, int]]:
    """Cumulative level-ups per plan year (index 0 = year 1). ``needs``: {plan-year k: weight
    (Σ raised levels × weight) required by the end of year k}; the earliest schedule meets it."""
    done = {no: 0 for no in u.numbers}
    cum = []
    for k in range(1, n_years + 1):
        left = n_years - k  # years after this one
        rem = {no: u.x[no] - done[no] for no in u.numbers}
        quota = -(-sum(rem.values()) // (left + 1))
        year = _Year(u, done, rem, max_step, k, left, {kt: n for kt, n in needs.items() if kt >= k})
        while sum(year.take.values()) < quota and year.add_next():
            pass
        for kt in sorted(year.needs):
            while year.reach(kt) < year.needs[kt] and year.repair(kt, "reach"):
                pass
        for kt in sorted(t for t in year.needs if t > k):
            while year.fewest_after(kt) > (kt - k) * quota and year.repair(kt, "fewest"):
                pass
        done = {no: done[no] + year.take[no] for no in u.numbers}
        cum.append(dict(done))
    return cum


class _Year:
    """One year's choice ``take`` (level-ups per indicator) being built."""

    def __init__(self, u: Units, done, rem, max_step: int, k: int, left: int, needs: dict[int, int]):
        self.u, self.done, self.rem, self.step, self.k, self.needs = u, done, rem, max_step, k, needs
        self.avail = {no: min(max_step, rem[no]) for no in u.numbers}
        self.must = {no: max(0, rem[no] - left * max_step) for no in u.numbers}  # the step rule
        self.take = dict(self.must)
        self.filled: list[int] = []  # level-ups added by the fill, in order

    def _future(self, no: int, kt: int) -> int:
        """Level-ups of ``no`` that can still land after this year and by plan year kt."""
        return min(self.rem[no] - self.take[no], (kt - self.k) * self.step)

    def reach(self, kt: int) -> int:
        """Largest raised weight by year kt given this year's choice (earliest schedule after it)."""
        w = self.u.weight
        return sum((self.done[no] + self.take[no] + self._future(no, kt)) * w[no] for no in self.u.numbers)

    def fewest_after(self, kt: int) -> int:
        """Fewest level-ups after this year that bring year kt to its need (heaviest first)."""
        w = self.u.weight
        gap = self.needs[kt] - sum((self.done[no] + self.take[no]) * w[no] for no in self.u.numbers)
        count = 0
        for no in sorted(self.u.numbers, key=lambda n: (-w[n], n)):
            if gap <= 0:
                break
            n = min(self._future(no, kt), -(-gap // w[no]) if w[no] else 0)
            count, gap = count + n, gap - n * w[no]
        return count

    def _met(self) -> set[int]:
        return {kt for kt, n in self.needs.items() if self.reach(kt) >= n}

    def repair(self, kt: int, what: str) -> bool:
        """Raise ``reach(kt)`` or lower ``fewest_after(kt)`` (``what``): by swapping a filled
        level-up for a heavier available one (keeping every met target met), else by adding one.
        False when nothing helps."""
        def measure() -> int:
            return self.reach(kt) if what == "reach" else self.fewest_after(kt)
        sign = -1 if what == "reach" else 1
        before, met = measure(), self._met()
        helpers = [no for no in sorted(self._open(), key=lambda n: (-self.u.weight[n], n)) if self.u.weight[no]]
        for no in helpers:
            for out in reversed(self.filled):
                if out == no or self.take[out] <= self.must[out]:
                    continue
                self.take[out] -= 1
                self.take[no] += 1
                if sign * measure() < sign * before and met <= self._met():
                    self.filled.remove(out)  # the last occurrence is the one taken out: same indicator
                    return True
                self.take[out] += 1
                self.take[no] -= 1
        for no in helpers:
            self.take[no] += 1
            if sign * measure() < sign * before:
                return True
            self.take[no] -= 1
        return False

    def _open(self) -> list[int]:
        return [no for no in self.u.numbers if self.take[no] < self.avail[no]]

    def _below(self, no: int) -> bool:
        return self.done[no] + self.take[no] < self.u.floors[no]

    def add_next(self) -> bool:
        """Fill: below-target level-ups first (lowest level first), then the heaviest."""
        open_ = self._open()
        if not open_:
            return False
        no = min(open_, key=lambda n: (0, self.u.current[n] + self.done[n] + self.take[n], -self.u.weight[n], n)
                 if self._below(n) else (1, 0, -self.u.weight[n], n))
        self.take[no] += 1
        self.filled.append(no)
        return True
