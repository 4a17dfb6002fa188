"""AppTest: Ringkasan nasional reads and works out a year's figures once per (snapshot, year) (issue 14): a
warm rerun or a mode switch builds no view again and shows the same; another year builds its own once."""
from __future__ import annotations

from tests.app.conftest import plotly_specs
from ui import summary_view

PAGE = "ringkasan_nasional"


def _shown(at) -> tuple:
    return ([m.value for m in at.metric], [m.value for m in at.markdown], plotly_specs(at))


def test_a_warm_rerun_builds_no_view_and_another_year_one(page_app):
    at = page_app(PAGE, query={"tahun": "2024"})
    assert not at.exception
    shown = _shown(at)
    assert any(v.startswith("**Aspek terlemah secara nasional 2024") for v in shown[1])
    built = summary_view.BUILDS["n"]
    at.run()
    assert not at.exception and summary_view.BUILDS["n"] == built and _shown(at) == shown
    at.button_group(key="rn_mode").set_value("resmi").run()
    assert not at.exception and summary_view.BUILDS["n"] == built
    at.session_state["g_tahun"] = 2023
    at.run()
    assert not at.exception and summary_view.BUILDS["n"] == built + 1
    assert any("nasional 2023" in v for v in (m.value for m in at.markdown))
    at.run()
    assert summary_view.BUILDS["n"] == built + 1
