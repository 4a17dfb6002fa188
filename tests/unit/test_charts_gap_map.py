"""Chart factories for gaps, distribution and the province map (pure plotly), plus the queries they read."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from rendering import charts_distribution as dist
from rendering import charts_gap as gap
from rendering import maps, theme


# --- gap charts ---------------------------------------------------------------------------------
def gap_rows() -> pd.DataFrame:
    cols = ["no_indikator", "nama_indikator", "kode_aspek", "label_aspek", "kode_domain", "label_domain",
            "level", "target_level", "kekurangan", "bobot_indikator", "biaya_indeks"]
    rows = [
        (1, "Tingkat Kematangan Kebijakan Internal Arsitektur SPBE", "A1", "Kebijakan Tata Kelola", "D1", "Kebijakan", 1, 3, 2, 1.3, 0.026),
        (29, "Tingkat Kematangan Pelaksanaan Audit Infrastruktur SPBE", "A6", "Audit TIK", "D3", "Manajemen", 1, 3, 2, 1.5, 0.030),
        (42, "Tingkat Kematangan Layanan Pengaduan Pelayanan Publik", "A8", "Layanan Publik", "D4", "Layanan", 2, 3, 1, 3.0, 0.030),
        (25, "Tingkat Kematangan Penerapan Kompetensi SDM", "A5", "Manajemen", "D3", "Manajemen", 2, 3, 1, 1.5, 0.015),
        (26, "Tingkat Kematangan Penerapan Manajemen Pengetahuan", "A5", "Manajemen", "D3", "Manajemen", 4, 3, 0, 1.5, 0.0),
        (2, "Tingkat Kematangan Kebijakan Internal Peta Rencana SPBE", "A1", "Kebijakan Tata Kelola", "D1", "Kebijakan", 3, 3, 0, 1.3, 0.0),
    ]
    return pd.DataFrame(rows, columns=cols)


def test_indicator_gap_bars_sorted_by_index_points_largest_on_top():
    fig = gap.indicator_gap_bars(gap_rows())
    assert {t.type for t in fig.data} == {"bar"} and all(t.orientation == "h" for t in fig.data)
    order = list(fig.layout.yaxis.categoryarray)
    # 42 (0.030, weight 3.0) before 29 (0.030, weight 1.5), then 1 (0.026), then 25 (0.015); level-3+ rows absent
    assert [int(label.split(" · ")[0]) for label in order] == [42, 29, 1, 25]
    assert fig.layout.yaxis.autorange == "reversed"
    drawn = {y: x for t in fig.data for x, y in zip(t.x, t.y)}
    assert [drawn[label] for label in order] == sorted(drawn.values(), reverse=True)
    # one trace per domain, coloured consistently, with id-ID text labels
    assert sorted(t.name for t in fig.data) == ["D1 Kebijakan", "D3 Manajemen", "D4 Layanan"]
    d3 = next(t for t in fig.data if t.name.startswith("D3"))
    assert d3.marker.color == gap.DOMAIN_COLORS["D3"] and "0,030" in d3.text
    assert "Kebijakan Internal Arsitektur SPBE" in order[2] and "Tingkat Kematangan" not in order[2]


def test_indicator_gap_bars_without_gaps_says_so():
    rows = gap_rows().assign(biaya_indeks=0.0, kekurangan=0)
    fig = gap.indicator_gap_bars(rows)
    assert len(fig.data) == 0 and "sudah mencapai" in fig.layout.annotations[0].text


def test_aspect_rollup_sums_points_and_counts_indicators_below_target():
    agg = gap.gaps_by_aspect(gap_rows()).set_index("kode_aspek")
    assert agg.loc["A5", "biaya_indeks"] == pytest.approx(0.015)
    assert (agg.loc["A5", "jumlah_di_bawah_target"], agg.loc["A5", "jumlah_indikator"]) == (1, 2)
    assert list(agg.index[:2]) == ["A6", "A8"]        # 0.030 each, ties by code
    fig = gap.aspect_gap_bars(agg.reset_index())
    assert [c.split(" · ")[0] for c in fig.layout.yaxis.categoryarray] == ["A6", "A8", "A1", "A5"]


def test_domain_gap_bars_only_domains_below_target_sorted():
    dom = pd.DataFrame({
        "kode_domain": ["D1", "D2", "D3", "D4"], "label_domain": ["Kebijakan", "Tata Kelola", "Manajemen", "Layanan"],
        "nilai": [2.5, 3.4, 1.6, 2.9], "target_level": 3, "bobot_domain": [13.0, 25.0, 16.5, 45.5]})
    dom["kekurangan"] = (3 - dom["nilai"]).clip(lower=0)
    dom["biaya_indeks"] = dom["kekurangan"] * dom["bobot_domain"] / 100
    fig = gap.domain_gap_bars(dom)
    order = [c.split(" · ")[0] for c in fig.layout.yaxis.categoryarray]
    assert order == ["D3", "D1", "D4"]                 # 0.231, 0.065, 0.0455; D2 above target
    assert {t.type for t in fig.data} == {"bar"}


def test_category_share_highlights_gaps_the_instansi_shares():
    cat = pd.DataFrame({
        "no_indikator": [29, 24, 11], "nama_indikator": ["Audit Infrastruktur", "Manajemen Aset", "Arsitektur"],
        "jumlah_instansi": [93, 93, 93], "jumlah_di_bawah_target": [83, 71, 50],
        "di_bawah_target_pct": [89.2, 76.3, 53.8], "rerata_level": [1.5, 1.8, 2.3]})
    fig = gap.category_gap_share_bars(cat, kategori="Kota", own_gaps={29})
    shared = next(t for t in fig.data if t.marker.color == gap.HIGHLIGHT_COLOR)
    assert [y.split(" · ")[0] for y in shared.y] == ["29"]
    assert [y.split(" · ")[0] for y in fig.layout.yaxis.categoryarray] == ["29", "24", "11"]
    assert "Kota" in fig.layout.title.text


# --- distribution -------------------------------------------------------------------------------
def ranking_rows() -> pd.DataFrame:
    return pd.DataFrame({
        "instansi_id": ["kota-1", "kota-2", "kab-1", "prov-1", "kota-3"],
        "nama": ["Kota A", "Kota B", "Kab C", "Prov D", "Kota E"],
        "kategori": ["Kota", "Kota", "Kabupaten", "Provinsi", "Kota"],
        "indeks": [3.1, 2.4, 2.9, 3.8, None],
        "predikat": ["Baik", "Cukup", "Baik", "Sangat Baik", None],
    })


BANDS = [("Memuaskan", 4.2, 5.0), ("Sangat Baik", 3.5, 4.2), ("Baik", 2.6, 3.5), ("Cukup", 1.8, 2.6), ("Kurang", 1.0, 1.8)]


def test_box_by_category_draws_a_summary_box_per_category_and_highlights_the_instansi():
    fig = dist.box_by_category(ranking_rows(), highlight_id="kota-2", target=2.6, bands=BANDS,
                               category_order=["Provinsi", "Kabupaten", "Kota"])
    boxes = [t for t in fig.data if t.type == "box"]
    assert [b.name for b in boxes] == ["Provinsi", "Kabupaten", "Kota"]
    kota = next(b for b in boxes if b.name == "Kota")
    assert kota.x is None and kota.boxpoints is False          # no point per instansi: the box's own numbers
    assert (kota.lowerfence[0], kota.median[0], kota.upperfence[0]) == (2.4, 2.75, 3.1)   # missing index not counted
    assert kota.q1[0] == pytest.approx(2.575) and kota.q3[0] == pytest.approx(2.925)
    marker = [t for t in fig.data if t.type == "scatter" and t.meta]
    assert len(marker) == 1 and marker[0].meta == {"highlight": "kota-2"}
    assert (marker[0].x[0], marker[0].y[0]) == (2.4, "Kota") and marker[0].marker.symbol == "diamond"
    assert "lebih tinggi dari 0 % instansi Kota" in marker[0].hovertemplate     # the lowest of its category
    summary = next(t for t in fig.data if t.name == "Ringkasan kategori")     # Indonesian hover, id-ID numbers
    assert list(summary.y) == ["Provinsi", "Kabupaten", "Kota"] and list(summary.customdata[2][:4]) == ["2", "2,40", "2,58", "2,75"]
    assert any(s.type == "line" and s.x0 == 2.6 for s in fig.layout.shapes)  # target line
    assert sum(1 for s in fig.layout.shapes if s.type == "rect") == 5          # predikat bands
    assert list(fig.layout.yaxis.categoryarray) == ["Provinsi", "Kabupaten", "Kota"]


def test_box_without_the_instansi_has_no_highlight():
    fig = dist.box_by_category(ranking_rows(), highlight_id="kota-3")   # not scored
    assert not [t for t in fig.data if t.type == "scatter" and t.meta]


def test_box_chart_size_does_not_grow_with_the_number_of_instansi():
    """Issue 14: one point per instansi was 41 KB at demo scale and 415 KB at 10×; the boxes are a few KB
    whatever the number of instansi, with the instansi under study still its own point."""
    import numpy as np

    def rows(n: int) -> pd.DataFrame:
        rng = np.random.default_rng(7)
        kategori = np.array(["Kementerian", "LPNK", "Provinsi", "Kabupaten", "Kota"])[np.arange(n) % 5]
        return pd.DataFrame({"instansi_id": [f"i-{i}" for i in range(n)], "nama": [f"Instansi {i}" for i in range(n)],
                             "kategori": kategori, "indeks": rng.uniform(1, 5, n).round(2)})

    small, large = (dist.box_by_category(rows(n), highlight_id="i-3", target=2.6, bands=BANDS) for n in (60, 6400))
    size = {n: len(f.to_json()) for n, f in ((60, small), (6400, large))}
    assert size[6400] < 12_000 and abs(size[6400] - size[60]) < 600
    assert sum(len(t.x or t.y or []) for t in large.data) <= 5 + 5 + 1   # 5 boxes, 5 hover points, 1 highlight
    [me] = [t for t in large.data if t.meta]
    assert me.y[0] == "Kabupaten" and me.text[0].startswith("Instansi 3 (")


def test_peer_bars_sorted_and_instansi_coloured():
    fig = dist.peer_bars(ranking_rows(), highlight_id="kab-1", target=2.6)
    bar = fig.data[0]
    assert list(bar.y) == ["Prov D", "Kota A", "Kab C", "Kota B"]
    assert list(bar.marker.color) == [dist.PEER_COLOR, dist.PEER_COLOR, dist.HIGHLIGHT_COLOR, dist.PEER_COLOR]
    assert bar.text[0] == "3,80"


def test_peer_domain_dots_draw_only_the_instruments_domains():
    sim = pd.DataFrame({"instansi_id": ["a", "b"], "nama": ["A", "B"], "d1": [3.0, 3.1], "d2": [2.0, 2.2],
                        "d3": [4.0, 3.9], "d4": [None, None]})
    fig = dist.peer_domain_dots(sim, domain_labels={"d1": "D1 Kebijakan", "d2": "D2 Tata Kelola", "d3": "D3 Layanan"},
                                highlight_id="a")
    me = next(t for t in fig.data if t.meta == {"highlight": "a"})
    assert list(me.y) == ["D1 Kebijakan", "D2 Tata Kelola", "D3 Layanan"] and list(me.x) == [3.0, 2.0, 4.0]


# --- map ----------------------------------------------------------------------------------------
def province_rows() -> pd.DataFrame:
    return pd.DataFrame({
        "kode_provinsi": ["31", "64", "65", "91", "93", "94", "36"],
        "provinsi": ["DKI Jakarta", "Kalimantan Timur", "Kalimantan Utara", "Papua", "Papua Selatan", "Papua Tengah", "Banten"],
        "indeks_pemprov": [4.1, 4.6, 4.2, 2.9, 3.5, None, 3.4],
        "rerata_kabkota": [None, 3.3, 3.0, 3.0, 3.4, 3.6, 3.1],
        "jumlah_kabkota": [0, 10, 5, 9, 4, 8, 8],
    })


def test_new_provinces_are_drawn_in_the_parent_polygon_with_the_parent_value():
    poly = maps.polygon_values(province_rows(), "indeks_pemprov", maps.load_parents()).set_index("kode_provinsi_peta")
    assert "65" not in poly.index and "93" not in poly.index
    assert poly.loc["64", "nilai"] == 4.6 and poly.loc["64", "jumlah_provinsi"] == 2
    assert "Kalimantan Utara: 4,20" in poly.loc["64", "anggota"]
    assert poly.loc["91", "nilai"] == 2.9 and "Papua Tengah: —" in poly.loc["91", "anggota"]


def test_combined_polygon_value_is_weighted_by_kab_kota():
    poly = maps.polygon_values(province_rows(), "rerata_kabkota", maps.load_parents(), how="gabungan",
                               weight_col="jumlah_kabkota").set_index("kode_provinsi_peta")
    assert poly.loc["91", "nilai"] == pytest.approx((3.0 * 9 + 3.4 * 4 + 3.6 * 8) / 21)
    assert pd.isna(poly.loc["31", "nilai"])            # no autonomous kab/kota: missing, not zero


def test_choropleth_is_offline_on_the_local_geojson():
    gj = maps.load_geojson()
    poly = maps.polygon_values(province_rows(), "indeks_pemprov", maps.load_parents())
    fig = maps.province_choropleth(poly, gj, value_label="Indeks pemprov", title="Peta", highlight_kode="36")
    spec = fig.to_plotly_json()
    assert {t["type"] for t in spec["data"]} == {"choroplethmap"}
    assert not {"choropleth", "scattergeo", "choroplethmapbox"} & {t["type"] for t in spec["data"]}
    assert "geo" not in spec["layout"] and "mapbox" not in spec["layout"]
    assert fig.layout.map.style == "white-bg"
    for t in fig.data:
        assert t.featureidkey == "properties.kode_provinsi"
        assert set(t.locations) <= set(maps.feature_ids(gj))
        # each layer carries the features it draws, taken from gj
        assert set(maps.feature_ids(t.geojson)) == set(t.locations)
        assert all(f in gj["features"] for f in t.geojson["features"])
    assert "topojson" not in fig.to_json()
    base, values, outline = fig.data
    assert sorted([*base.locations, *values.locations]) == sorted(maps.feature_ids(gj))  # every polygon drawn once,
    assert not set(base.locations) & set(values.locations)                               # grey where no value
    assert dict(zip(values.locations, values.z))["64"] == 4.6
    assert list(outline.locations) == ["36"] and outline.marker.line.color == theme.PALETTE[3]


def test_simplified_outlines_keep_every_polygon_close_to_the_file():
    exact, simple = maps.load_geojson(tolerance=0), maps.load_geojson()
    assert maps.feature_ids(simple) == maps.feature_ids(exact)

    def rings(gj):
        geoms = [f["geometry"] for f in gj["features"]]
        polys = [p for g in geoms for p in (g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]])]
        return [ring for poly in polys for ring in poly]

    assert len(rings(simple)) == len(rings(exact))                  # no island or hole dropped
    assert all(r[0] == r[-1] and len(r) >= 4 for r in rings(simple))   # rings stay closed polygons
    assert sum(map(len, rings(simple))) < 0.5 * sum(map(len, rings(exact)))
    kept = {tuple(p) for r in rings(exact) for p in r}
    assert all(tuple(p) in kept for r in rings(simple) for p in r)      # only drops points, never moves one


def test_douglas_peucker_keeps_points_farther_than_the_tolerance():
    line = [[0, 0], [1, 0.001], [2, 0], [3, 0.5], [4, 0]]
    assert maps._simplify_line(line, 0.01) == [[0, 0], [2, 0], [3, 0.5], [4, 0]]
    assert maps._simplify_line(line, 1.0) == [[0, 0], [4, 0]]


def test_province_table_names_the_parent_polygon():
    table = maps.province_table(province_rows(), maps.load_parents()).set_index("kode_provinsi")
    assert table.loc["65", "digambar_pada"] == "Kalimantan Timur"
    assert table.loc["93", "digambar_pada"] == "Papua" and table.loc["36", "digambar_pada"] == "—"


def test_every_province_of_the_master_has_a_polygon():
    ids = set(maps.feature_ids(maps.load_geojson()))
    parents = maps.load_parents()
    assert len(parents) == 38 and set(parents["kode_provinsi_peta"]) <= ids


# --- queries added for these views (tiny warehouse, exact rows) --------------------------------
@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    from domain.instrument import load_registry
    from etl.publish import Source, publish
    from queries.gateway import Warehouse

    master = pd.DataFrame([
        ("kota-36.73", "Pemerintah Kota Serang", "", "Pemerintah Daerah", "Kota", "Kota", "Banten", "36", "36.73"),
        ("kota-36.71", "Pemerintah Kota Tangerang", "", "Pemerintah Daerah", "Kota", "Kota", "Banten", "36", "36.71"),
        ("kab-36.04", "Pemerintah Kab. Serang", "", "Pemerintah Daerah", "Kabupaten", "Kabupaten", "Banten", "36", "36.04"),
    ], columns=["instansi_id", "nama", "alias", "kelompok", "kategori", "kategori_ringkas", "provinsi",
                "kode_provinsi", "kode_wilayah"])
    ins = load_registry().for_year(2024)
    level = {"kota-36.73": 3, "kota-36.71": 2, "kab-36.04": 4}
    rows = [(2024, iid, ins.id, i.no, lv if not (iid == "kota-36.73" and i.no_domain == 3) else 1)
            for iid, lv in level.items() for i in ins.indicators]
    levels = pd.DataFrame(rows, columns=["tahun", "instansi_id", "instrument_id", "no_indikator", "level"])
    root = tmp_path_factory.mktemp("tiny_gap")
    publish(root, source=Source("uji", "Uji", "demo", True), levels=levels, master=master)
    wh = Warehouse(root)
    yield wh
    wh.close()


def test_domain_gaps_cost_shortfall_times_domain_weight(tiny):
    df = tiny.run("domain_gaps", year=2024, instansi_id="kota-36.73")
    top = df.iloc[0]
    assert (top.kode_domain, top.nilai, top.kekurangan) == ("D3", 1.0, 2.0)
    assert top.biaya_indeks == pytest.approx(2 * 16.5 / 100)
    assert (top.jumlah_di_bawah_target, top.jumlah_kategori) == (2, 2)     # Tangerang (2) shares it
    assert df["biaya_indeks"].iloc[1:].eq(0).all() and len(df) == 4


def test_similar_instansi_lists_itself_first_then_nearest(tiny):
    df = tiny.run("similar_instansi", year=2024, instansi_id="kota-36.71")
    assert list(df["instansi_id"]) == ["kota-36.71", "kota-36.73", "kab-36.04"]
    assert bool(df["adalah_instansi"].iloc[0]) and df["jarak"].iloc[0] == 0
    # Serang (3,3,1,3) vs Tangerang (2,2,2,2): sqrt(1+1+1+1) = 2; Kab (4,4,4,4): sqrt(4×4) = 4
    assert list(df["jarak"].iloc[1:]) == pytest.approx([2.0, 4.0])


def test_committed_simplified_outlines_are_the_simplifier_output():
    """The map draws the committed provinsi_sederhana.geojson (simplified once, offline): it must be what
    `python -m rendering.maps` writes from provinsi.geojson, and load_geojson() must return it."""
    assert maps.SIMPLIFIED_PATH.read_text(encoding="utf-8") == maps.simplified_text()
    assert maps.load_geojson() == json.loads(maps.SIMPLIFIED_PATH.read_text(encoding="utf-8"))
