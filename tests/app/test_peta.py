"""AppTest: Peta page (offline province choropleth + table)."""
from __future__ import annotations

from tests.app.conftest import plotly_specs
from tests.app.fragments import fragment_ids, rerun_fragment

PAGE = "peta"


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def map_spec(at) -> dict:
    return next(s for s in plotly_specs(at) if s["data"] and s["data"][0]["type"] == "choroplethmap")


def test_renders_offline_choropleth_and_table(page_app):
    at = page_app(PAGE, query={"tahun": "2024", "instansi": "kota-36.73"})
    assert not at.exception
    assert "DATA SINTETIS" in texts(at.warning)
    spec = map_spec(at)
    assert {t["type"] for t in spec["data"]} == {"choroplethmap"}
    assert spec["layout"]["map"]["style"] == "white-bg" and "geo" not in spec["layout"]
    assert all(t["featureidkey"] == "properties.kode_provinsi" for t in spec["data"])
    base, values, outline = spec["data"]
    for t in (base, values, outline):                         # every layer carries only what it draws
        assert {f["properties"]["kode_provinsi"] for f in t["geojson"]["features"]} == set(t["locations"])
    assert len(base["locations"]) + len(values["locations"]) == 33           # every polygon, each sent once:
    assert not set(base["locations"]) & set(values["locations"])             # grey where no value
    assert outline["locations"] == ["36"]                     # Banten outlined (Kota Serang's province)
    table = at.dataframe[0].value
    assert len(table) == 38
    assert table.set_index("Kode").loc["65", "Digambar pada poligon"] == "Kalimantan Timur"
    assert "Kalimantan Utara → Kalimantan Timur" in texts(at.caption)


def test_year_changes_which_new_provinces_are_mentioned(page_app):
    cap22 = texts(page_app(PAGE, query={"tahun": "2022"}).caption)
    cap24 = texts(page_app(PAGE, query={"tahun": "2024"}).caption)
    assert "Papua Selatan" not in cap22 and "Papua Selatan" in cap24   # first evaluated in 2023
    assert "Kalimantan Utara" in cap22


def test_metric_switch_changes_map_and_url(page_app):
    at = page_app(PAGE, query={"tahun": "2024"})
    z_pemprov = map_spec(at)["data"][1]["z"]
    at.radio(key="f_metrik").set_value("kabkota").run()
    assert not at.exception
    assert at.query_params["metrik"] == "kabkota"
    spec = map_spec(at)
    assert spec["data"][1]["z"] != z_pemprov
    assert "31" not in spec["data"][1]["locations"]           # DKI Jakarta: no autonomous kab/kota → no value


def test_map_figure_is_reused_across_reruns_and_rebuilt_for_another_metric(page_app):
    at = page_app(PAGE, query={"tahun": "2024", "instansi": "kota-36.73"})
    first = at.get("plotly_chart")[0].proto.spec
    at.run()
    assert at.get("plotly_chart")[0].proto.spec == first     # same cached figure, same spec
    at.radio(key="f_metrik").set_value("kabkota").run()
    assert at.get("plotly_chart")[0].proto.spec != first


def test_metric_read_back_from_url(page_app):
    at = page_app(PAGE, query={"tahun": "2023", "metrik": "kabkota"})
    assert not at.exception
    assert at.radio(key="f_metrik").value == "kabkota"
    assert at.query_params["tahun"] == "2023" and at.session_state["g_tahun"] == 2023
    assert "Rerata indeks kab/kota" in map_spec(at)["layout"]["title"]["text"]


def test_metric_change_reruns_only_the_map_fragment(page_app):
    """Issue 14: the metric, the map, its notes and the table are one st.fragment — changing the metric
    redraws them and mirrors ?metrik= without rerunning the page's bootstrap (title, sidebar, notices)."""
    at = page_app(PAGE, query={"tahun": "2024", "instansi": "kota-36.73"})
    [fid] = fragment_ids(at)
    z_pemprov = map_spec(at)["data"][1]["z"]
    at.radio(key="f_metrik").set_value("kabkota")
    rerun_fragment(at, fid)
    assert not at.exception
    assert not at.title and not at.warning                      # page body (title, DATA SINTETIS) not rerun
    spec = map_spec(at)
    assert len(plotly_specs(at)) == 1 and spec["data"][1]["z"] != z_pemprov
    assert "Rerata indeks kab/kota" in spec["layout"]["title"]["text"] and spec["data"][2]["locations"] == ["36"]
    assert at.query_params["metrik"] in ("kabkota", ["kabkota"])
    assert "Rerata kab/kota = rerata sederhana" in texts(at.caption)
    table = at.dataframe[0].value                               # the table follows the metric's order
    kab = table["Rerata kab/kota (dihitung ulang)"].str.replace(",", ".").replace("—", None).dropna().astype(float)
    assert list(kab) == sorted(kab, reverse=True)
    assert {"PNG (resolusi tinggi)", "CSV"} <= {b.proto.label for b in at.get("download_button")}


def test_a_snapshot_published_before_a_metric_switch_is_what_the_fragment_draws(page_app, demo_warehouse, tmp_path,
                                                                                monkeypatch):
    """The fragment reads its own data on the snapshot of its run: a map built from the full run's (older)
    frame would be stored under the new snapshot's cache key and shown to every later session."""
    import shutil

    from etl.demo_publish import publish_demo

    wh = tmp_path / "wh"
    shutil.copytree(demo_warehouse, wh, ignore=shutil.ignore_patterns("import_log.jsonl", ".publish.lock"))
    monkeypatch.setenv("SPBE_WAREHOUSE", str(wh))
    at = page_app(PAGE, query={"tahun": "2024", "instansi": "kota-36.73"})
    [fid] = fragment_ids(at)
    old = map_spec(at)["data"][1]["z"]
    publish_demo(wh, seed=20250101)                              # other synthetic values everywhere
    at.radio(key="f_metrik").set_value("kabkota")
    rerun_fragment(at, fid)
    drawn = map_spec(at)["data"][1]["z"]
    fresh = page_app(PAGE, query={"tahun": "2024", "instansi": "kota-36.73", "metrik": "kabkota"})
    assert drawn == map_spec(fresh)["data"][1]["z"]
    at.radio(key="f_metrik").set_value("pemprov")
    rerun_fragment(at, fid)
    assert map_spec(at)["data"][1]["z"] != old                    # the cached first-snapshot map is not reused


def test_warm_rerun_sends_the_stored_map_json(page_app, monkeypatch):
    """Issue 14: the map is serialised once (ui/chart_view.FrozenFigure), not by st.plotly_chart per rerun; the
    frame, notes, table and outlined polygon are derived once per (snapshot, year, metric) (ui/map_view.py)."""
    from ui import chart_view, map_view

    at = page_app(PAGE, query={"tahun": "2024", "instansi": "kota-36.73"})
    first = at.get("plotly_chart")[0].proto.spec
    table = at.dataframe[0].value
    builds = dict(map_view.BUILDS)
    encoded = []
    real = chart_view._plotly_to_json
    monkeypatch.setattr(chart_view, "_plotly_to_json", lambda *a, **k: encoded.append(1) or real(*a, **k))
    at.run()
    assert encoded == [] and at.get("plotly_chart")[0].proto.spec == first
    assert map_view.BUILDS == builds and at.dataframe[0].value.equals(table)
    assert map_view.highlight("kota-36.73") == "36"             # Serang: Banten's polygon is outlined
