"""The planner's exact core: a 0/1 covering knapsack over unit level-ups (integers only).

Each unit is (weight, key); units come in segments, one per target year, and the units of
segments 0..t must weigh at least needs[t]. ``cover`` returns the least-key choice by a dynamic
programme over the running weight sum (capped at the largest need) — exhaustive, hence exact.
Why this is the whole planning problem: the docstring of domain/planner.py.
"""
from __future__ import annotations

__all__ = ["WORK", "add_unit", "cover"]

# Knapsack work since import: units added and table cells computed (units × (cap + 1)) per cover.
# Only grows; read the difference around a call (not exact when threads plan at the same time).
WORK = {"covers": 0, "units": 0, "cells": 0}


def add_unit(old: list[int], w: int, key: int, cap: int, lo: int, inf: int) -> list[int]:
    """Knapsack step: new[min(S+w, cap)] = min(old, old[S] + key), ties keep the old value;
    states below ``lo`` can no longer meet a target and become ``inf``."""
    if w >= cap:
        return [inf] * lo + old[lo:cap] + [min(old[cap], min(old) + key)]
    a = max(lo, w)
    mid = [o if o <= n + key else n + key for o, n in zip(old[a:cap], old[a - w:cap - w])]
    return [inf] * lo + old[lo:a] + mid + [min(old[cap], min(old[cap - w:]) + key)]


def cover(segments: list[list[tuple[int, int]]], needs: list[int]) -> list[tuple[int, int]]:
    """Least-key choice of units (weight, key) so that the weight of the units in segments
    0..t is >= needs[t] for every t. Returns the (segment, position) pairs chosen."""
    cap = max([0, *needs])
    inf = 4 * (sum(abs(k) for seg in segments for _, k in seg) + 1)
    # weight still available from each unit onwards up to the end of each segment
    order = [(t, j) for t, seg in enumerate(segments) for j in range(len(seg))]
    suffix = [0] * (len(order) + 1)
    for u in range(len(order) - 1, -1, -1):
        t, j = order[u]
        suffix[u] = suffix[u + 1] + segments[t][j][0]
    seg_end = [0] * len(segments)
    for u, (t, _) in enumerate(order):
        seg_end[t] = u + 1
    for t in range(1, len(segments)):
        seg_end[t] = max(seg_end[t], seg_end[t - 1])

    def alive_from(u: int, t0: int) -> int:  # lowest state that can still succeed before unit u
        return max(0, max(needs[t] - (suffix[u] - suffix[seg_end[t]]) for t in range(t0, len(segments))))

    table = [0] + [inf] * cap
    WORK.update(covers=WORK["covers"] + 1, units=WORK["units"] + len(order),
                cells=WORK["cells"] + len(order) * (cap + 1))
    inputs = []
    u = 0
    for t, seg in enumerate(segments):
        for j, (w, key) in enumerate(seg):
            inputs.append((t, j, table))
            u += 1
            table = add_unit(table, w, key, cap, alive_from(u, t), inf)
        if needs[t] > 0:  # target t sees exactly the units of segments 0..t
            table = [inf] * needs[t] + table[needs[t]:]
    state = min(range(cap + 1), key=table.__getitem__)
    value = table[state]
    if value >= inf // 2:
        raise AssertionError("planner: effective targets must be feasible")
    chosen = []
    for t, j, before in reversed(inputs):
        if before[state] == value:
            continue
        w, key = segments[t][j]
        if state < cap:
            prev = state - w
        else:
            prev = next(s for s in range(max(0, cap - w), cap + 1) if before[s] + key == value)
        chosen.append((t, j))
        state, value = prev, before[prev]
    return chosen
