"""In the browser: a panel whose content is built only when opened (issue 14) shows it once opened — the
profile's 'Angka di balik grafik' expander (a page rerun) and the gaps page's tabs (their fragment's rerun)."""
from __future__ import annotations

import pytest

from bench.serving import runs_finished

from .conftest import ARTIFACTS
from .test_every_page import wait_rendered

MAIN = "[data-testid='stMainBlockContainer']"


def chart_titles(page) -> str:
    return "\n".join(page.locator(f"{MAIN} .js-plotly-plot .gtitle").evaluate_all("els => els.map(e => e.textContent)"))


@pytest.mark.e2e
def test_the_numbers_expander_shows_its_table_once_opened(server, page):
    page.goto(f"{server}/profil_instansi?tahun=2024&instansi=kota-36.73", wait_until="domcontentloaded")
    wait_rendered(page)
    page.wait_for_selector(f"{MAIN} [data-testid='stDataFrame']", timeout=60_000)
    tables = page.locator(f"{MAIN} [data-testid='stDataFrame']").count()
    assert tables == 2                                               # comparison + levels; the expander is empty
    before = runs_finished(page)
    page.get_by_text("Angka di balik grafik").click()
    wait_rendered(page, before)
    page.wait_for_function(f"() => document.querySelectorAll(\"{MAIN} [data-testid='stDataFrame']\").length === 3",
                           timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "profil_angka_dibuka.png"), full_page=True)


@pytest.mark.e2e
def test_a_gap_tab_shows_its_chart_once_chosen(server, page):
    page.goto(f"{server}/kesenjangan_target?tahun=2024&instansi=kota-36.73", wait_until="domcontentloaded")
    wait_rendered(page)
    page.wait_for_selector(f"{MAIN} .js-plotly-plot .gtitle", timeout=60_000)
    assert "per indikator" in chart_titles(page) and "per aspek" not in chart_titles(page)
    for tab, title in (("Per aspek", "per aspek"), ("Di kategori Kota", "Kota")):
        before = runs_finished(page)
        page.get_by_role("tab", name=tab).click()
        wait_rendered(page, before)
        page.wait_for_function(
            f"t => [...document.querySelectorAll(\"{MAIN} .js-plotly-plot .gtitle\")].some(e => e.textContent.includes(t))",
            arg=title, timeout=60_000)
        assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "kesenjangan_tab_kategori.png"), full_page=True)
