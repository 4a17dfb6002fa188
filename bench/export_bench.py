"""Chart export latency (cold/warm, shared browser vs one-shot) and Lembar RPJMD batch rate.

    .venv/bin/python -m bench.export_bench [--warehouse DIR] [--year 2024] [--provinsi Banten] [--runs 10]

Without --warehouse (or $SPBE_WAREHOUSE with a published snapshot) a scale-1 demo warehouse is
built in a temporary folder first. Numbers depend on the machine and its load; run on an idle box.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _warehouse(path: str | None):
    from domain.warehouse_layout import current_snapshot, warehouse_dir
    from queries.gateway import Warehouse

    root = warehouse_dir(path)
    if current_snapshot(root) is None:
        from etl.demo import generate_demo_levels
        from etl.publish import Source, load_master_frame, publish

        root = Path(tempfile.mkdtemp(prefix="spbe_bench_"))
        print(f"(membangun gudang demo di {root})", file=sys.stderr)
        levels, master = generate_demo_levels(load_master_frame())
        publish(root, source=Source("demo-bench", "Data demo SINTETIS (bench)", "demo", True, "etl/demo.py"),
                levels=levels, master=master)
    return Warehouse(root)


def _chart(wh, year: int):
    from domain.instrument import load_registry
    from rendering.charts import index_trend
    from rendering.export import decorate, source_line

    trend = wh.run("instansi_trend", instansi_ids=["kota-36.73"])
    national = wh.run("national_trend")
    years = sorted(int(y) for y in national["tahun"])
    fig = index_trend(trend, years, load_registry(), national=national, highlight_year=year)
    return decorate(fig, source=source_line(year, synthetic=True), synthetic=True)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--warehouse", default=os.environ.get("SPBE_WAREHOUSE"))
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--provinsi", default="Banten")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--oneshot-runs", type=int, default=3)
    args = ap.parse_args(argv)

    from briefs.batch import run_batch, select_instansi
    from rendering import export

    wh = _warehouse(args.warehouse)
    fig = _chart(wh, args.year)
    print(f"Ekspor grafik (tren indeks, {fig.layout.width or export.DEFAULT_WIDTH}×"
          f"{fig.layout.height or export.DEFAULT_HEIGHT}, PNG skala 3)")

    t = time.perf_counter()
    export.figure_bytes(fig, "png")
    print(f"  dingin (browser ekspor mulai + render PNG): {_ms(time.perf_counter() - t)}")
    for fmt in ("png", "svg", "pdf"):
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            export.figure_bytes(fig, fmt)
            times.append(time.perf_counter() - t)
        print(f"  hangat {fmt.upper():3s} median {_ms(statistics.median(times))}  "
              f"p90 {_ms(sorted(times)[int(0.9 * (len(times) - 1))])}  (n={len(times)})")
    fig_dict = fig.to_plotly_json()
    times = []
    for _ in range(args.oneshot_runs):
        t = time.perf_counter()
        export._oneshot(fig_dict, {"format": "png", "width": 1100, "height": 650, "scale": 3})
        times.append(time.perf_counter() - t)
    print(f"  tanpa browser bersama (kaleido sekali pakai) PNG median {_ms(statistics.median(times))} "
          f"(n={len(times)})")

    chosen = select_instansi(wh, args.year, provinsi=args.provinsi)
    with tempfile.TemporaryDirectory(prefix="spbe_lembar_") as out:
        for formats in (("pdf",), ("docx", "pdf")):
            res = run_batch(wh, args.year, chosen, Path(out) / "-".join(formats), formats)
            print(f"Lembar RPJMD {args.provinsi} {args.year} ({len(chosen)} kab/kota, {'+'.join(formats)}): "
                  f"{res.seconds:5.1f} s → {res.per_minute:5.1f} lembar/menit, {len(res.files)} berkas, "
                  f"{len(res.failed)} gagal")
    try:
        load = os.getloadavg()
        print(f"(beban mesin saat selesai: {load[0]:.1f} / {os.cpu_count()} CPU)")
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
