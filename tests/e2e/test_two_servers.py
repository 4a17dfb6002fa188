"""Two Streamlit processes on one warehouse render the same pages identically (text and plotly
data), whatever the first request each process got; after a publish both show the new data."""
from __future__ import annotations

import contextlib
import json
import shutil
import time

import pandas as pd
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.serving import OBSERVER, runs_finished, streamlit_servers, wait_run, wait_settled
from domain.instrument import load_registry
from etl.publish import Source, publish

from .conftest import ARTIFACTS, PROJECT_ROOT

PAGES = ["profil_instansi?tahun=2024&instansi=kota-36.73",  # server B's very first request: a deep link
         "?tahun=2024",  # Ringkasan nasional, the default page, lives at the root
         "tren?tahun=2024&instansi=kota-36.73",
         "peringkat_sebaran?tahun=2023&instansi=kota-36.73"]
# every plot's traces, without the ids plotly.js invents per render
PLOT_DATA = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(
    el => JSON.stringify(el.data, (k, v) => k === 'uid' ? undefined : v))"""
SETTLE_S = 120  # a page still drawing settles within seconds even on a busy machine; a real difference stays
FILTERS_MS = 120_000  # the sidebar's filters are drawn after the run; only a net for a page that never draws them
PLOTS_DRAWN = """() => Array.from(document.querySelectorAll("[data-testid='stPlotlyChart']"))
    .every(c => { const p = c.querySelector('.js-plotly-plot'); return p && p.data; })"""


def first_difference(a, b, path: str = "") -> str | None:
    """Where two JSON values first differ (for a readable failure)."""
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}/{k}: only in {'A' if k in a else 'B'}"
            if (d := first_difference(a[k], b[k], f"{path}/{k}")) is not None:
                return d
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            if (d := first_difference(x, y, f"{path}[{i}]")) is not None:
                return d
        return None if len(a) == len(b) else f"{path}: {len(a)} vs {len(b)} items"
    return None if a == b else f"{path}: {a!r} vs {b!r}"


def capture(page) -> dict:
    page.wait_for_function(PLOTS_DRAWN, timeout=FILTERS_MS)
    text = wait_settled(page)
    return {"text": text, "plots": [json.loads(p) for p in page.evaluate(PLOT_DATA)]}


def render(pages: list, urls: list[str]) -> list[dict]:
    """Open one URL per page at once (the servers work in parallel), then capture each."""
    for page, url in zip(pages, urls):
        page.goto(url, wait_until="commit")
    out = []
    for page, url in zip(pages, urls):
        wait_run(page, 0)
        out.append(capture(page))
        assert page.locator("[data-testid='stException']").count() == 0, url
        check_global_filters(page, url)
    return out


def check_global_filters(page, url: str) -> None:
    """The sidebar's two global filters are drawn (app.py ran). Waited for (up to FILTERS_MS): a
    run that ends is not a frame that is painted on a busy machine. On failure the page's
    screenshot and text are kept in tests/artifacts/e2e and the text is in the message."""
    filters = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']")
    try:
        filters.nth(1).wait_for(state="attached", timeout=FILTERS_MS)
        return
    except PlaywrightTimeout:
        pass
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"two_servers_no_filters_{url.split(':')[2].split('/')[0]}.png"
    page.screenshot(path=str(shot), full_page=True)
    sidebar = page.locator("[data-testid='stSidebar']")
    side_text = sidebar.inner_text() if sidebar.count() else "(no sidebar element)"
    main_text = page.locator("[data-testid='stMain']").inner_text()
    pytest.fail(f"{url}: global filters missing after {FILTERS_MS // 1000} s ({filters.count()} selectbox in the sidebar; "
                f"runs seen {runs_finished(page)}; screenshot {shot.name})\n"
                f"sidebar: {side_text[:400]!r}\nmain: {main_text[:600]!r}")


def same_page(pages: list, first: list[dict], path: str) -> None:
    """Compare the two captures; a difference that is only a page still drawing (an element
    whose script loads on first use, on a busy machine) is gone at a later capture, a real one
    stays — so re-capture until they agree (up to SETTLE_S) before failing."""
    a, b = first
    deadline = time.monotonic() + SETTLE_S
    while a != b and time.monotonic() < deadline:  # until equal; the deadline is a net for a real difference
        pages[0].wait_for_timeout(1000)
        a, b = (capture(pg) for pg in pages)
    assert a["text"] == b["text"], f"{path}: {first_difference(a['text'].splitlines(), b['text'].splitlines())}"
    assert a["plots"] == b["plots"], f"{path}: {first_difference(a['plots'], b['plots'])}"
    assert a["plots"], f"{path}: no plot to compare"


def rerun(page) -> None:
    before = runs_finished(page)
    page.locator("[data-testid='stMain'] h1").first.click()
    page.keyboard.press("r")
    wait_run(page, before)
    wait_settled(page)


@pytest.mark.e2e
def test_two_servers_render_identically_and_both_pick_up_a_publish(demo_warehouse, tmp_path, browser):
    root = tmp_path / "wh"
    shutil.copytree(demo_warehouse, root)
    logs = PROJECT_ROOT / "tests" / "artifacts"
    logs.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        servers = [url for url, _ in stack.enter_context(
            streamlit_servers(root, 2, logs=[logs / f"streamlit-replica-{i}.log" for i in (0, 1)]))]
        pages = []
        for _ in servers:
            ctx = stack.enter_context(contextlib.closing(
                browser.new_context(viewport={"width": 1440, "height": 1000}, locale="id-ID")))
            ctx.add_init_script(OBSERVER)
            pages.append(ctx.new_page())
        pages[0].goto(servers[0] + "/", wait_until="commit")  # server A starts at the root ...
        wait_run(pages[0], 0)
        check_global_filters(pages[0], servers[0] + "/")
        for path in PAGES:  # ... server B straight at a deep link
            same_page(pages, render(pages, [f"{url}/{path}" for url in servers]), path)

        # publish: Kota Serang 2024 at a uniform level 5 → index 5,00 on both after their next rerun
        ins = load_registry().for_year(2024)
        levels = pd.DataFrame([(2024, "kota-36.73", ins.id, n, 5) for n in ins.indicator_numbers],
                              columns=["tahun", "instansi_id", "instrument_id", "no_indikator", "level"])
        profile = PAGES[0]
        render(pages, [f"{url}/{profile}" for url in servers])
        publish(root, source=Source("replika", "Uji replika", "template", False), levels=levels)
        shown = []
        for pg in pages:
            rerun(pg)
            shown.append(pg.locator("[data-testid='stMetricValue']").first.inner_text())
        assert shown == ["5,00", "5,00"]
        same_page(pages, [capture(pg) for pg in pages], f"{profile} after publishing")
    for i in (0, 1):
        assert "Traceback" not in (logs / f"streamlit-replica-{i}.log").read_text()
