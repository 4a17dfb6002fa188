"""AppTest: a shared link restores the view — every control of Tren and the Ringkasan's mode are read
from the URL and written back to it (issue 13, item 5)."""
from __future__ import annotations

SERANG = "kota-36.73"
OTHERS = ["kota-32.75", "kab-36.01"]


def test_tren_link_sets_comparators_toggle_and_detail(page_app):
    at = page_app("tren", query={"instansi": SERANG, "tren_pembanding": ",".join(OTHERS), "tren_kategori": "0",
                                 "tren_rincian": "aspek"})
    assert not at.exception
    assert at.multiselect(key="tr_lain").value == OTHERS
    assert at.toggle(key="tr_kategori").value is False
    assert at.get("button_group")[0].value == ["aspek"] or at.session_state["tr_jenis"] == "aspek"
    names = [t.get("name") for t in __import__("tests.app.conftest", fromlist=["x"]).plotly_specs(at)[0]["data"]]
    assert not any((n or "").startswith("Rata-rata Kota") for n in names)


def test_tren_controls_are_written_to_the_url(page_app):
    at = page_app("tren", query={"instansi": SERANG})
    assert "tren_kategori" not in at.query_params and "tren_pembanding" not in at.query_params
    at.toggle(key="tr_kategori").set_value(False).run()
    at.text_input(key="tr_lain_cari").input("32.75").run()   # type-ahead (ui/picker.py): a code finds it
    at.multiselect(key="tr_lain").set_value(OTHERS[:1]).run()
    assert at.query_params["tren_kategori"] == ["0"] or at.query_params["tren_kategori"] == "0"
    assert at.query_params["tren_pembanding"] in (OTHERS[0], [OTHERS[0]])


def test_ringkasan_link_sets_the_mode(page_app):
    at = page_app("ringkasan_nasional", query={"tahun": "2024", "rata": "resmi"})
    assert not at.exception and at.session_state["rn_mode"] == "resmi"
