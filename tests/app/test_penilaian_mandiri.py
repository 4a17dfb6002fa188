"""AppTest: Penilaian mandiri & rencana — upload (session only), ETL-identical rejections, profile,
gaps, self vs final, planner (merata by default) and what-if."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.conftest import plotly_specs
from tests.unit.test_upload import BAD_FILES, SERANG_2021, etl_message, final_vs_self_csv, lhe_bytes
from ui import upload

PAGE = "penilaian_mandiri"
SERANG = "kota-36.73"


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def files_of(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(root.rglob("*"))}


def trace_names(spec: dict) -> list[str]:
    return [t.get("name") for t in spec["data"]]


@pytest.fixture(scope="module")
def serang_upload():
    return upload.handle_upload("lhe_uji_kota_serang_2021.txt", lhe_bytes())


def test_empty_state_says_what_to_upload_and_offers_templates(page_app):
    at = page_app(PAGE)
    assert not at.exception
    info = texts(at.info)
    assert "Belum ada penilaian yang diunggah" in info and "LHE" in info and "templat" in info
    assert [b.label for b in at.get("download_button")] == ["Templat CSV", "Templat XLSX"]
    assert at.get("file_uploader") and not plotly_specs(at)


def test_lhe_upload_is_scored_and_compared(page_app, serang_upload):
    at = page_app(PAGE, session={upload.SESSION_KEY: serang_upload})
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Indeks SPBE 2021 (dihitung dari unggahan)"] == "2,97"
    assert metrics["Indikator di bawah level 3"] == "14 dari 47"
    assert [t.label for t in at.tabs] == ["Profil & perbandingan", "Kesenjangan", "Mandiri vs final",
                                          "Rencana RPJMD", "Simulasi"]
    radar = plotly_specs(at)[0]
    names = trace_names(radar)
    assert names[0] == "Pemerintah Kota Serang" and "Rata-rata Kota (dihitung ulang)" in names
    assert any("nasional" in (n or "") for n in names)
    assert len(radar["data"][0]["r"]) == 8 + 1  # 8 aspects, closed polygon
    assert "tahun 2021" in texts(at.caption)
    # gaps with next-level requirements
    gap_table = next(d.value for d in at.dataframe if "Poin indeks" in d.value.columns)
    assert sorted(gap_table["No"]) == [n for n, lv in zip(range(1, 48), SERANG_2021) if lv < 3]
    assert gap_table[upload.DISPLAY_NAMES["syarat"]].str.len().min() > 20
    assert gap_table["Poin indeks"].iloc[0] == "0,030"  # id-ID, largest loss first
    assert "Berkas ini tidak memuat level penilaian mandiri" in texts(at.info)


def test_real_file_uploader_gives_the_same_result(page_app, serang_upload):
    at = page_app(PAGE)
    at.file_uploader[0].set_value(("lhe_uji_kota_serang_2021.txt", lhe_bytes(), "text/plain")).run()
    assert not at.exception
    result = at.session_state[upload.SESSION_KEY]
    assert result.ok and result.assessments[0].levels == serang_upload.assessments[0].levels
    assert {m.label: m.value for m in at.metric}["Indeks SPBE 2021 (dihitung dari unggahan)"] == "2,97"
    at.file_uploader[0].set_value(None).run()  # removing the file forgets it
    assert at.session_state[upload.SESSION_KEY] is None and "Belum ada penilaian" in texts(at.info)


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_shows_exactly_the_etl_message(page_app, case):
    name, data, kw = BAD_FILES[case]
    expected = etl_message(name, data, **kw)
    at = page_app(PAGE, session={upload.SESSION_KEY: upload.handle_upload(name, data, **kw)})
    assert not at.exception
    assert f"{name} ditolak" in texts(at.error)
    assert [c.value for c in at.code] == [expected]
    assert not plotly_specs(at)


@pytest.mark.parametrize("case", ["word", "level-7"])
def test_bad_file_through_the_uploader_widget(page_app, case):
    name, data, kw = BAD_FILES[case]
    at = page_app(PAGE)
    at.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    assert [c.value for c in at.code] == [etl_message(name, data, **kw)]


def test_upload_adds_a_series_to_the_profile_radar(page_app, serang_upload):
    # the upload's own year (2021): the instansi's series IS the upload (ui/session_data.py), labelled
    same = plotly_specs(page_app("profil_instansi", query={"tahun": "2021", "instansi": SERANG},
                                 session={upload.SESSION_KEY: serang_upload}))
    assert trace_names(same[0])[0] == "Pemerintah Kota Serang (unggahan sesi ini)"
    assert not any((n or "").startswith("Unggahan sesi ini") for n in trace_names(same[0]))
    # another year of the same instrument: the upload is added as its own series
    query = {"tahun": "2023", "instansi": SERANG}
    plain = plotly_specs(page_app("profil_instansi", query=query))
    with_upload = plotly_specs(page_app("profil_instansi", query=query, session={upload.SESSION_KEY: serang_upload}))
    assert plain[0] != with_upload[0]
    added = [t for t in with_upload[0]["data"] if (t.get("name") or "").startswith("Unggahan sesi ini")]
    assert len(added) == 1 and trace_names(with_upload[0])[:-1] == trace_names(plain[0])
    own = upload.components(serang_upload.assessments[0], upload_instrument())
    aspek = own[own["jenis"] == "aspek"]["nilai"].tolist()
    assert added[0]["r"][:-1] == pytest.approx(aspek)
    # another instansi's profile is not touched (DuckDB means may differ in the last bit between runs)
    other = {"tahun": "2023", "instansi": "kota-32.75"}
    touched = plotly_specs(page_app("profil_instansi", query=other, session={upload.SESSION_KEY: serang_upload}))
    untouched = plotly_specs(page_app("profil_instansi", query=other))
    assert trace_names(touched[0]) == trace_names(untouched[0])
    assert not any(n.startswith("Unggahan") for n in trace_names(touched[0]))


def upload_instrument():
    from domain.instrument import load_registry

    return load_registry().by_id("permenpanrb_59_2020")


def test_upload_stays_in_its_session_and_out_of_the_warehouse(page_app, demo_warehouse):
    before = files_of(demo_warehouse)
    first = page_app(PAGE)
    first.file_uploader[0].set_value(("lhe.txt", lhe_bytes(), "text/plain")).run()
    assert first.session_state[upload.SESSION_KEY].ok
    second = page_app(PAGE)  # a second browser session on the same server process
    assert upload.SESSION_KEY not in second.session_state or second.session_state[upload.SESSION_KEY] is None
    assert "Belum ada penilaian yang diunggah" in texts(second.info) and not plotly_specs(second)
    profile = page_app("profil_instansi", query={"tahun": "2021", "instansi": SERANG})
    assert not any((t.get("name") or "").startswith("Unggahan") for t in plotly_specs(profile)[0]["data"])
    assert files_of(demo_warehouse) == before


def test_self_vs_final_shows_both_indices_and_the_cost(page_app):
    mandiri = {1: 3, 2: 2, 29: 2, 45: 4}
    result = upload.handle_upload("pemantauan.csv", final_vs_self_csv(mandiri=mandiri), instansi=SERANG)
    at = page_app(PAGE, session={upload.SESSION_KEY: result})
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Indeks menurut level final"] == "2,97"
    # (3-1)*1.3 + (2-1)*1.3 + (2-1)*1.5 + (4-5)*3 = 2.4 points of bobot -> +0.024 index
    assert metrics["Selisih (mandiri − final)"] == "+0,024"
    assert metrics["Indeks menurut penilaian mandiri"] == "2,99"
    assert "4 indikator berbeda" in texts(at.caption)


def test_plan_tab_defaults_to_merata_and_reaches_the_next_predikat(page_app, serang_upload):
    at = page_app(PAGE, session={upload.SESSION_KEY: serang_upload})
    assert at.radio(key="pm_jadwal").value == "merata"
    summary = texts(at.success)
    assert summary.startswith("Dari indeks 2,97 (Baik), rencana 2025–2029") and "(Sangat Baik)" in summary
    assert "Jadwal merata" in texts(at.caption)
    trajectory = next(s for s in plotly_specs(at) if "Indeks menurut rencana" in trace_names(s))
    bars = next(t for t in trajectory["data"] if t["name"] == "Kenaikan level tahun itu (batang)")
    merata_first = bars["y"][0]
    raises = next(d.value for d in at.dataframe if "Ke" in d.value.columns)
    assert {"Tahun", "No", "Dari", "Ke", upload.DISPLAY_NAMES["syarat"]} <= set(raises.columns)
    assert list(raises["Tahun"]) == sorted(raises["Tahun"]) and (raises["Ke"] == raises["Dari"] + 1).all()
    assert "Unduh rencana (XLSX)" in [b.label for b in at.get("download_button")]
    at.radio(key="pm_jadwal").set_value("awal").run()
    trajectory = next(s for s in plotly_specs(at) if "Indeks menurut rencana" in trace_names(s))
    bars = next(t for t in trajectory["data"] if t["name"] == "Kenaikan level tahun itu (batang)")
    assert bars["y"][0] > merata_first and texts(at.success) == summary  # same raises, same end


def test_predikat_target_out_of_reach_is_said_plainly(page_app, serang_upload):
    at = page_app(PAGE, session={upload.SESSION_KEY: serang_upload})
    at.radio(key="pm_cara").set_value("Capai predikat pada tahun").run()
    at.selectbox(key="pm_predikat").set_value("Memuaskan").run()
    at.number_input(key="pm_tahun_target").set_value(2025).run()
    assert not at.exception
    warning = texts(at.warning)
    assert "Target RPJMD tidak tercapai pada 2025 (target 4,20, paling tinggi" in warning
    at.number_input(key="pm_langkah").set_value(3).run()
    assert "Semua target RPJMD tahunan tercapai" in texts(at.success)


def test_what_if_starts_at_the_upload(page_app, serang_upload):
    at = page_app(PAGE, session={upload.SESSION_KEY: serang_upload})
    metrics = {m.label: m for m in at.metric}
    assert metrics["Indeks simulasi"].value == "2,97" and metrics["Predikat simulasi"].value == "Baik"
    domains = next(s for s in plotly_specs(at) if trace_names(s) == ["Unggahan", "Simulasi"])
    assert domains["data"][0]["y"] == domains["data"][1]["y"]


def test_gap_page_mentions_the_session_upload_of_its_instansi(page_app, serang_upload):
    notice = "Data unggahan sesi ini dipakai sebagai data instansinya"
    at = page_app("kesenjangan_target", query={"tahun": "2021", "instansi": SERANG},
                  session={upload.SESSION_KEY: serang_upload})
    assert not at.exception and notice in texts(at.info) and "LHE resmi KemenPANRB (unggahan sesi ini)" in texts(at.info)
    plain = page_app("kesenjangan_target", query={"tahun": "2021", "instansi": SERANG})
    assert notice not in texts(plain.info)


def test_plan_tab_offers_the_brief_with_the_plan_next_to_the_xlsx(page_app, serang_upload):
    at = page_app(PAGE, session={upload.SESSION_KEY: serang_upload})
    assert not at.exception
    pop = next(p for p in at.get("popover") if p.proto.popover.label == "Unduh Lembar RPJMD + rencana (DOCX/PDF)")
    assert [b.label for b in pop.get("download_button")] == ["DOCX (bisa disunting)", "PDF (siap cetak)"]
    assert all(b.proto.deferred_file_id and b.proto.ignore_rerun for b in pop.get("download_button"))  # built on click
    assert "gudang data 2021" in texts(pop.caption) and "tidak ada di gudang data" not in texts(pop.caption)
    labels = [b.label for b in at.get("download_button")]
    assert labels.index("Unduh rencana (XLSX)") + 1 == labels.index("DOCX (bisa disunting)")


def test_brief_of_an_upload_year_not_in_the_warehouse_is_of_that_year(page_app):
    result = upload.handle_upload("lhe_kota_serang_2025.txt", lhe_bytes(tahun=2025))
    at = page_app(PAGE, session={upload.SESSION_KEY: result})
    assert not at.exception
    pop = next(p for p in at.get("popover") if p.proto.popover.label.startswith("Unduh Lembar RPJMD + rencana"))
    # the session holds 2025 from the upload itself (ui/session_data.py): the brief is of that year, one source
    assert "(gudang data 2025)" in texts(pop.caption) and "pembanding tahun 2024" not in texts(pop.caption)
