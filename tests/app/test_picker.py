"""The instansi pickers (ui/picker.py, ui/typeahead.py, issue 14): no widget carries the whole list of
instansi — the sidebar holds the one under study plus the matches of what was typed, and picking a match sets
the global instansi (sidebar, URL, pages); Tren's and Bandingkan's comparison multiselects and the upload's
instansi hold the chosen ones plus the matches, and keep their links."""
from __future__ import annotations

import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app.conftest import PROJECT_ROOT, TIMEOUT_S, plotly_specs
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


# --- the comparison pickers (picker.multi_instansi): Tren's and Bandingkan's multiselects ----------------
DENPASAR = "kota-51.71"


def tren_index_chart(at) -> dict:
    return next(s for s in plotly_specs(at) if s["layout"]["title"]["text"].startswith("Indeks SPBE"))


def test_tren_comparators_list_only_the_chosen_and_the_matches(page_app, warehouse):
    every = len(warehouse.run("instansi_list"))
    at = page_app("tren", query={"tahun": "2024", "instansi": SERANG})
    box = at.multiselect(key="tr_lain")
    assert not at.exception and box.value == [] and box.options == []        # not the 600+ instansi
    assert box.proto.max_selections == 3
    at.text_input(key="tr_lain_cari").input("Kota").run()
    box = at.multiselect(key="tr_lain")
    assert 2 <= len(box.options) <= picker.MAX_HITS < every
    assert all("Kota" in o for o in box.options)
    assert not any(o.startswith("Pemerintah Kota Serang ·") for o in box.options)   # the one under study: never
    at.text_input(key="tr_lain_cari").input("Denpasar").run()
    assert "Denpasar" in at.multiselect(key="tr_lain").options[0]
    at.multiselect(key="tr_lain").set_value([DENPASAR]).run()
    assert not at.exception and at.query_params["tren_pembanding"] in (DENPASAR, [DENPASAR])
    at.text_input(key="tr_lain_cari").input("Pandeglang").run()
    box = at.multiselect(key="tr_lain")
    assert box.value == [DENPASAR] and "Denpasar" in box.options[0]          # the chosen one stays, first
    assert all("Pandeglang" in o for o in box.options[1:]) and len(box.options) <= picker.MAX_HITS + 1
    box.set_value([DENPASAR, PANDEGLANG]).run()
    assert not at.exception and at.query_params["tren_pembanding"] in (f"{DENPASAR},{PANDEGLANG}",
                                                                       [f"{DENPASAR},{PANDEGLANG}"])
    lines = [t["name"] for t in tren_index_chart(at)["data"]]
    assert "Pemerintah Kota Denpasar" in lines and any("Pandeglang" in n for n in lines)


def test_tren_link_restores_comparators_and_removing_one_updates_the_url(page_app):
    at = page_app("tren", query={"tahun": "2024", "instansi": SERANG, "tren_pembanding": f"{DENPASAR},{PANDEGLANG}"})
    box = at.multiselect(key="tr_lain")
    assert not at.exception and box.value == [DENPASAR, PANDEGLANG]
    assert len(box.options) == 2                                             # the restored ones, nothing else
    box.unselect(PANDEGLANG).run()
    assert not at.exception and at.multiselect(key="tr_lain").value == [DENPASAR]
    assert at.query_params["tren_pembanding"] in (DENPASAR, [DENPASAR])
    lines = [t["name"] for t in tren_index_chart(at)["data"]]
    assert "Pemerintah Kota Denpasar" in lines and not any("Pandeglang" in n for n in lines)


def test_tren_link_drops_the_instansi_under_study_and_unknown_ids(page_app):
    at = page_app("tren", query={"tahun": "2024", "instansi": SERANG,
                                 "tren_pembanding": f"{SERANG},tidak-ada,{DENPASAR}"})
    assert not at.exception and at.multiselect(key="tr_lain").value == [DENPASAR]
    assert at.query_params["tren_pembanding"] in (DENPASAR, [DENPASAR])


def test_bandingkan_lists_only_the_chosen_and_the_matches(page_app, warehouse):
    every = len(warehouse.run("instansi_list"))
    at = page_app("bandingkan", query={"tahun": "2024", "instansi": SERANG})
    box = at.multiselect(key="w_bandingkan")
    chosen = box.value
    assert not at.exception and len(chosen) == 3 and len(box.options) == 3  # the defaults, not every instansi
    assert box.proto.max_selections == 4
    at.text_input(key="w_bandingkan_cari").input("Denpasar").run()
    box = at.multiselect(key="w_bandingkan")
    assert box.value == chosen and 4 <= len(box.options) <= 3 + picker.MAX_HITS < every
    assert "Denpasar" in box.options[3]
    box.set_value(chosen + [DENPASAR]).run()
    assert not at.exception
    assert "1 instansi cocok" in "\n".join(c.value for c in at.caption)   # a chosen match still counts as found
    assert at.query_params["bandingkan"] == ",".join(chosen + [DENPASAR])
    assert "Pemerintah Kota Denpasar" in [t["name"] for t in tren_index_chart(at)["data"]]
    at.multiselect(key="w_bandingkan").unselect(chosen[1]).run()            # removing one
    assert not at.exception and at.query_params["bandingkan"] == ",".join([chosen[0], chosen[2], DENPASAR])


def test_bandingkan_link_restores_the_comparison(page_app):
    at = page_app("bandingkan", query={"tahun": "2024", "instansi": SERANG, "bandingkan": f"{PANDEGLANG},{DENPASAR}"})
    box = at.multiselect(key="w_bandingkan")
    assert not at.exception and box.value == [PANDEGLANG, DENPASAR] and len(box.options) == 2
    lines = [t["name"] for t in tren_index_chart(at)["data"]]
    assert "Pemerintah Kota Denpasar" in lines and any("Pandeglang" in n for n in lines)


def test_upload_instansi_offers_the_one_under_study_and_the_matches_only(page_app):
    at = page_app("penilaian_mandiri", query={"instansi": SERANG})
    box = at.selectbox(key="pm_instansi")
    assert not at.exception and box.value is None                           # "dari berkas"
    assert len(box.options) == 1 and "Serang" in box.options[0]
    at.text_input(key="pm_instansi_cari").input("Denpasar").run()
    box = at.selectbox(key="pm_instansi")
    assert box.value is None and 2 <= len(box.options) <= picker.MAX_HITS + 1
    assert "Denpasar" in box.options[1]
    box.set_value(DENPASAR).run()
    assert not at.exception and at.selectbox(key="pm_instansi").value == DENPASAR
    assert at.text_input(key="pm_instansi_cari").value == ""                 # the search is cleared after a pick
    assert "Denpasar" in at.selectbox(key="pm_instansi").options[0]          # still offered once the search is empty
