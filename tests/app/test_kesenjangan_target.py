"""AppTest: Kesenjangan target page (gaps to the index target and to level 3 per indicator)."""
from __future__ import annotations

import pandas as pd
import pytest

from tests.app.conftest import plotly_specs
from tests.app.fragments import fragment_ids, rerun_fragment

PAGE = "kesenjangan_target"
SERANG = "kota-36.73"


def values(arr) -> list:
    """A plotly JSON array, decoding plotly's typed-array form ({'dtype', 'bdata'})."""
    if isinstance(arr, dict) and "bdata" in arr:
        import base64

        import numpy as np
        return np.frombuffer(base64.b64decode(arr["bdata"]), dtype=np.dtype(arr["dtype"])).tolist()
    return list(arr)


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def test_renders_gap_bars_and_next_level_requirements(page_app):
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    assert not at.exception
    assert "DATA SINTETIS" in texts(at.warning)
    specs = plotly_specs(at)
    assert specs and all(t["type"] == "bar" and t["orientation"] == "h" for t in specs[0]["data"])
    bars = [(x, y) for t in specs[0]["data"] for x, y in zip(values(t["x"]), t["y"])]
    order = specs[0]["layout"]["yaxis"]["categoryarray"]
    by_label = dict((y, x) for x, y in bars)
    assert [by_label[label] for label in order] == sorted(by_label.values(), reverse=True)
    table = at.dataframe[0].value
    syarat = table.columns[-1]
    assert syarat.startswith("Syarat level berikutnya") and table[syarat].str.len().gt(20).all()
    assert "Pemerintah Kota Serang · 2024" in texts(at.subheader)


def test_year_changes_the_output_and_2021_is_serang_real_lhe(page_app):
    at21 = page_app(PAGE, query={"tahun": "2021", "instansi": SERANG})
    at24 = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    assert not at21.exception and not at24.exception
    assert at21.metric[0].value == "2,97"                # Kota Serang's published LHE 2021
    assert at21.metric[0].value != at24.metric[0].value
    assert at21.metric[3].value == "14 dari 47"          # 14 indicators below level 3 in the LHE


def test_query_params_round_trip(page_app):
    at = page_app(PAGE, query={"tahun": "2023", "instansi": "kab-36.04"})
    assert at.session_state["g_tahun"] == 2023 and at.session_state["g_instansi"] == "kab-36.04"
    assert at.query_params["tahun"] == "2023" and at.query_params["instansi"] == "kab-36.04"
    assert "· 2023" in texts(at.subheader)


def test_instansi_without_a_value_that_year_gets_an_empty_state(page_app, warehouse):
    lst = warehouse.run("instansi_list")
    row = lst[lst["jumlah_tahun"] < 7].iloc[0]
    all_years = set(warehouse.run("years")["tahun"].astype(int))
    own = set(warehouse.run("instansi_trend", instansi_ids=[row.instansi_id])["tahun"].astype(int))
    missing = max(all_years - own)
    at = page_app(PAGE, query={"tahun": str(missing), "instansi": row.instansi_id})
    assert not at.exception
    info = texts(at.info)
    assert f"tidak dievaluasi pada {missing}" in info and "bukan nol" in info
    assert "Yang bisa dilakukan" in info and str(max(own)) in info
    assert not plotly_specs(at) and not at.metric


@pytest.fixture(scope="module")
def domain_only_warehouse(tmp_path_factory):
    """Demo data, then Kota Serang 2024 replaced by a published domain-level row (no indicator levels)."""
    from etl.demo import generate_demo_levels
    from etl.publish import Source, load_master_frame, publish

    root = tmp_path_factory.mktemp("wh_domain_only")
    levels, master = generate_demo_levels(load_master_frame())
    publish(root, source=Source("demo-uji", "Data demo SINTETIS (uji)", "demo", True, "etl/demo.py"),
            levels=levels, master=master)
    ins = "permenpanrb_59_2020"
    # Serang: consistent values; Jawa Timur as converted in the real 2024 table (D1 0,6 but index 4,43)
    domains = pd.DataFrame({"tahun": 2024, "instansi_id": [SERANG] * 4 + ["prov-35"] * 4, "instrument_id": ins,
                            "no_domain": [1, 2, 3, 4] * 2, "nilai": [3.2, 2.5, 1.9, 3.6, 0.6, 4.4, 3.09, 4.87]})
    index = pd.DataFrame([{"tahun": 2024, "instansi_id": SERANG, "instrument_id": ins, "indeks": 2.99, "predikat": "Baik"},
                          {"tahun": 2024, "instansi_id": "prov-35", "instrument_id": ins, "indeks": 4.43,
                           "predikat": "Memuaskan"}])
    publish(root, source=Source("tabel-2024-uji", "Tabel hasil 2024 (uji)", "publikasi", False, "uji.csv"),
            domains=domains, index=index, master=master)
    return root


