"""Warehouse build at 1×, 10×, 100× of the demo data vs a bare DuckDB read_csv → Parquet copy.

    .venv/bin/python -m bench.build_scale [--scales 1,10,100]

For each scale, in one run: generate the demo levels (not part of the build), write them as a
long CSV, then time
  floor   — DuckDB `copy (select * from read_csv(levels.csv)) to parquet` (the floor for this stack)
  build   — read the same CSV with DuckDB and publish a snapshot (score aspects/domains/index in
            SQL, quality checks, partitioned Parquet, manifest + checksums, read-back verification,
            pointer switch)
and a query comparison at the largest scale: category averages in DuckDB over the snapshot vs a
plain pandas groupby of the same rows (already in memory).
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

from etl.demo import generate_demo_levels
from etl.publish import Source, load_master_frame, publish
from queries.gateway import Warehouse


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def run(scales: list[int], repeats: int) -> None:
    master0 = load_master_frame()
    print(f"{'skala':>6} {'baris level':>12} {'inst-tahun':>10} {'generate s':>10} {'floor s':>8} "
          f"{'build s':>8} {'build/floor':>11} {'baris/s build':>14}")
    last = None
    for scale in scales:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            (levels, master), t_gen = timed(generate_demo_levels, master0, scale=scale)
            csv_path = tmp / "levels.csv"
            con = duckdb.connect()
            con.register("lv", levels)
            con.execute(f"copy lv to '{csv_path}' (header, delimiter ',')")
            con.close()
            floors, builds = [], []
            for r in range(repeats):
                con = duckdb.connect()
                _, t_floor = timed(con.execute, f"copy (select * from read_csv('{csv_path}')) to '{tmp / f'floor{r}.parquet'}' (format parquet, compression zstd)")
                con.close()
                floors.append(t_floor)

                def build(r=r, csv_path=csv_path, master=master, tmp=tmp):
                    return publish(tmp / f"wh{r}", source=Source("bench", "bench", "demo", True),
                                   levels=csv_path, master=master)
                _, t_build = timed(build)
                builds.append(t_build)
            f, b = statistics.median(floors), statistics.median(builds)
            n_iy = levels[["tahun", "instansi_id"]].drop_duplicates().shape[0]
            print(f"{scale:>5}× {len(levels):>12,} {n_iy:>10,} {t_gen:>10.2f} {f:>8.2f} {b:>8.2f} {b / f:>10.2f}× {len(levels) / b:>14,.0f}")
            if scale == max(scales):
                wh = Warehouse(tmp / "wh0")
                q_times, p_times = [], []
                for _ in range(5):
                    _, t = timed(wh.run, "category_averages", year=2024)
                    q_times.append(t)
                scores = wh.run("ranking", year=2024)[["instansi_id", "kategori", "indeks"]]
                # pandas: same result from the in-memory level rows (score + group), no DuckDB
                ins = __import__("domain.instrument", fromlist=["x"]).load_registry().for_year(2024)
                w = pd.Series({i.no: float(i.bobot) for i in ins.indicators}, name="w")
                y = levels[levels["tahun"] == 2024]
                kat = master.set_index("instansi_id")["kategori_ringkas"]
                for _ in range(5):
                    t0 = time.perf_counter()
                    idx = (y["level"].astype(float) * y["no_indikator"].map(w)).groupby(y["instansi_id"]).sum() / 100
                    idx = (idx + 1e-9).round(2)
                    res = idx.groupby(idx.index.map(kat)).agg(["mean", "count"])
                    p_times.append(time.perf_counter() - t0)
                last = (scale, statistics.median(q_times), statistics.median(p_times), len(scores), res)
                wh.close()
    if last:
        scale, q, p, n, _ = last
        print(f"\nrata-rata kategori 2024 pada {scale}× ({n:,} instansi): DuckDB (snapshot Parquet) {q * 1000:.1f} ms; "
              f"pandas groupby (level di memori) {p * 1000:.1f} ms; rasio pandas/DuckDB {p / q:.1f}×")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", default="1,10,100")
    ap.add_argument("--repeats", type=int, default=1)
    a = ap.parse_args()
    run([int(s) for s in a.scales.split(",")], a.repeats)
