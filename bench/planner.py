"""Planner speed (domain/planner.py): wall and CPU time of the 47-indicator, 5-year plans that
tests/unit/test_planner.py bounds by work (knapsack cells), so that a test never asserts seconds.

    .venv/bin/python -m bench.planner [--repeat N]

Each case is planned N times (default 5) from level 1 on every indicator; the figures are the
best and the worst run, CPU time of this process and the knapsack work (domain.planner.WORK).
The conditions line (load average, cores) says how busy the machine was.
"""
from __future__ import annotations

import argparse
import os
import time

from domain.instrument import load_registry
from domain.planner import WORK, make_plan

CASES = [  # (label, targets, max_step)
    ("5 targets 2025–2029, step 1", {2025: 1.8, 2026: 2.6, 2027: 3.3, 2028: 4.0, 2029: 4.6}, 1),
    ("5 targets 2025–2029, step 2", {2025: 1.8, 2026: 2.6, 2027: 3.3, 2028: 4.0, 2029: 4.6}, 2),
    ("1 target 2029, step 1", {2029: 4.5}, 1),
    ("1 target 2029, step 2", {2029: 4.5}, 2),
]


def run_case(instrument, targets: dict, step: int, jadwal: str, repeat: int) -> tuple[list[float], list[float], int]:
    start = {no: 1 for no in instrument.indicator_numbers}
    effort = {no: 1 + (no % 7) * 0.35 for no in instrument.indicator_numbers}
    walls, cpus, cells = [], [], 0
    for _ in range(repeat):
        before = WORK["cells"]
        w0, c0 = time.perf_counter(), time.process_time()
        make_plan(instrument, start, targets, max_step=step, effort=effort, start_year=2025, jadwal=jadwal)
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
        cells = WORK["cells"] - before
    return walls, cpus, cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    instrument = load_registry().by_id("permenpanrb_59_2020")
    load = os.getloadavg()
    print(f"kondisi: {os.cpu_count()} core, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"{instrument.id}, {len(instrument.indicator_numbers)} indikator, {args.repeat} kali per kasus")
    print(f"{'kasus':<30} {'jadwal':<7} {'wall min–maks (s)':>18} {'CPU maks (s)':>13} {'sel knapsack':>13}")
    worst = 0.0
    for label, targets, step in CASES:
        for jadwal in ("awal", "merata"):
            walls, cpus, cells = run_case(instrument, targets, step, jadwal, args.repeat)
            worst = max(worst, max(walls))
            print(f"{label:<30} {jadwal:<7} {min(walls):8.3f}–{max(walls):<8.3f} {max(cpus):13.3f} {cells:>13,}")
    print(f"terlama satu rencana: {worst:.3f} s wall")


if __name__ == "__main__":
    main()