def test_domain_only_instansi_shows_domain_gaps(page_app, domain_only_warehouse, monkeypatch):
    monkeypatch.setenv("SPBE_WAREHOUSE", str(domain_only_warehouse))
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    assert not at.exception
    assert "Hanya nilai per domain" in texts(at.info)
    spec = plotly_specs(at)[0]
    # (3 − 1,9) × 16,5 / 100 = 0,18 and (3 − 2,5) × 25 / 100 = 0,125; D1 3,2 and D4 3,6 are above target
    assert spec["layout"]["yaxis"]["categoryarray"] == ["D3 · Manajemen", "D2 · Tata Kelola"]
    table = at.dataframe[0].value
    assert list(table["Domain"]) == ["D3", "D2", "D1", "D4"]
    assert list(table["Poin indeks"][:2]) == ["0,182", "0,125"]
    assert at.metric[0].value == "2,99"


def test_domain_values_outside_the_scale_are_flagged_not_fixed(page_app, domain_only_warehouse, monkeypatch):
    monkeypatch.setenv("SPBE_WAREHOUSE", str(domain_only_warehouse))
    at = page_app(PAGE, query={"tahun": "2024", "instansi": "prov-35"})
    assert not at.exception
    warn = texts(at.warning)
    assert "D1 = 0,60 di luar skala 1–5" in warn and "tidak cocok" in warn and "tanpa dikoreksi" in warn
    table = at.dataframe[0].value
    assert table.iloc[0]["Domain"] == "D1" and table.iloc[0]["Nilai"] == "0,60"   # shown as is


def chart_titles(at) -> list[str]:
    return [s["layout"]["title"]["text"] for s in plotly_specs(at)]


def test_only_the_open_tab_is_built_and_a_switch_reruns_only_the_tabs(page_app):
    """Issue 14: of 'Per indikator', 'Per aspek' and 'Di kategori …' only the open tab's chart and table are built
    and sent; switching tabs reruns the tabs' fragment alone and draws that tab; a full rerun keeps the choice."""
    from ui import figure_cache, gap_view

    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    assert not at.exception
    assert [t.label for t in at.tabs] == ["Per indikator", "Per aspek", "Di kategori Kota"]
    [title] = chart_titles(at)
    assert title.startswith("Poin indeks yang hilang per indikator")
    [table] = [df.value for df in at.dataframe]
    assert table.columns[-1].startswith("Syarat level berikutnya")
    assert "terlemah" not in texts(at.markdown)                       # the aspect tab's line: not built
    views = gap_view.BUILDS["n"]
    [tabs_fragment] = fragment_ids(at)

    at.session_state["kt_tab"] = "Per aspek"
    rerun_fragment(at, tabs_fragment)
    assert not at.exception and not at.title and not at.metric         # the fragment alone
    [title] = chart_titles(at)
    assert title.startswith("Poin indeks yang hilang per aspek")
    [aspects] = [df.value for df in at.dataframe]
    assert list(aspects.columns[:2]) == ["Aspek", "Nama aspek"] and "Poin indeks" in aspects.columns
    assert "**Aspek terlemah**" in texts(at.markdown) and "poin indeks yang hilang" in texts(at.markdown)
    assert {"CSV", "PNG (resolusi tinggi)"} <= {b.proto.label for b in at.get("download_button")}

    at.session_state["kt_tab"] = "Di kategori Kota"
    rerun_fragment(at, tabs_fragment)
    assert not at.exception and not at.dataframe
    [spec] = plotly_specs(at)
    assert "Bagian instansi kategori Kota (2024)" in texts(at.caption)
    assert spec["data"] and spec["data"][0]["type"] == "bar"
    assert gap_view.BUILDS["n"] == views                                # the fragment reads the stored view

    at.run()                                                            # a full rerun keeps the open tab
    assert not at.exception and at.metric and "Bagian instansi kategori Kota" in texts(at.caption)
    assert len(plotly_specs(at)) == 1 and not at.dataframe
    built = figure_cache.BUILDS["n"]
    at.run()
    assert (gap_view.BUILDS["n"], figure_cache.BUILDS["n"]) == (views, built)   # a warm rerun derives nothing
