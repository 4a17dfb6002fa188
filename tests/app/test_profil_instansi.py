"""AppTest: Profil instansi (index, predikat, change, ranks, aspect radar, indicator levels)."""
from __future__ import annotations

from domain.instrument import load_registry
from tests.app.conftest import plotly_specs

PAGE = "profil_instansi"
SERANG = "kota-36.73"


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def radar(at) -> dict:
    return next(s for s in plotly_specs(at) if s["data"] and s["data"][0]["type"] == "scatterpolar")


def gap_instansi(warehouse) -> tuple[str, int, list[int]]:
    """An instansi the demo leaves unevaluated in some year (preferably inside its span)."""
    lst = warehouse.run("instansi_list")
    lst = lst[lst["jumlah_tahun"] < 7]
    inner = lst[lst["tahun_terakhir"] - lst["tahun_pertama"] + 1 > lst["jumlah_tahun"]]
    row = (inner if len(inner) else lst).iloc[0]
    have = sorted(int(y) for y in warehouse.run("instansi_trend", instansi_ids=[row["instansi_id"]])["tahun"])
    missing = next(y for y in range(2018, 2025) if y not in have)
    return row["instansi_id"], missing, have


def test_renders_profile_with_radar_against_means_and_levels(page_app):
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    assert not at.exception
    assert "DATA SINTETIS" in texts(at.warning)
    assert "Pemerintah Kota Serang" in texts(at.subheader)
    assert at.metric[0].label == "Indeks SPBE 2024" and "dari 2023" in at.metric[0].delta
    assert any("Peringkat di Kota" == m.label and " dari " in m.value for m in at.metric)
    spec = radar(at)
    aspects = [f"{a.kode} {a.label}" for a in load_registry().for_year(2024).aspects]
    assert spec["data"][0]["theta"][:-1] == aspects
    names = [t["name"] for t in spec["data"]]
    # the reference tables hold KemenPANRB's 2024 aspect means per category (not its national aspect means)
    assert names == ["Pemerintah Kota Serang", "Rata-rata nasional (dihitung ulang)",
                     "Rata-rata Kota (resmi KemenPANRB)", "Rata-rata kab/kota se-provinsi (dihitung ulang)"]
    levels = at.dataframe[-1].value
    assert len(levels) == 47 and set(levels["tingkat kematangan"]) <= {
        "Rintisan", "Terkelola", "Terstandardisasi", "Terintegrasi dan Terukur", "Optimum",
        "Informasi", "Interaksi", "Transaksi", "Kolaborasi", "Optimalisasi"}


def test_year_filter_changes_the_radar_and_the_url(page_app):
    at24 = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    at23 = page_app(PAGE, query={"instansi": SERANG}, session={"g_tahun": 2023})
    assert not at23.exception
    assert at23.query_params["tahun"] == "2023" and at23.query_params["instansi"] == SERANG
    assert radar(at23)["data"][0]["r"] != radar(at24)["data"][0]["r"]


def test_old_instrument_years_show_its_seven_aspects(page_app):
    at = page_app(PAGE, query={"tahun": "2019", "instansi": SERANG})
    assert not at.exception
    aspects = [f"{a.kode} {a.label}" for a in load_registry().for_year(2019).aspects]
    assert len(aspects) == 7 and radar(at)["data"][0]["theta"][:-1] == aspects
    assert "PermenPANRB 5/2018" in radar(at)["layout"]["title"]["text"]


def test_year_without_a_score_says_so_and_offers_the_years_it_has(page_app, warehouse):
    iid, missing, have = gap_instansi(warehouse)
    at = page_app(PAGE, query={"tahun": str(missing), "instansi": iid})
    assert not at.exception
    info = texts(at.info)
    assert f"tidak memiliki nilai untuk {missing}" in info and str(have[-1]) in info
    assert not plotly_specs(at)
    at.button(key=f"pi_tahun_{have[-1]}").click().run()
    assert not at.exception
    assert at.query_params["tahun"] == str(have[-1]) and plotly_specs(at)


def test_search_box_switches_the_instansi_and_the_url(page_app):
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    at.text_input(key="pi_cari").input("Denpasar").run()
    at.selectbox(key="pi_hasil").select("kota-51.71").run()
    assert not at.exception
    assert at.query_params["instansi"] == "kota-51.71"
    assert "Denpasar" in texts(at.subheader)


