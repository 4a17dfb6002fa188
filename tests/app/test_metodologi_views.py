"""AppTest: Metodologi builds what it shows of an instrument once (issue 14): a warm rerun builds no table,
band list or worked example again, and another tab builds only its own instrument, once."""
from __future__ import annotations

from tests.app.fragments import fragment_ids, rerun_fragment
from ui import method_view

PAGE = "metodologi"


def test_a_warm_rerun_builds_no_instrument_view_and_shows_the_same(page_app):
    method_view._VIEWS.clear()    # process-wide (not a Streamlit cache): start as a fresh server would
    at = page_app(PAGE, query={"tahun": "2024"})
    assert not at.exception
    first = [df.value.to_dict("list") for df in at.dataframe]
    latex = [e.value for e in at.latex]
    built = method_view.BUILDS["n"]
    at.run()
    assert not at.exception and method_view.BUILDS["n"] == built
    assert [df.value.to_dict("list") for df in at.dataframe] == first and [e.value for e in at.latex] == latex
    bands = next(df.value for df in at.dataframe if "Predikat" in df.value.columns)
    assert list(bands["Predikat"])[:1] == ["Memuaskan"] and list(bands["Rentang indeks"])[0] == "4,20 – 5,00"
    indicators = next(df.value for df in at.dataframe if len(df.value) == 47)
    assert list(indicators.columns) == ["No", "Indikator", "Aspek", "Bobot (%)", "Skala"]

    tab_fragment = fragment_ids(at)[0]
    at.session_state["mt_instrumen"] = at.tabs[1].label             # the 5/2018 instrument: built once
    rerun_fragment(at, tab_fragment)
    assert not at.exception and method_view.BUILDS["n"] == built + 1
    assert sorted(len(df.value) for df in at.dataframe)[-1] == 35
    rerun_fragment(at, tab_fragment)
    assert method_view.BUILDS["n"] == built + 1


def test_sources_and_targets_are_built_once_per_snapshot(page_app, demo_warehouse):
    from etl.demo_publish import publish_demo
    from ui import source_view

    at = page_app(PAGE, query={"tahun": "2024"})
    assert not at.exception
    built = source_view.BUILDS["n"]
    tables = [df.value.to_dict("list") for df in at.dataframe]
    at.run()
    assert not at.exception and source_view.BUILDS["n"] == built            # warm rerun: nothing rebuilt
    assert [df.value.to_dict("list") for df in at.dataframe] == tables
    sources = next(df.value for df in at.dataframe if "Sintetis" in df.value.columns)
    assert "ya — SINTETIS" in list(sources["Sintetis"]) and "Instansi-tahun" in sources.columns
    old = next(c.value for c in at.caption if "snapshot" in c.value)
    publish_demo(demo_warehouse)                 # the same data as a new snapshot: a new view
    at.run()
    assert not at.exception and source_view.BUILDS["n"] == built + 1
    assert next(c.value for c in at.caption if "snapshot" in c.value) != old
