"""Browser test: the default page opens from the root URL and from its own deep link."""
from __future__ import annotations

import pytest

from bench.serving import runs_finished

from .test_every_page import wait_rendered

HEADING = "Ringkasan nasional"


def assert_ringkasan_shown(page, before: int = 0) -> None:
    wait_rendered(page, before)
    assert page.get_by_text("Page not found").count() == 0, page.url
    assert page.locator("[data-testid='stException']").count() == 0, page.url
    heading = page.locator("[data-testid='stMainBlockContainer'] h1").first
    assert heading.inner_text().strip() == HEADING, page.url


@pytest.mark.e2e
@pytest.mark.parametrize("path", ["ringkasan_nasional", ""], ids=["deep_link", "root"])
def test_default_page_opens_from_its_deep_link_and_from_the_root(server, page, path):
    page.goto(f"{server}/{path}?tahun=2024&instansi=kota-36.73", wait_until="domcontentloaded")
    assert_ringkasan_shown(page)
    # the global filters came through the deep link
    assert "tahun=2024" in page.url and "instansi=kota-36.73" in page.url
    # the "Page not found" dialog is drawn once the run has started: assert_ringkasan_shown looked
    # after the run ended and the page was quiet, not after a pause


@pytest.mark.e2e
def test_deep_link_opened_first_on_a_fresh_session_then_other_pages(server, page):
    """The deep link then in-app navigation back to the default page keep working."""
    page.goto(f"{server}/ringkasan_nasional?tahun=2023", wait_until="domcontentloaded")
    assert_ringkasan_shown(page)
    assert "tahun=2023" in page.url
    before = runs_finished(page)
    page.locator("[data-testid='stSidebarNav'] a", has_text="Tren").first.click()
    wait_rendered(page, before)
    assert page.locator("[data-testid='stMainBlockContainer'] h1").first.inner_text().strip() == "Tren"
    before = runs_finished(page)
    page.locator("[data-testid='stSidebarNav'] a", has_text=HEADING).first.click()
    assert_ringkasan_shown(page, before)
    assert "tahun=2023" in page.url
