"""AppTest (app.py with its sidebar): the sidebar's "Instansi yang dikaji" follows the instansi chosen
in the profile's search, on every page and after changing the year (issue 13: it kept naming the
previous one)."""
from __future__ import annotations

import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app.conftest import PROJECT_ROOT, TIMEOUT_S

SERANG = "kota-36.73"


def sidebar_instansi(at: AppTest):
    return next(s for s in at.sidebar.selectbox if s.label == "Instansi yang dikaji")


def test_search_on_the_profile_moves_the_sidebar_and_it_stays(demo_warehouse):
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT_S)
    at.query_params["instansi"] = SERANG
    at.query_params["tahun"] = "2024"
    at.run()
    at.switch_page("pages/profil_instansi.py").run()
    assert not at.exception and sidebar_instansi(at).value == SERANG
    at.text_input(key="pi_cari").input("Pandeglang").run()
    hits = at.selectbox(key="pi_hasil")
    hits.set_value("kab-36.01").run()
    assert not at.exception
    chosen = at.session_state["g_instansi"]
    assert chosen != SERANG and chosen.startswith("kab-")
    assert sidebar_instansi(at).value == chosen
    assert at.query_params["instansi"] == chosen
    year = next(s for s in at.sidebar.selectbox if s.label == "Tahun evaluasi")
    year.select(2023).run()
    assert not at.exception
    assert sidebar_instansi(at).value == chosen and at.session_state["g_instansi"] == chosen
    at.switch_page("pages/tren.py").run()
    assert not at.exception
    assert sidebar_instansi(at).value == chosen and at.session_state["g_instansi"] == chosen
