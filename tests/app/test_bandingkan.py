"""AppTest: Bandingkan (2–4 instansi: radar overlay, domain bars, trend lines)."""
from __future__ import annotations

from tests.app.conftest import plotly_specs
from tests.app.fragments import fragment_ids, rerun_fragment

PAGE = "bandingkan"
SERANG = "kota-36.73"


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def by_type(at, kind: str) -> dict:
    return next(s for s in plotly_specs(at) if s["data"] and s["data"][0]["type"] == kind)


def trend(at) -> dict:
    return next(s for s in plotly_specs(at) if s["layout"]["title"]["text"].startswith("Indeks SPBE"))


def test_default_is_the_instansi_under_study_and_two_peers(page_app, warehouse):
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    assert not at.exception
    assert "DATA SINTETIS" in texts(at.warning)
    chosen = at.query_params["bandingkan"].split(",")
    assert len(chosen) == 3 and chosen[0] == SERANG
    peers = warehouse.run("instansi_list").set_index("instansi_id").loc[chosen[1:]]
    assert set(peers["provinsi"]) == {"Banten"} and set(peers["kategori_ringkas"]) <= {"Kabupaten", "Kota"}
    radar = by_type(at, "scatterpolar")
    assert [t["name"] for t in radar["data"]][0] == "Pemerintah Kota Serang" and len(radar["data"]) == 3
    assert len(by_type(at, "bar")["data"]) == 3
    assert at.query_params["tahun"] == "2024" and at.query_params["instansi"] == SERANG


def test_changing_the_selection_changes_the_figures_and_the_url(page_app):
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    before = by_type(at, "scatterpolar")
    at.text_input(key="w_bandingkan_cari").input("Denpasar").run()   # type-ahead: the list holds only matches
    at.multiselect(key="w_bandingkan").set_value([SERANG, "kota-51.71"]).run()
    assert not at.exception
    assert at.query_params["bandingkan"] == f"{SERANG},kota-51.71"
    after = by_type(at, "scatterpolar")
    assert [t["name"] for t in after["data"]] == ["Pemerintah Kota Serang", "Pemerintah Kota Denpasar"]
    assert after != before


def test_year_filter_changes_the_radar(page_app):
    q = {"instansi": SERANG, "bandingkan": f"{SERANG},kota-51.71"}
    at24 = page_app(PAGE, query={**q, "tahun": "2024"})
    at23 = page_app(PAGE, query=q, session={"g_tahun": 2023})
    assert at23.query_params["tahun"] == "2023"
    assert by_type(at23, "scatterpolar")["data"][0]["r"] != by_type(at24, "scatterpolar")["data"][0]["r"]


def test_instansi_with_missing_years_shows_gaps_not_zeros(page_app, warehouse):
    lst = warehouse.run("instansi_list")
    gappy = lst[lst["jumlah_tahun"] < 7]
    inner = gappy[gappy["tahun_terakhir"] - gappy["tahun_pertama"] + 1 > gappy["jumlah_tahun"]]
    row = (inner if len(inner) else gappy).iloc[0]
    have = set(warehouse.run("instansi_trend", instansi_ids=[row["instansi_id"]])["tahun"].astype(int))
    missing = next(y for y in range(row["tahun_pertama"], 2025) if y not in have)
    at = page_app(PAGE, query={"tahun": str(missing), "instansi": SERANG,
                               "bandingkan": f"{row['instansi_id']},{SERANG}"})  # the gappy one first
    assert not at.exception
    assert f"Tidak ada nilai {missing} untuk: {row['nama']}" in texts(at.warning)
    line = next(t for t in trend(at)["data"] if t["name"] == row["nama"])
    assert line["y"][line["x"].index(missing)] is None and 0 not in line["y"]
    radar = by_type(at, "scatterpolar")["data"]
    assert [t["name"] for t in radar] == ["Pemerintah Kota Serang"]
    serang_line = next(t for t in trend(at)["data"] if t["name"] == "Pemerintah Kota Serang")
    assert radar[0]["line"]["color"] == serang_line["line"]["color"]     # same colour in every chart


def test_fewer_than_two_instansi_gives_an_empty_state(page_app):
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    at.multiselect(key="w_bandingkan").set_value([SERANG]).run()
    assert not at.exception
    assert "Pilih minimal dua instansi" in texts(at.info)
    at.button[0].click().run()                                   # back to instansi + 2 peers
    assert len(at.query_params["bandingkan"].split(",")) == 3


def test_typing_reruns_only_the_picker_and_a_choice_reruns_the_page(page_app):
    """Issue 14: the comparison picker is its own st.fragment — typing redraws only the search and the
    short list; choosing an instansi reruns the whole page (every chart follows the choice)."""
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    [picker_fragment] = fragment_ids(at)
    chosen = at.multiselect(key="w_bandingkan").value
    at.text_input(key="w_bandingkan_cari").input("Denpasar")
    rerun_fragment(at, picker_fragment)
    assert not at.exception and not at.title and not plotly_specs(at)              # the page body did not run
    box = at.multiselect(key="w_bandingkan")
    assert box.value == chosen and "Denpasar" in box.options[-1]
    box.set_value(chosen + ["kota-51.71"])
    rerun_fragment(at, picker_fragment)                                            # the fragment reruns the page
    assert not at.exception and at.title
    assert at.query_params["bandingkan"] == ",".join(chosen + ["kota-51.71"])
    assert "Pemerintah Kota Denpasar" in [t["name"] for t in trend(at)["data"]]


def test_warm_rerun_derives_and_encodes_nothing_again(page_app, monkeypatch):
    """Issue 14: the selection's summary, components and trend are built once per (snapshot, year, selection)
    (ui/compare_view.py) and the charts drawn from their stored JSON; another year builds its own view."""
    from ui import chart_view, compare_view

    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    table, specs = at.dataframe[0].value, plotly_specs(at)
    builds = dict(compare_view.BUILDS)
    encoded = []
    real = chart_view._plotly_to_json
    monkeypatch.setattr(chart_view, "_plotly_to_json", lambda *a, **k: encoded.append(1) or real(*a, **k))
    at.run()
    assert not at.exception
    assert compare_view.BUILDS == builds and encoded == []
    assert at.dataframe[0].value.equals(table) and plotly_specs(at) == specs
    at.session_state["g_tahun"] = 2023
    at.run()
    assert compare_view.BUILDS["n"] == builds["n"] + 1
    assert plotly_specs(at) != specs
