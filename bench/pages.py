"""Per-page speed: server-side rerun time and browser time to charts, against an empty page.

    .venv/bin/python -m bench.pages [--scales 1,10,100] [--runs 7] [--browser-runs 3]

For each scale a demo warehouse is built (synthetic, `etl demo --scale`), then, in one run:
  server  — AppTest of each page: one cold run, then the median of `--runs` warm reruns
            (Streamlit caches warm, the script re-executed as on any interaction)
  browser — a real `streamlit run app.py` + Debian chromium (Playwright): time from navigation
            to the page's Streamlit run finished and its charts drawn, median of `--browser-runs`
            fresh page loads (the server's caches warm after the first); and the very first page
            load after the server started (cold caches), against the empty page's first load
The floor is the same measurement for `bench/apps/empty_page.py` (AppTest) and for a server
running that empty page (browser). Ratios are page / floor from the same run.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PAGES = ["ringkasan_nasional", "profil_instansi", "bandingkan", "tren", "kesenjangan_target",
         "peringkat_sebaran", "peta", "metodologi", "penilaian_mandiri"]
EMPTY = PROJECT_ROOT / "bench" / "apps" / "empty_page.py"
FIRST, FIRST_EMPTY = "pertama setelah start", "kosong, pertama setelah start"


def server_times(script: Path, runs: int) -> tuple[float, float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(script), default_timeout=120)
    t0 = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t0
    if at.exception:
        raise RuntimeError(f"{script.name}: {at.exception[0].message}")
    warm = []
    for _ in range(runs):
        t0 = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t0)
    return cold, statistics.median(warm)


def browser_times(root: Path, runs: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    from bench.serving import CHROMIUM_ARGS, OBSERVER, chromium_path, streamlit_server, wait_run

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        with streamlit_server(root) as (url, _):
            for name in PAGES:
                samples = []
                for i in range(runs + 1):  # first load warms the server's caches
                    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                    ctx.add_init_script(OBSERVER)
                    page = ctx.new_page()
                    t0 = time.perf_counter()
                    path = "" if name == "ringkasan_nasional" else name  # default page = root URL
                    page.goto(f"{url}/{path}?tahun=2024&instansi=kota-36.73")
                    wait_run(page, 0)
                    if name not in ("metodologi", "penilaian_mandiri"):
                        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
                    if i:
                        samples.append(time.perf_counter() - t0)
                    elif name == PAGES[0]:  # the very first page this server shows after its start
                        out[FIRST] = time.perf_counter() - t0
                    ctx.close()
                out[name] = statistics.median(samples)
        # floor: a server running the empty page only
        import subprocess

        from bench.serving import free_port, wait_healthy
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(EMPTY), "--server.port", str(port),
                                 "--server.headless", "true", "--server.address", "127.0.0.1"],
                                cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        try:
            wait_healthy(f"http://127.0.0.1:{port}", proc)
            samples = []
            for i in range(runs + 1):
                ctx = browser.new_context()
                ctx.add_init_script(OBSERVER)
                page = ctx.new_page()
                t0 = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/")
                wait_run(page, 0)
                if i:
                    samples.append(time.perf_counter() - t0)
                else:
                    out[FIRST_EMPTY] = time.perf_counter() - t0
                ctx.close()
            out["(halaman kosong)"] = statistics.median(samples)
        finally:
            proc.terminate()
            proc.wait(10)
        browser.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", default="1,10,100")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--browser-runs", type=int, default=3)
    ap.add_argument("--no-browser", action="store_true")
    a = ap.parse_args()
    from etl.demo_publish import publish_demo

    for scale in [int(s) for s in a.scales.split(",")]:
        with tempfile.TemporaryDirectory(prefix="spbe-pages-") as tmp:
            root = Path(tmp) / "wh"
            t0 = time.perf_counter()
            publish_demo(root, scale=scale)
            print(f"\n== skala {scale}× (gudang dibangun dalam {time.perf_counter() - t0:.1f} s)")
            os.environ["SPBE_WAREHOUSE"] = str(root)
            floor_cold, floor_warm = server_times(EMPTY, a.runs)
            browser = {} if a.no_browser else browser_times(root, a.browser_runs)
            b_floor = browser.get("(halaman kosong)")
            print(f"{'halaman':<22} {'server dingin ms':>16} {'server hangat ms':>16} {'×lantai':>8} "
                  f"{'browser ms':>11} {'×lantai':>8}")
            print(f"{'(halaman kosong)':<22} {floor_cold * 1000:>16.0f} {floor_warm * 1000:>16.1f} {1:>8.1f} "
                  f"{(b_floor or float('nan')) * 1000:>11.0f} {1:>8.1f}")
            if FIRST in browser and FIRST_EMPTY in browser:
                print(f"halaman pertama setelah server start (browser): {PAGES[0]} {browser[FIRST] * 1000:.0f} ms, "
                      f"halaman kosong {browser[FIRST_EMPTY] * 1000:.0f} ms, ×{browser[FIRST] / browser[FIRST_EMPTY]:.1f}")
            for name in PAGES:
                cold, warm = server_times(PROJECT_ROOT / "pages" / f"{name}.py", a.runs)
                b = browser.get(name)
                print(f"{name:<22} {cold * 1000:>16.0f} {warm * 1000:>16.1f} {warm / floor_warm:>8.1f} "
                      f"{(b or float('nan')) * 1000:>11.0f} {(b / b_floor if b and b_floor else float('nan')):>8.1f}")


if __name__ == "__main__":
    sys.path.insert(0, str(PROJECT_ROOT))
    main()
