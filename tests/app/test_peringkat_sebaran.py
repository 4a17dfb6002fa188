"""AppTest: Peringkat & sebaran page (ranking table with filters, distribution, peers)."""
from __future__ import annotations

from tests.app.conftest import plotly_specs
from tests.app.fragments import fragment_ids, rerun_fragment

PAGE = "peringkat_sebaran"
SERANG = "kota-36.73"


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def test_renders_ranking_distribution_and_highlight(page_app):
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    assert not at.exception
    assert "DATA SINTETIS" in texts(at.warning)
    table = at.dataframe[0].value
    assert 50 <= len(table) <= 51 and list(table["Peringkat"]) == sorted(table["Peringkat"])   # top 50 (+ Serang)
    strip = next(s for s in plotly_specs(at) if any(t["type"] == "box" for t in s["data"]))
    marks = [t for t in strip["data"] if t.get("meta") == {"highlight": SERANG}]
    assert len(marks) == 1 and marks[0]["y"] == ["Kota"]
    # default peers: Kota in Banten, Serang coloured among them
    peers = plotly_specs(at)[-1]["data"][0]
    assert "Pemerintah Kota Serang" in peers["y"] and set(peers["y"]) <= {
        "Pemerintah Kota Serang", "Pemerintah Kota Tangerang", "Pemerintah Kota Cilegon", "Pemerintah Kota Tangerang Selatan"}


def test_ranking_table_shows_id_ID_numbers_and_missing_as_dash(page_app):
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    shown = at.dataframe[0].value
    assert shown["Indeks SPBE"].str.fullmatch(r"\d,\d\d").all()       # 3,40: id-ID text, sorts right for 0–5
    assert shown["D1 Kebijakan"].str.fullmatch(r"\d,\d\d|—").all()
    pusat = shown["Kategori"].isin(["Kementerian", "LPNK", "Lembaga Lain"])
    assert pusat.any() and (shown.loc[pusat, "Provinsi"] == "—").all()
    assert shown["Peringkat"].dtype.kind == "i"                       # ranks still sort as numbers
    indeks = shown["Indeks SPBE"].str.replace(",", ".").astype(float)
    assert list(indeks) == sorted(indeks, reverse=True)               # rank order = index order


def test_ranking_table_marks_the_instansi_under_study_without_a_styler(page_app):
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    shown = at.dataframe[0].value
    marked = shown[shown.iloc[:, 0] == "◆"]
    assert list(marked["Instansi"]) == ["Pemerintah Kota Serang"] and (shown.iloc[:, 0] != "◆").sum() == len(shown) - 1
    row = marked.iloc[0]
    assert (f"Pemerintah Kota Serang: peringkat {row['Peringkat']} nasional, {row['Peringkat kategori']} dalam kategori "
            "Kota") in texts(at.caption)
    # no Styler any more: a plain frame, so the browser gets no per-cell display values
    assert not at.dataframe[0].proto.arrow_data.styler.display_values
    assert {"CSV", "XLSX"} <= {b.proto.label for b in at.get("download_button")}


def test_kategori_filter_gives_fewer_rows_and_goes_to_the_url(page_app):
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    before = len(at.dataframe[0].value)
    at.multiselect(key="f_kategori").set_value(["Kota"]).run()
    assert not at.exception
    after = at.dataframe[0].value
    assert 0 < len(after) < before and set(after["Kategori"]) == {"Kota"}
    assert at.query_params["kategori"] == "Kota"
    strip = next(s for s in plotly_specs(at) if any(t["type"] == "box" for t in s["data"]))
    assert [t["name"] for t in strip["data"] if t["type"] == "box"] == ["Kota"]


def test_filters_are_read_back_from_the_url(page_app):
    at = page_app(PAGE, query={"tahun": "2023", "instansi": SERANG, "kategori": "Provinsi,Kota",
                               "predikat": "Baik", "provinsi": "Jawa Barat"})
    assert not at.exception
    assert at.multiselect(key="f_kategori").value == ["Provinsi", "Kota"]
    assert at.multiselect(key="f_predikat").value == ["Baik"]
    table = at.dataframe[0].value
    assert len(table) > 0
    assert set(table["Kategori"]) <= {"Provinsi", "Kota"} and set(table["Predikat"]) == {"Baik"}
    assert set(table["Provinsi"]) == {"Jawa Barat"}
    assert at.query_params["tahun"] == "2023" and at.query_params["predikat"] == "Baik"


