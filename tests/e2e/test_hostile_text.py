"""Browser test (issue 16): a real `streamlit run app.py` over a warehouse whose instansi names,
kategori, provinsi, published predikat, source and file names hold HTML and markdown (tests/hostile.py).
Every page is opened in Debian chromium; nothing from the data may be live: no meta refresh
followed, no iframe/img/form/password field/full-screen overlay/link injected into the DOM, and no
request to any host but the dashboard's own. The hostile text is visible, as text."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.hostile import EVIL_HOST, SERANG, TANGERANG, publish_hostile

from .conftest import ARTIFACTS, streamlit_server
from .test_every_page import DEFAULT_PAGE, PAGES, wait_rendered

LIVE = ("iframe, frame, object, embed, form, input[type=password], meta[http-equiv], "
        f"img[src*='{EVIL_HOST}'], a[href*='{EVIL_HOST}'], a[href^='javascript'], "
        "[style*='z-index:99999'], [style*='position:fixed'], .js-plotly-plot a")


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """`streamlit run app.py` over the hostile warehouse (the same start as conftest's `server`)."""
    root = publish_hostile(tmp_path_factory.mktemp("hostile"))
    with streamlit_server(root, "streamlit-e2e-hostile.log") as url:
        yield url


@pytest.mark.e2e
def test_every_page_shows_hostile_text_as_text_and_calls_no_foreign_host(hostile_server, page):
    own = urlparse(hostile_server).netloc
    foreign: list[str] = []

    def guard(route):
        url = route.request.url
        if urlparse(url).netloc == own or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    page.context.route("**/*", guard)
    page.on("request", lambda r: None if urlparse(r.url).netloc in (own, "") else foreign.append(r.url))
    visits = [(name, TANGERANG) for name in PAGES] + [("profil_instansi", SERANG), ("kesenjangan_target", SERANG)]
    for name, instansi in visits:
        path = "" if name == DEFAULT_PAGE else name
        page.goto(f"{hostile_server}/{path}?tahun=2024&instansi={instansi}&bandingkan={TANGERANG},{SERANG}",
                  wait_until="domcontentloaded")
        wait_rendered(page)
        if name not in ("metodologi", "penilaian_mandiri"):
            page.wait_for_selector(".js-plotly-plot, [data-testid='stDataFrame']", timeout=60_000)
        page.wait_for_timeout(500)  # a meta refresh of 0 s or a lazy iframe would have acted by now
        assert urlparse(page.url).netloc == own, f"{name}: navigated away to {page.url}"
        assert page.locator("[data-testid='stException']").count() == 0, f"exception on {name}"
        live = page.evaluate(f"() => [...document.querySelectorAll({LIVE!r})].map(e => e.outerHTML.slice(0, 160))")
        assert live == [], f"{name}: live elements from data: {live}"
        page.screenshot(path=str(ARTIFACTS / f"hostile_{name}_{instansi}.png"), full_page=True)
        if name == "profil_instansi":
            main = page.locator("[data-testid='stMainBlockContainer']").inner_text()
            assert "Sesi Anda berakhir</div><form" in main          # the text itself, shown as text
            assert "bukan predikat instrumen" in main or instansi == SERANG
    assert foreign == [], f"requests to foreign hosts: {foreign}"
