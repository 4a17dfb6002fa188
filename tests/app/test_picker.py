"""The instansi picker (ui/picker.py, issue 14): the sidebar never carries the whole list of instansi —
the one under study plus the matches of what was typed — and picking a match sets the global instansi
(sidebar, URL, pages)."""
from __future__ import annotations

import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app.conftest import PROJECT_ROOT, TIMEOUT_S
from ui import picker

SERANG, PANDEGLANG = "kota-36.73", "kab-36.01"


def sidebar_instansi(at: AppTest):
    return next(s for s in at.sidebar.selectbox if s.label == "Instansi yang dikaji")


def test_typed_name_lists_its_matches_and_picking_one_sets_the_instansi(demo_warehouse):
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT_S)
    at.query_params["instansi"] = SERANG
    at.run()
    box = sidebar_instansi(at)
    assert not at.exception and box.value == SERANG
    assert len(box.options) == 1 and "Serang" in box.options[0]     # not the 600+ instansi
    at.text_input(key="w_instansi_cari").input("Pandeglang").run()
    box = sidebar_instansi(at)
    assert box.value == SERANG                                       # typing alone changes nothing
    assert 2 <= len(box.options) <= picker.MAX_HITS + 1
    assert all("Pandeglang" in o for o in box.options[1:])
    box.set_value(PANDEGLANG).run()
    assert not at.exception
    assert at.session_state["g_instansi"] == PANDEGLANG and at.query_params["instansi"] == PANDEGLANG
    assert sidebar_instansi(at).value == PANDEGLANG
    assert at.text_input(key="w_instansi_cari").value == ""          # the search is cleared after a pick


def test_a_kemendagri_code_finds_its_instansi_first(demo_warehouse):
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT_S)
    at.query_params["instansi"] = PANDEGLANG
    at.run()
    at.text_input(key="w_instansi_cari").input("36.73").run()
    box = sidebar_instansi(at)
    assert box.value == PANDEGLANG                                   # the current one stays, first
    assert "Serang" in box.options[1] and "36.73" in box.options[1]


def test_a_url_instansi_is_restored_in_the_short_list(demo_warehouse):
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT_S)
    at.query_params["instansi"] = "prov-51"
    at.run()
    assert not at.exception and sidebar_instansi(at).value == "prov-51"
    assert at.session_state["g_instansi"] == "prov-51"