def drawn(at) -> list[str]:
    """What the page shows, in order: texts, metrics, tables and charts (for 'nothing changed' checks)."""
    return ([str(e.value) for e in (*at.subheader, *at.caption, *at.markdown, *at.warning)]
            + [f"{m.label}|{m.value}|{m.proto.body}" for m in at.metric]
            + [df.value.to_csv() for df in at.dataframe] + [str(s) for s in plotly_specs(at)])


def downloads(at) -> list[str]:
    return [b.proto.id for b in at.get("download_button")]


def test_numbers_behind_the_radar_are_built_only_when_opened(page_app):
    """Issue 14: the collapsed 'Angka di balik grafik' builds and sends no table (a collapsed expander's body still
    runs); opening it draws the radar's numbers and their downloads; a warm rerun derives nothing again
    (ui/profile_view.py, ui/figure_cache.py) and draws the same page."""
    from ui import figure_cache, profile_view

    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    assert not at.exception
    [expander] = [e for e in at.expander if e.label == "Angka di balik grafik"]
    assert not expander.children                                        # collapsed: nothing inside
    first, views, figures = drawn(at), profile_view.BUILDS["n"], figure_cache.BUILDS["n"]
    assert len(at.dataframe) == 2                                       # comparison and indicator levels only
    assert not any("komponen" in d for d in downloads(at))
    at.run()
    assert drawn(at) == first                                           # a warm rerun: the same page …
    assert (profile_view.BUILDS["n"], figure_cache.BUILDS["n"]) == (views, figures)   # … derived from nothing new
    at.session_state["pi_angka"] = True
    at.run()
    assert not at.exception and len(at.dataframe) == 3
    numbers = next(df.value for df in at.dataframe if "rata-rata nasional (dihitung ulang)" in df.value.columns)
    assert list(numbers.columns) == ["jenis", "kode", "label", "instansi", "rata-rata nasional (dihitung ulang)",
                                     "rata-rata kategori (dihitung ulang)", "rata-rata kab/kota se-provinsi (dihitung ulang)"]
    aspects = load_registry().for_year(2024).aspects
    assert list(numbers.loc[numbers["jenis"] == "aspek", "kode"]) == [a.kode for a in aspects]
    assert all("," in v for v in numbers["instansi"])                   # id-ID numbers
    assert sum("komponen" in d for d in downloads(at)) == 3             # CSV, CSV titik desimal, XLSX
    assert profile_view.BUILDS["n"] == views                            # opening it derived nothing new
    at.session_state["pi_angka"] = False
    at.run()
    assert len(at.dataframe) == 2 and drawn(at) == first


def test_a_view_is_per_instansi_and_year(page_app):
    """The derived view is keyed by instansi and year: another year shows that year's numbers, and going back
    reuses the first view."""
    from ui import profile_view

    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    first, views = drawn(at), profile_view.BUILDS["n"]
    at.session_state["g_tahun"] = 2023
    at.run()
    assert not at.exception and profile_view.BUILDS["n"] == views + 1 and drawn(at) != first
    assert at.metric[0].label == "Indeks SPBE 2023" and "Level indikator 2023" in texts(at.subheader)
    at.session_state["g_tahun"] = 2024
    at.run()
    assert profile_view.BUILDS["n"] == views + 1 and drawn(at) == first


def test_a_warm_rerun_runs_no_query_but_the_years_and_a_search_is_ranked_once(page_app, monkeypatch):
    """Issue 14: on a warm rerun the profile runs no query of its own (its view is stored), reads no instansi
    list (ctx.instansi is read on first use, the search box only while searching), and a search text is ranked
    once per snapshot, not on every rerun."""
    from ui import data, instansi_search

    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    first = drawn(at)
    calls, real_run = [], data.run
    monkeypatch.setattr(data, "run", lambda name, **params: calls.append(name) or real_run(name, **params))
    at.run()
    assert not at.exception and drawn(at) == first
    assert set(calls) <= {"years"}, calls
    ranked, real_rank = [], instansi_search.rank
    monkeypatch.setattr(instansi_search, "rank", lambda query, rows: ranked.append(query) or real_rank(query, rows))
    at.text_input(key="pi_cari").input("Denpasar").run()
    assert at.selectbox(key="pi_hasil").options[0].startswith("Pemerintah Kota Denpasar")
    at.run()
    assert ranked == ["Denpasar"] and at.selectbox(key="pi_hasil").options[0].startswith("Pemerintah Kota Denpasar")
