"""AppTest: Ringkasan nasional (official vs recomputed national index, category heat table,
predikat distribution, share reaching Baik against the 2024 targets)."""
from __future__ import annotations

from tests.app.conftest import plotly_specs
from tests.app.fragments import fragment_ids, rerun_fragment

PAGE = "ringkasan_nasional"


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def chart(at, title_part: str) -> dict:
    return next(s for s in plotly_specs(at) if title_part in s["layout"]["title"]["text"])


def test_renders_official_and_recomputed_side_by_side(page_app, warehouse):
    at = page_app(PAGE, query={"tahun": "2024"})
    assert not at.exception
    assert "DATA SINTETIS" in texts(at.warning)
    nat = warehouse.run("national_trend").set_index("tahun")
    official, recomputed = at.metric[0], at.metric[1]
    assert "resmi" in official.label and official.value == "3,12"           # KemenPANRB 2024 figure
    assert "+0,33 dari 2023" in official.delta                              # 3,12 − 2,79
    assert "dihitung ulang" in recomputed.label
    assert recomputed.value == f"{nat.loc[2024, 'dihitung']:.2f}".replace(".", ",")
    assert {"Rata-rata per kategori 2024", "Sebaran predikat", "Porsi berpredikat Baik", "Indeks SPBE nasional"} <= {
        part for s in plotly_specs(at) for part in (
            "Rata-rata per kategori 2024", "Sebaran predikat", "Porsi berpredikat Baik", "Indeks SPBE nasional")
        if part in s["layout"]["title"]["text"]}


def test_weakest_aspect_is_the_lowest_recomputed_national_aspect(page_app, warehouse):
    at = page_app(PAGE, query={"tahun": "2024"})
    comp = warehouse.run("component_means", year=2024)
    weakest = comp[(comp["kategori"] == "Nasional") & (comp["jenis"] == "aspek")].sort_values("nilai").iloc[0]
    line = next(m.value for m in at.markdown if "Aspek terlemah" in m.value)
    assert f"{weakest['komponen']} {weakest['label']}" in line and "dihitung ulang" in line


def test_year_filter_changes_the_figures_and_the_url(page_app):
    at24 = page_app(PAGE, query={"tahun": "2024"})
    at23 = page_app(PAGE, session={"g_tahun": 2023})
    assert not at23.exception
    assert at23.query_params["tahun"] == "2023" and at24.query_params["tahun"] == "2024"
    assert "instansi" in at23.query_params
    z23 = chart(at23, "Rata-rata per kategori")["data"][0]["z"]
    z24 = chart(at24, "Rata-rata per kategori")["data"][0]["z"]
    assert z23 != z24
    assert "2023" in at23.metric[0].label and at23.metric[0].value == "2,79"


def test_official_heat_table_keeps_unpublished_cells_empty(page_app, warehouse):
    # a year with official category means for some cells only (2023: Lembaga Lain is not published)
    years = [int(y) for y in warehouse.run("years")["tahun"]]
    frames = {y: warehouse.run("component_means", year=y) for y in years}
    year = next(y for y, c in frames.items() if c["resmi"].notna().any() and c["resmi"].isna().any())
    missing = frames[year][frames[year]["resmi"].isna()].iloc[0]
    at = page_app(PAGE, query={"tahun": str(year)})
    at.segmented_control(key="rn_mode").set_value("resmi").run()
    assert not at.exception
    spec = chart(at, "Rata-rata per kategori")
    heat = spec["data"][0]
    row, col = heat["y"].index(missing["kategori"]), heat["x"].index(
        "Indeks SPBE" if missing["komponen"] == "indeks" else f"{missing['komponen']} {missing['label']}")
    assert heat["z"][row][col] is None and heat["text"][row][col] == "—"
    assert "resmi" in spec["layout"]["title"]["text"]


def test_year_without_official_category_means_explains_why(page_app):
    at = page_app(PAGE, query={"tahun": "2019"})
    at.segmented_control(key="rn_mode").set_value("selisih").run()
    assert not at.exception
    assert "Tidak ada rata-rata kategori resmi untuk 2019" in texts(at.info)
    assert not any("Rata-rata per kategori" in s["layout"]["title"]["text"] for s in plotly_specs(at))


def test_baik_share_against_targets_from_the_reference_file(page_app):
    at = page_app(PAGE, query={"tahun": "2024"})
    spec = chart(at, "Porsi berpredikat Baik")
    target = next(t for t in spec["data"] if t["name"].startswith("Target"))
    by_cat = dict(zip(target["y"], target["x"]))
    assert by_cat["Kementerian"] == 100 and by_cat["Provinsi"] == 80 and by_cat["Kabupaten"] == 60
    dist = chart(at, "Sebaran predikat")
    assert [t["name"] for t in dist["data"]] == ["Kurang", "Cukup", "Baik", "Sangat Baik", "Memuaskan"]


def test_mode_change_reruns_only_the_heat_table_fragment(page_app):
    """Issue 14: the mode and the heat table are one st.fragment — changing the mode redraws that chart
    (and mirrors ?rata=) without rerunning the page's title, metrics and other charts."""
    at = page_app(PAGE, query={"tahun": "2024"})
    [fid] = fragment_ids(at)
    before = chart(at, "Rata-rata per kategori")
    at.segmented_control(key="rn_mode").set_value("selisih")
    rerun_fragment(at, fid)
    assert not at.exception
    specs = plotly_specs(at)
    assert len(specs) == 1 and "selisih" in specs[0]["layout"]["title"]["text"]     # only the fragment's chart
    assert specs[0]["data"][0]["z"] != before["data"][0]["z"]
    assert not at.title and not at.metric                                            # the page body did not run
    assert at.query_params["rata"] in ("selisih", ["selisih"])                       # the link still restores it
    assert {"PNG (resolusi tinggi)"} <= {b.proto.label for b in at.get("download_button")}  # downloads kept
    assert not at.dataframe                                                          # the table: only when opened
    at.session_state["rn_tabel"] = True
    rerun_fragment(at, fid)
    table = at.dataframe[0].value
    assert {"dihitung ulang", "resmi", "jumlah instansi"} <= set(table.columns) and "CSV" in {
        b.proto.label for b in at.get("download_button")}
    at.segmented_control(key="rn_mode").set_value("dihitung ulang")
    rerun_fragment(at, fid)
    assert "rata" not in at.query_params and "selisih" not in plotly_specs(at)[0]["layout"]["title"]["text"]
