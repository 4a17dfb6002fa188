"""AppTest: a link with a malformed year never shows a traceback (server paths) — it falls back to the latest year."""
from __future__ import annotations

import pytest

from tests.app.conftest import PROJECT_ROOT

PAGES = sorted(p.stem for p in (PROJECT_ROOT / "pages").glob("*.py"))
BAD_YEARS = ["²", "٢٠٢٤", "9" * 4301, "2024abc", "-1", ""]


@pytest.mark.parametrize("bad", BAD_YEARS)
def test_malformed_year_falls_back_to_the_latest_year(page_app, bad):
    at = page_app("ringkasan_nasional", query={"tahun": bad})
    assert not at.exception
    assert at.query_params["tahun"] == "2024"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_survives_a_superscript_year(page_app, page):
    at = page_app(page, query={"tahun": "²", "instansi": "<script>alert(1)</script>", "bandingkan": "x,,y"})
    assert not at.exception
