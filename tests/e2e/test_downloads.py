"""Through the real UI: download one chart as PNG and the RPJMD brief as DOCX; check the files."""
from __future__ import annotations

import io

import pytest

from .conftest import ARTIFACTS
from .test_every_page import wait_rendered


@pytest.mark.e2e
def test_chart_png_and_brief_docx_download_through_the_ui(server, page):
    page.goto(f"{server}/profil_instansi?tahun=2024&instansi=kota-36.73", wait_until="domcontentloaded")
    wait_rendered(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)

    page.get_by_role("button", name="Unduh grafik").first.click()
    with page.expect_download(timeout=120_000) as dl:
        page.get_by_role("button", name="PNG (resolusi tinggi)").first.click()
    png_path = ARTIFACTS / dl.value.suggested_filename
    dl.value.save_as(png_path)
    data = png_path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    width = int.from_bytes(data[16:20], "big")
    assert width >= 1500  # scale 3: print quality
    page.keyboard.press("Escape")

    page.get_by_role("button", name="Unduh Lembar RPJMD (DOCX/PDF)").click()
    with page.expect_download(timeout=180_000) as dl:
        page.get_by_role("button", name="DOCX (bisa disunting)").click()
    docx_path = ARTIFACTS / dl.value.suggested_filename
    dl.value.save_as(docx_path)
    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(docx_path.read_bytes())).paragraphs)
    assert "Kota Serang" in text and "2024" in text
    assert "SINTETIS" in text.upper()