def test_year_changes_the_ranking(page_app):
    t23 = page_app(PAGE, query={"tahun": "2023", "instansi": SERANG}).dataframe[0].value
    t24 = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG}).dataframe[0].value
    assert list(t23["Instansi"][:10]) != list(t24["Instansi"][:10])


def test_most_similar_profile_peers(page_app):
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG, "pembanding": "mirip"})
    assert not at.exception
    assert at.radio(key="f_pembanding").value == "mirip"
    sim = at.dataframe[-1].value
    assert len(sim) == 11 and sim["Instansi"].iloc[0] == "Pemerintah Kota Serang"
    jarak = [float(v.replace(",", ".")) for v in sim["Jarak profil"]]
    assert jarak[0] == 0 and jarak == sorted(jarak)
    dots = plotly_specs(at)[-1]
    assert any(t.get("meta") == {"highlight": SERANG} for t in dots["data"])


def test_ranking_table_shows_the_top_rows_and_all_on_request_or_by_name(page_app):
    """Issue 14: the page ships the top 50 (+ the instansi under study), not every instansi; every row is
    one choice away, a name search finds any row, and the download always holds every filtered row."""
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    assert "Tampil" in texts(at.caption) and "semua baris ada di unduhan CSV/XLSX" in texts(at.caption)
    assert "Pemerintah Kota Serang" in list(at.dataframe[0].value["Instansi"])
    assert len(at.dataframe[0].value) <= 51
    at.selectbox(key="f_baris").set_value("100 teratas").run()
    assert 100 <= len(at.dataframe[0].value) <= 101
    at.selectbox(key="f_baris").set_value("semua").run()
    assert len(at.dataframe[0].value) > 600
    at.selectbox(key="f_baris").set_value("100 teratas").run()
    at.text_input(key="f_cari_tabel").input("pandeglang").run()
    found = at.dataframe[0].value
    assert len(found) >= 1 and found["Instansi"].str.contains("Pandeglang").all()


def test_peer_mode_change_reruns_only_the_peer_fragment(page_app):
    """Issue 14: the peer mode and its chart/table are one st.fragment — switching it redraws the peers and
    mirrors ?pembanding= without rebuilding the ranking table and the distribution."""
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    [fid] = fragment_ids(at)
    at.radio(key="f_pembanding").set_value("mirip")
    rerun_fragment(at, fid)
    assert not at.exception
    assert not at.title and not at.multiselect              # page body (title, filters, ranking) not rerun
    [dots] = plotly_specs(at)                               # only the peer chart, not the distribution
    assert "Profil domain paling mirip" in dots["layout"]["title"]["text"]
    assert any(t.get("meta") == {"highlight": SERANG} for t in dots["data"])
    assert len(at.dataframe) == 1 and "Jarak profil" in at.dataframe[0].value.columns
    assert at.query_params["pembanding"] in ("mirip", ["mirip"])
    assert {"PNG (resolusi tinggi)", "CSV"} <= {b.proto.label for b in at.get("download_button")}
    at.radio(key="f_pembanding").set_value("wilayah")
    rerun_fragment(at, fid)
    [bars] = plotly_specs(at)
    assert "Pemerintah Kota Serang" in bars["data"][0]["y"] and not at.dataframe


def test_warm_rerun_derives_and_encodes_nothing_again(page_app, monkeypatch):
    """Issue 14: the ranking view (domains, id-ID text, filter options) and the table shown are built once per
    (snapshot, year[, filters, search, rows]); the charts are drawn from their stored JSON. A filter change
    builds the new table, the same table as a fresh session shows."""
    from ui import chart_view, ranking_view

    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    first = at.dataframe[0].value
    builds = dict(ranking_view.BUILDS)
    encoded = []
    real = chart_view._plotly_to_json
    monkeypatch.setattr(chart_view, "_plotly_to_json", lambda *a, **k: encoded.append(1) or real(*a, **k))
    at.run()
    assert not at.exception
    assert ranking_view.BUILDS == builds and encoded == []
    assert at.dataframe[0].value.equals(first)
    at.multiselect(key="f_kategori").set_value(["Kota"]).run()
    assert ranking_view.BUILDS["table"] > builds["table"] and ranking_view.BUILDS["view"] == builds["view"]
    kota = at.dataframe[0].value
    assert set(kota["Kategori"]) == {"Kota"}
    fresh = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG, "kategori": "Kota"})
    assert fresh.dataframe[0].value.equals(kota)
