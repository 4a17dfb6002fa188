"""AppTest: an upload is that instansi's data on every page of ITS session only (issue 13, item 1).

The session publishes its uploads on top of a private copy of the published snapshot
(ui/session_data.py); the published warehouse never changes and another session never sees them."""
from __future__ import annotations

from pathlib import Path

import pytest

from domain.instrument import load_registry
from domain.scoring import score_levels
from rendering.format import num
from tests.app.conftest import plotly_specs
from tests.unit.test_upload import SERANG_2021, final_vs_self_csv, lhe_bytes
from ui import session_data, upload

SERANG = "kota-36.73"
LEVELS_2023 = [min(lv + 1, 5) for lv in SERANG_2021]          # a second year with other levels
INDEX_2024 = score_levels(load_registry().for_year(2024), dict(enumerate(SERANG_2021, 1))).indeks
INDEX_2023 = score_levels(load_registry().for_year(2023), dict(enumerate(LEVELS_2023, 1))).indeks


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def files_of(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(root.rglob("*"))}


@pytest.fixture(scope="module")
def lhe_2024():
    return upload.handle_upload("lhe_kota_serang_2024.txt", lhe_bytes(tahun=2024))


def test_two_sessions_one_with_an_upload_one_without(page_app, lhe_2024, demo_warehouse):
    before = files_of(demo_warehouse)
    query = {"tahun": "2024", "instansi": SERANG}
    plain = page_app("profil_instansi", query=query)
    warehouse_index = {m.label: m.value for m in plain.metric}["Indeks SPBE 2024"]
    assert warehouse_index != num(INDEX_2024)
    mine = page_app("profil_instansi", query=query, session={upload.SESSION_KEY: lhe_2024})
    assert not mine.exception
    assert {m.label: m.value for m in mine.metric}["Indeks SPBE 2024"] == num(INDEX_2024)
    assert session_data.LABEL_LHE in texts(mine.caption) and session_data.LABEL_LHE in texts(mine.info)
    assert plotly_specs(mine)[0]["data"][0]["name"].endswith("(unggahan sesi ini)")
    levels = mine.dataframe[-1].value
    assert [int(v) for v in levels["level"]] == SERANG_2021
    # a second session on the same server process, right after: the published data, cached or not
    other = page_app("profil_instansi", query=query, run=False)
    other.run()
    assert {m.label: m.value for m in other.metric}["Indeks SPBE 2024"] == warehouse_index
    assert session_data.LABEL_LHE not in texts(other.caption) + texts(other.info)
    assert files_of(demo_warehouse) == before


def test_gaps_and_trend_use_the_upload(page_app, lhe_2024):
    query = {"tahun": "2024", "instansi": SERANG}
    gaps = page_app("kesenjangan_target", query=query, session={upload.SESSION_KEY: lhe_2024})
    assert not gaps.exception
    assert {m.label: m.value for m in gaps.metric}["Indikator di bawah level 3"] == \
        f"{sum(lv < 3 for lv in SERANG_2021)} dari 47"
    trend = page_app("tren", query=query, session={upload.SESSION_KEY: lhe_2024})
    line = next(t for t in plotly_specs(trend)[0]["data"] if t.get("name") == "Pemerintah Kota Serang")
    assert line["y"][line["x"].index(2024)] == pytest.approx(INDEX_2024)
    assert any("unggahan sesi ini" in a.get("text", "") for a in plotly_specs(trend)[0]["layout"]["annotations"])


def test_several_files_several_years_through_the_uploader(page_app):
    at = page_app("penilaian_mandiri", query={"instansi": SERANG})
    at.selectbox(key="pm_instansi").set_value(SERANG)   # the CSV names no instansi
    at.file_uploader[0].set_value([("lhe_2024.txt", lhe_bytes(tahun=2024), "text/plain"),
                                   ("lhe_2023.txt", lhe_bytes(tahun=2023, levels=LEVELS_2023), "text/plain"),
                                   ("mandiri_2021.csv", final_vs_self_csv(), "text/csv")]).run()
    assert not at.exception
    result = at.session_state[upload.SESSION_KEY]
    assert [(a.tahun, a.sumber) for a in result.assessments if a.instansi_id == SERANG] == [
        (2021, session_data.LABEL_MANDIRI), (2023, session_data.LABEL_LHE), (2024, session_data.LABEL_LHE)]
    covered = {(c.tahun, c.label) for c in at.session_state[session_data.KEY].covered}
    assert covered == {(2021, session_data.LABEL_MANDIRI), (2023, session_data.LABEL_LHE), (2024, session_data.LABEL_LHE)}
    # the same uploads in the trend page: index and aspect series of both years from the uploads
    trend = page_app("tren", query={"instansi": SERANG, "tren_rincian": "aspek"}, session={upload.SESSION_KEY: result})
    assert not trend.exception
    line = next(t for t in plotly_specs(trend)[0]["data"] if t.get("name") == "Pemerintah Kota Serang")
    assert line["y"][line["x"].index(2023)] == pytest.approx(INDEX_2023)
    assert line["y"][line["x"].index(2024)] == pytest.approx(INDEX_2024)
    aspects = plotly_specs(trend)[1]
    a1 = [t for t in aspects["data"] if (t.get("name") or "").startswith("A1") and 2023 in (t.get("x") or [])]
    points = dict(zip(a1[0]["x"], a1[0]["y"]))
    assert points[2023] > points[2024]   # every 2023 level is one higher


def test_removing_the_files_goes_back_to_the_published_data(page_app):
    at = page_app("penilaian_mandiri", query={"instansi": SERANG})
    at.selectbox(key="pm_instansi").set_value(SERANG)   # the CSV names no instansi
    at.file_uploader[0].set_value([("lhe_2024.txt", lhe_bytes(tahun=2024), "text/plain")]).run()
    sw = at.session_state[session_data.KEY]
    assert sw is not None and sw.root.is_dir()
    at.file_uploader[0].set_value(None).run()
    assert at.session_state[session_data.KEY] is None and not sw.root.exists()
