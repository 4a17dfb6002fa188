"""Charts are built once per (snapshot, chart, parameters) and reused (ui/figure_cache.py, issue 14):
a warm rerun builds no figure and draws the same spec; a changed parameter builds that chart only,
and going back to an earlier choice draws the stored one again."""
from __future__ import annotations

from tests.app.conftest import plotly_specs
from ui import figure_cache

QUERY = {"tahun": "2024", "instansi": "kota-36.73"}


def test_trend_charts_are_reused_on_a_rerun_and_per_toggle_value(page_app):
    at = page_app("tren", query=QUERY)
    assert not at.exception
    built, first = figure_cache.BUILDS["n"], plotly_specs(at)
    assert len(first) == 2
    at.run()
    assert figure_cache.BUILDS["n"] == built and plotly_specs(at) == first      # nothing rebuilt, same figures
    at.toggle(key="tr_kategori").set_value(not at.toggle(key="tr_kategori").value).run()
    assert figure_cache.BUILDS["n"] == built + 1                                # only the index chart
    assert plotly_specs(at)[0] != first[0] and plotly_specs(at)[1] == first[1]
    at.toggle(key="tr_kategori").set_value(not at.toggle(key="tr_kategori").value).run()
    assert figure_cache.BUILDS["n"] == built + 1 and plotly_specs(at) == first  # the stored one again


def test_summary_page_rerun_builds_no_chart(page_app):
    at = page_app("ringkasan_nasional", query=QUERY)
    assert not at.exception
    built, first = figure_cache.BUILDS["n"], plotly_specs(at)
    at.run()
    assert figure_cache.BUILDS["n"] == built and plotly_specs(at) == first
