"""AppTest: the Rencana RPJMD tab (issue 13, item 2) — a plan a Bappeda would adopt: rising costs,
indicators below level 3 first (unless unlocked), "merata" spread evenly, a reason per level-up,
a target table that reads "3,3" and refuses out-of-range values before planning, and the RPJMD
target never called just "target" next to the national target or the Baik threshold."""
from __future__ import annotations

import pytest

from tests.app.conftest import plotly_specs
from tests.unit.test_upload import SERANG_2021, lhe_bytes
from ui import upload

PAGE = "penilaian_mandiri"
REASON = "Alasan dipilih"


@pytest.fixture(scope="module")
def serang_upload():
    return upload.handle_upload("lhe_uji_kota_serang_2021.txt", lhe_bytes())


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def edit(rows: dict[int, dict]) -> dict:
    """The session value of a data_editor whose cells were typed in."""
    return {"edited_rows": rows, "added_rows": [], "deleted_rows": []}


def plan_app(page_app, serang_upload, **state):
    at = page_app(PAGE, session={upload.SESSION_KEY: serang_upload, **state}, run=False)
    at.run()
    assert not at.exception
    return at


def trajectory(at) -> dict:
    return next(s for s in plotly_specs(at) if any(t.get("name") == "Indeks menurut rencana" for t in s["data"]))


def trace(spec: dict, name: str) -> dict:
    return next(t for t in spec["data"] if t.get("name") == name)


def raises_table(at):
    return next(d.value for d in at.dataframe if REASON in d.value.columns)


def test_target_table_reads_decimal_comma_and_point(page_app, serang_upload):
    """Before: "3,3" in the NumberColumn became 5,00 (103 level-ups), a warning came after."""
    at = plan_app(page_app, serang_upload, pm_target_tabel=edit({2: {"target": "3,3"}, 3: {"target": "3.4"}}))
    assert not at.error
    assert trace(trajectory(at), "Target RPJMD")["y"] == [3.08, 3.18, 3.3, 3.4, 3.5]
    shown = next(d.value for d in at.dataframe if list(d.value.columns) == ["tahun", "target"])
    assert list(shown["target"]) == ["3,08", "3,18", "3,29", "3,39", "3,50"]  # id-ID, as typed before the edit
    assert "Semua target RPJMD tahunan tercapai" in texts(at.success)


@pytest.mark.parametrize("cell, message", [
    ("33", "target 2027 = 33 di luar rentang indeks 1,00–5,00"),
    ("5,5", "target 2027 = 5,5 di luar rentang indeks 1,00–5,00"),
    ("2,3", "target 2027 = 2,30 di bawah indeks awal 2,97"),
    ("3,333", "target 2027 = 3,333: indeks ditulis dengan paling banyak dua desimal"),
])
def test_out_of_range_target_is_refused_before_planning(page_app, serang_upload, cell, message):
    at = plan_app(page_app, serang_upload, pm_target_tabel=edit({2: {"target": cell}}))
    error = texts(at.error)
    assert "Tabel target RPJMD ditolak, rencana belum dihitung" in error and message in error
    assert not at.success and not [s for s in plotly_specs(at) if "Rencana" in str(s["layout"].get("title"))]
    assert not any(REASON in d.value.columns for d in at.dataframe)


def test_default_plan_raises_every_indicator_below_level_3_first_and_says_why(page_app, serang_upload):
    """Before: only A7/A8 rose, seven of them to level 5; thirteen indicators stayed below 3."""
    at = plan_app(page_app, serang_upload)
    table = raises_table(at)
    below = {no for no, lv in zip(range(1, 48), SERANG_2021) if lv < 3}
    assert below <= set(table["No"]) and table["Ke"].max() <= 4
    lifted = table[table["Dari"] < 3]
    assert (lifted[REASON] == "di bawah level target 3").all()
    assert table.loc[table["Dari"] >= 3, REASON].str.fullmatch(
        r"biaya terkecil per poin indeks \(untuk target RPJMD 20\d\d\)|diperlukan untuk target RPJMD 20\d\d").all()
    assert set(table["Biaya"]) <= {"1", "1,5", "3", "6"}
    summary = texts(at.success)
    assert "kenaikan membawa indikator di bawah level target 3 ke level itu lebih dulu" in summary
    assert "Biaya per kenaikan level: 1→2 = 1; 2→3 = 1,5; 3→4 = 3; 4→5 = 6" in texts(at.caption)


def test_the_level_target_rule_can_be_unlocked(page_app, serang_upload):
    at = plan_app(page_app, serang_upload)
    ruled = texts(at.success)
    at.toggle(key="pm_prioritas").set_value(False).run()
    assert not at.exception
    assert "di bawah level target 3" not in set(raises_table(at)[REASON])
    assert texts(at.success) != ruled and "lebih dulu" not in texts(at.success)


def test_flat_costs_give_the_earlier_plan_for_comparison(page_app, serang_upload):
    at = plan_app(page_app, serang_upload, pm_prioritas=False)
    at.radio(key="pm_biaya").set_value("datar").run()
    assert not at.exception
    assert "upaya total 19" in texts(at.success)
    assert "1→2 = 1; 2→3 = 1; 3→4 = 1; 4→5 = 1" in texts(at.caption)


def test_the_cost_table_stays_editable(page_app, serang_upload):
    at = plan_app(page_app, serang_upload, pm_biaya_level_naik=edit({2: {"biaya": "3,5"}}))
    assert "3→4 = 3,5" in texts(at.caption) and not at.error
    at = plan_app(page_app, serang_upload, pm_biaya_level_naik=edit({3: {"biaya": "2"}}))
    assert "4→5 (2) lebih kecil dari 3→4 (3)" in texts(at.error)


def test_merata_spreads_a_single_predikat_target_evenly(page_app, serang_upload):
    """Before: 0/0/1/7/11 level-ups a year (everything at the end)."""
    at = plan_app(page_app, serang_upload)
    at.radio(key="pm_cara").set_value("Capai predikat pada tahun").run()
    at.selectbox(key="pm_predikat").set_value("Sangat Baik").run()
    assert not at.exception
    bars = trace(trajectory(at), "Kenaikan level tahun itu (batang)")["y"]
    assert len(bars) == 5 and max(bars) - min(bars) <= 1, bars


def test_the_rpjmd_target_is_named_apart_from_the_national_target_and_the_baik_threshold(page_app, serang_upload):
    at = plan_app(page_app, serang_upload)
    caption = texts(at.caption)
    assert "bukan target indeks nasional tahunan (KemenPANRB; 2024: 2,85)" in caption
    assert "bukan ambang predikat Baik (2,60)" in caption
    spec = trajectory(at)
    names = [t.get("name") for t in spec["data"]]
    assert "Target RPJMD" in names and "Target" not in names
    assert "Baik ≥ 2,60" in [a.get("text") for a in spec["layout"]["annotations"]]
