"""AppTest: Tren (index lines with predikat bands and the instrument break; domain/aspect
series per instrument period)."""
from __future__ import annotations

from tests.app.conftest import plotly_specs
from tests.app.fragments import fragment_ids, rerun_fragment

PAGE = "tren"
SERANG = "kota-36.73"


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def index_chart(at) -> dict:
    return next(s for s in plotly_specs(at) if s["layout"]["title"]["text"].startswith("Indeks SPBE"))


def component_chart(at) -> dict:
    return next(s for s in plotly_specs(at) if "per periode" in s["layout"]["title"]["text"])   # the title may wrap (<br>)


def test_renders_lines_bands_and_instrument_break(page_app):
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    assert not at.exception
    assert "DATA SINTETIS" in texts(at.warning)
    spec = index_chart(at)
    names = [t["name"] for t in spec["data"]]
    assert "Nasional (resmi KemenPANRB)" in names and "Rata-rata Kota (dihitung ulang)" in names
    assert "Pemerintah Kota Serang" in names
    shapes = spec["layout"]["shapes"]
    assert any(s.get("name") == "pergantian_instrumen_2021" and s["x0"] == 2020.5 for s in shapes)
    assert {s["name"] for s in shapes if s.get("name", "").startswith("predikat_")} == {
        "predikat_Memuaskan", "predikat_Sangat Baik", "predikat_Baik", "predikat_Cukup", "predikat_Kurang"}
    assert any(a.get("text") == "Instrumen berganti: PermenPANRB 59/2020" for a in spec["layout"]["annotations"])
    assert at.query_params["tahun"] == "2024" and at.query_params["instansi"] == SERANG


def test_instansi_with_missing_years_shows_gaps(page_app, warehouse):
    lst = warehouse.run("instansi_list")
    gappy = lst[lst["jumlah_tahun"] < 7]
    inner = gappy[gappy["tahun_terakhir"] - gappy["tahun_pertama"] + 1 > gappy["jumlah_tahun"]]
    row = (inner if len(inner) else gappy).iloc[0]
    have = set(warehouse.run("instansi_trend", instansi_ids=[row["instansi_id"]])["tahun"].astype(int))
    missing = [y for y in range(2018, 2025) if y not in have]
    at = page_app(PAGE, query={"tahun": "2024", "instansi": row["instansi_id"]})
    assert not at.exception
    line = next(t for t in index_chart(at)["data"] if t["name"] == row["nama"])
    assert line["x"] == list(range(2018, 2025)) and line["connectgaps"] is False
    for year in missing:
        assert line["y"][line["x"].index(year)] is None
    assert all(v is None or v >= 1 for v in line["y"])
    assert ", ".join(map(str, missing)) in texts(at.caption)


def test_year_filter_moves_the_highlight_and_the_url(page_app):
    at24 = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    at23 = page_app(PAGE, query={"instansi": SERANG}, session={"g_tahun": 2023})
    assert at23.query_params["tahun"] == "2023"

    def highlight(at):
        return next((s["x0"], s["x1"]) for s in index_chart(at)["layout"]["shapes"] if s.get("name") == "tahun_terpilih")
    assert highlight(at23) != highlight(at24)


def test_other_instansi_and_category_toggle_change_the_lines(page_app):
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    at.text_input(key="tr_lain_cari").input("Denpasar").run()      # type-ahead: the list holds only matches
    at.multiselect(key="tr_lain").set_value(["kota-51.71"]).run()
    at.toggle(key="tr_kategori").set_value(False).run()
    assert not at.exception
    names = [t["name"] for t in index_chart(at)["data"]]
    assert "Pemerintah Kota Denpasar" in names and not any("Rata-rata Kota" in n for n in names)


def test_component_series_are_never_joined_across_instruments(page_app):
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    for jenis in ("domain", "aspek"):
        at.segmented_control(key="tr_jenis").set_value(jenis).run()
        assert not at.exception
        spec = component_chart(at)
        assert spec["layout"]["title"]["text"].startswith(f"Nilai {jenis}")
        instruments = {t["meta"]["instrument_id"] for t in spec["data"]}
        assert instruments == {"permenpanrb_5_2018", "permenpanrb_59_2020"}
        for t in spec["data"]:
            assert not ({2020, 2021} <= set(t["x"])), t["name"]


def test_category_toggle_and_comparators_rerun_only_the_index_fragment(page_app):
    """Issue 14: the comparators, the category toggle and the index chart are one st.fragment — a change
    there (or typing in its search) redraws that chart and mirrors the URL without rerunning the page."""
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    index_fragment, _ = fragment_ids(at)
    at.toggle(key="tr_kategori").set_value(False)
    rerun_fragment(at, index_fragment)
    assert not at.exception and not at.title and not at.get("button_group")       # the page body did not run
    [spec] = plotly_specs(at)
    assert spec["layout"]["title"]["text"].startswith("Indeks SPBE")
    assert not any("Rata-rata Kota" in t["name"] for t in spec["data"])
    assert at.query_params["tren_kategori"] in ("0", ["0"])                        # the link still restores it
    assert {"PNG (resolusi tinggi)"} <= {b.proto.label for b in at.get("download_button")}  # downloads kept
    at.text_input(key="tr_lain_cari").input("Denpasar")
    rerun_fragment(at, index_fragment)
    assert "Denpasar" in at.multiselect(key="tr_lain").options[0]
    at.multiselect(key="tr_lain").set_value(["kota-51.71"])
    rerun_fragment(at, index_fragment)
    assert not at.exception and "Pemerintah Kota Denpasar" in [t["name"] for t in index_chart(at)["data"]]
    assert at.query_params["tren_pembanding"] in ("kota-51.71", ["kota-51.71"])
    assert not at.dataframe                                                        # the table: only when opened
    at.session_state["tr_tabel"] = True
    rerun_fragment(at, index_fragment)
    table = at.dataframe[0].value
    assert list(table["nama"]) == ["Pemerintah Kota Serang", "Pemerintah Kota Denpasar"] and "2024" in table.columns
    assert "CSV" in {b.proto.label for b in at.get("download_button")}


def test_domain_aspek_switch_reruns_only_the_component_fragment(page_app):
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    _, component_fragment = fragment_ids(at)
    at.segmented_control(key="tr_jenis").set_value("aspek")
    rerun_fragment(at, component_fragment)
    assert not at.exception and not at.title and not at.multiselect                # only the fragment ran
    [spec] = plotly_specs(at)
    assert spec["layout"]["title"]["text"].startswith("Nilai aspek")
    assert at.query_params["tren_rincian"] in ("aspek", ["aspek"])
