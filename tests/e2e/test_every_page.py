"""The permanent browser test: every page loads without an exception; the profile follows the instansi."""
from __future__ import annotations

import re

import pytest

from bench.serving import runs_finished, wait_run

from .conftest import ARTIFACTS

DEFAULT_PAGE = "ringkasan_nasional"
PAGES = ["ringkasan_nasional", "profil_instansi", "bandingkan", "tren", "kesenjangan_target",
         "peringkat_sebaran", "peta", "metodologi", "penilaian_mandiri"]


def wait_rendered(page, before: int = 0, timeout=300_000):
    """A run that ended after `before` runs (0 after a page load; `runs_finished(page)` taken before
    a click) has finished and the page is quiet (bench.serving.wait_run, counted by the observer
    the `page` fixture installs), and a heading is drawn. Conditions, not a pause; the timeout
    is only a net for a hung page."""
    wait_run(page, before, timeout_s=timeout / 1000)
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=timeout)


@pytest.mark.e2e
def test_every_page_loads_without_exception(server, page):
    for name in PAGES:
        path = "" if name == DEFAULT_PAGE else name  # the default page lives at the root URL
        page.goto(f"{server}/{path}?tahun=2024&instansi=kota-36.73", wait_until="domcontentloaded")
        wait_rendered(page)
        assert page.locator("[data-testid='stException']").count() == 0, f"exception on {name}"
        assert page.get_by_text("Page not found").count() == 0, f"{name} not routed"
        assert page.get_by_text("DATA SINTETIS").first.is_visible() or name in ("metodologi", "penilaian_mandiri")
        if name not in ("metodologi", "penilaian_mandiri"):
            page.wait_for_selector(".js-plotly-plot, [data-testid='stDataFrame']", timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.e2e
def test_profile_updates_when_another_instansi_is_picked(server, page):
    page.goto(f"{server}/profil_instansi?tahun=2024&instansi=kota-36.73", wait_until="domcontentloaded")
    wait_rendered(page)
    main = page.locator("[data-testid='stMainBlockContainer']")
    assert "Kota Serang" in main.inner_text()
    before = runs_finished(page)
    # ui/picker.py: type in "Cari instansi" (a live fragment rerun lists the matches), then pick from the short list
    page.locator("[data-testid='stSidebar'] [data-testid='stTextInput'] input").first.fill("Denpasar")
    page.locator("[data-testid='stSidebar']").get_by_text("instansi cocok").first.wait_for(timeout=60_000)
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").nth(1).click()
    page.get_by_role("option", name=re.compile("Kota Denpasar")).first.click()
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='stMainBlockContainer']\").innerText.includes('Denpasar')",
        timeout=60_000)
    wait_rendered(page, before)
    assert page.locator("[data-testid='stException']").count() == 0
    assert "kota-51.71" in page.url
    page.screenshot(path=str(ARTIFACTS / "profil_denpasar.png"), full_page=True)
