"""A 390 px wide phone (issue 13, item 5): on the profile, trend and gaps pages no chart title, legend,
axis label or source note is cut by its chart's edge. Screenshots: tests/artifacts/e2e/phone_<page>.png.
Also: typing a name in an instansi picker lists that instansi first and no "Select N matches"."""
from __future__ import annotations

import pytest

from .conftest import ARTIFACTS, OBSERVER
from .test_every_page import wait_rendered

PAGES = ["profil_instansi", "tren", "kesenjangan_target"]
PHONE_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Mobile Safari/537.36")
QUERY = "tahun=2024&instansi=kota-36.73"

# every text element of a plotly chart that must lie inside the chart's own SVG (1 px tolerance)
CUT = """
() => [...document.querySelectorAll('.js-plotly-plot')].flatMap((plot, i) => {
  const box = plot.querySelector('.main-svg').getBoundingClientRect();
  const sel = '.gtitle, .legend text, .annotation-text, .xtick text, .ytick text, .g-xtitle text, .g-ytitle text';
  return [...plot.querySelectorAll(sel)].map(el => {
    const r = el.getBoundingClientRect();
    return {chart: i, cls: el.getAttribute('class') || el.parentNode.getAttribute('class'), text: el.textContent.slice(0, 40),
            left: r.left - box.left, right: box.right - r.right, top: r.top - box.top, bottom: box.bottom - r.bottom,
            empty: r.width === 0};
  }).filter(t => !t.empty && (t.left < -1 || t.right < -1 || t.top < -1 || t.bottom < -1));
})
"""


@pytest.fixture
def phone(browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                              has_touch=True, locale="id-ID", user_agent=PHONE_UA)
    ctx.add_init_script(OBSERVER)
    pg = ctx.new_page()
    yield pg
    ctx.close()


@pytest.mark.e2e
@pytest.mark.parametrize("name", PAGES)
def test_nothing_is_cut_at_390_px(server, phone, name):
    phone.goto(f"{server}/{name}?{QUERY}", wait_until="domcontentloaded")
    wait_rendered(phone)
    phone.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    assert phone.locator("[data-testid='stException']").count() == 0
    phone.screenshot(path=str(ARTIFACTS / f"phone_{name}.png"))
    charts = phone.locator(".js-plotly-plot")
    for i in range(charts.count()):  # the app scrolls inside its own container: one picture per chart
        if not charts.nth(i).is_visible():  # in a tab not shown
            continue
        charts.nth(i).scroll_into_view_if_needed()
        charts.nth(i).screenshot(path=str(ARTIFACTS / f"phone_{name}_grafik{i + 1}.png"))
    cut = phone.evaluate(CUT)
    assert cut == [], f"teks grafik terpotong di layar 390 px ({name}): {cut}"
    wide = phone.evaluate("() => document.documentElement.scrollWidth")
    assert wide <= 390, f"halaman {name} lebih lebar dari layar: {wide} px"


@pytest.mark.e2e
def test_typing_a_name_lists_that_instansi_first_without_select_n_matches(server, phone):
    phone.goto(f"{server}/tren?{QUERY}", wait_until="domcontentloaded")
    wait_rendered(phone)
    main = phone.locator("[data-testid='stMainBlockContainer']")
    # ui/picker.py: type in the page's "Cari instansi" (a live fragment rerun lists the matches), then open the list
    main.locator("[data-testid='stTextInput'] input").first.fill("Pandeglang")
    main.get_by_text("instansi cocok").first.wait_for(timeout=60_000)
    main.locator("[data-testid='stMultiSelect']").first.click()
    options = phone.get_by_role("option")
    options.first.wait_for(timeout=30_000)
    texts = [t.strip() for t in options.all_inner_texts()]
    phone.screenshot(path=str(ARTIFACTS / "phone_tren_cari.png"))
    assert texts and "Pandeglang" in texts[0], texts
    assert not any(t.startswith("Select") for t in texts), texts
    assert all("Pandeglang" in t for t in texts), texts
