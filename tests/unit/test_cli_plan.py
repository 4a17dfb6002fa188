"""`python -m etl plan`: a least-effort RPJMD plan from an LHE, as JSON (subprocess, real CLI)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.test_upload import SERANG_2021, lhe_text

ROOT = Path(__file__).resolve().parents[2]
TARGETS = "2025=3.1,2026=3.2,2027=3.3,2028=3.4,2029=3.5"


def run_plan(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "etl", "plan", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def lhe(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("lhe") / "lhe_uji_kota_serang_2021.txt"
    path.write_text(lhe_text(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def plans(lhe) -> dict:
    out = {}
    for jadwal in ("awal", "merata"):
        res = run_plan(str(lhe), "--targets", TARGETS, "--jadwal", jadwal, "--json")
        assert res.returncode == 0, res.stderr
        out[jadwal] = json.loads(res.stdout)
    return out


def test_plan_json_has_years_with_index_predikat_and_raises(plans):
    plan = plans["merata"]
    assert plan["reachable"] is True and plan["jadwal"] == "merata"
    assert plan["instansi_id"] == "kota-36.73" and plan["tahun_penilaian"] == 2021 and plan["start_index"] == 2.97
    assert [y["year"] for y in plan["years"]] == [2025, 2026, 2027, 2028, 2029]
    for y, target in zip(plan["years"], (3.1, 3.2, 3.3, 3.4, 3.5)):
        assert {"year", "index", "predikat", "raise"} <= set(y)
        assert y["index"] >= target and y["met"] is True
        assert all(isinstance(n, int) and 1 <= n <= 47 for n in y["raise"])
    assert plan["years"][-1]["predikat"] == "Sangat Baik"


def test_merata_has_the_same_total_effort_and_spreads_the_raises(plans):
    awal, merata = plans["awal"], plans["merata"]
    assert merata["total_effort"] == awal["total_effort"] == sum(y["effort"] for y in merata["years"])
    assert len(merata["years"][0]["raise"]) < len(awal["years"][0]["raise"])
    per_year = [sum(y["steps"].values()) for y in merata["years"]]
    assert max(per_year) - min(per_year) <= 1, per_year  # spread evenly
    assert [y["year"] for y in awal["years"]] == [y["year"] for y in merata["years"]]


def test_locked_indicators_and_max_step(lhe):
    res = run_plan(str(lhe), "--targets", "2027=3.5", "--start-year", "2025", "--lock", "42,43,44",
                   "--max-step", "2", "--json")
    plan = json.loads(res.stdout)
    assert res.returncode == 0 and plan["reachable"]
    raised = {n for y in plan["years"] for n in y["raise"]}
    assert raised and not raised & {42, 43, 44}
    assert all(0 < s <= 2 for y in plan["years"] for s in y["steps"].values())


def test_unreachable_target_is_said_plainly(lhe):
    res = run_plan(str(lhe), "--targets", "2025=4.5", "--json")
    plan = json.loads(res.stdout)
    assert res.returncode == 0 and plan["reachable"] is False and plan["unreachable_years"] == [2025]
    assert plan["best_reachable"]["2025"] < 4.5 and any("tidak tercapai" in n for n in plan["notes"])
    text = run_plan(str(lhe), "--targets", "2025=4.5")
    assert "TIDAK tercapai" in text.stdout


def test_bad_targets_and_bad_files_exit_with_codes(lhe, tmp_path):
    bad = run_plan(str(lhe), "--targets", "2025=bagus", "--json")
    assert bad.returncode == 2 and "predikat" in bad.stderr
    broken = tmp_path / "lhe_rusak.txt"
    broken.write_text(lhe_text(SERANG_2021[:46] + [7]), encoding="utf-8")
    res = run_plan(str(broken), "--targets", TARGETS, "--json")
    out = json.loads(res.stdout)
    assert res.returncode == 1 and out["ok"] is False
    assert any("level 7 di luar rentang" in i["alasan"] for i in out["issues"])


# --- issue 13: rising costs by default, --biaya datar for comparison with earlier plans ---------
PLAN_KEYS = {"berkas", "instansi_id", "tahun_penilaian", "instrument", "jadwal", "reachable", "total_effort",
             "start_index", "years", "best_reachable", "unreachable_years", "notes"}
YEAR_KEYS = {"year", "index", "predikat", "target", "met", "raise", "steps", "effort", "best_reachable"}


def raises_of(plan: dict) -> dict[int, int]:
    out: dict[int, int] = {}
    for y in plan["years"]:
        for no, n in y["steps"].items():
            out[int(no)] = out.get(int(no), 0) + n
    return out


def test_json_shape_is_unchanged_and_costs_rise_by_default(plans):
    for plan in plans.values():
        assert set(plan) == PLAN_KEYS and all(set(y) == YEAR_KEYS for y in plan["years"])
    raised = raises_of(plans["awal"])
    start = dict(zip(range(1, 48), SERANG_2021))
    assert all(start[no] + n >= 3 for no, n in raised.items()) and {no for no, lv in start.items() if lv < 3} <= set(raised)
    assert all(start[no] + n <= 4 for no, n in raised.items() if start[no] < 4)  # nothing pushed to 5
    costs = {1: 1, 2: 1.5, 3: 3, 4: 6}
    assert plans["awal"]["total_effort"] == sum(costs[lv] for no, n in raised.items() for lv in range(start[no], start[no] + n))


def test_biaya_datar_gives_the_earlier_plan(lhe):
    res = run_plan(str(lhe), "--targets", TARGETS, "--biaya", "datar", "--tanpa-prioritas-level-target", "--json")
    assert res.returncode == 0, res.stderr
    plan = json.loads(res.stdout)
    assert set(plan) == PLAN_KEYS
    assert plan["total_effort"] == sum(len(y["raise"]) for y in plan["years"])  # one unit per level
    assert set(raises_of(plan)) <= set(range(32, 48))  # the old answer: service indicators only
    only_datar = json.loads(run_plan(str(lhe), "--targets", TARGETS, "--biaya", "datar", "--json").stdout)
    assert only_datar["total_effort"] > plan["total_effort"]  # the level-3 floor still applies


def test_plan_help_documents_the_options():
    res = run_plan("--help")
    assert "--biaya {naik,datar}" in res.stdout and "--tanpa-prioritas-level-target" in res.stdout
    bad = run_plan("x.txt", "--targets", TARGETS, "--biaya", "mahal")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
