"""The real LHEs in ../shared/samples, read as KemenPANRB issued them (skipped where ../shared is
absent, e.g. on a clean clone): `python -m etl import FILE` publishes the published figures with no
extra flag, and `python -m etl score FILE --json` agrees."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[3]
SAMPLES = PROJECT_ROOT.parent / "shared" / "samples"

PUBLISHED = {  # file: (instansi_id, year, index, predikat, D1–D4) as KemenPANRB published them
    "lhe_kota_bandar_lampung_2021.pdf": ("kota-18.71", 2021, 1.20, "Kurang", [1.00, 1.00, 1.00, 1.44]),
    "lhe_kemenko_perekonomian_2021.pdf": ("pusat-kementerian-koordinator-bidang-perekonomian", 2021, 2.95, "Baik",
                                          [3.00, 3.00, 1.00, 3.61]),
    "lhe_kota_serang_2021.txt": ("kota-36.73", 2021, 2.97, "Baik", [2.70, 2.80, 2.09, 3.46]),
}


def sample(name: str) -> Path:
    path = SAMPLES / name
    if not path.is_file():
        pytest.skip(f"{path} tidak ada (../shared tidak tersedia)")
    return path


def etl(*args: str, warehouse: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SPBE_WAREHOUSE": str(warehouse)}
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=PROJECT_ROOT, env=env, capture_output=True,
                          text=True, check=False)


@pytest.mark.parametrize("name", list(PUBLISHED))
def test_score_of_the_real_lhe_is_the_published_result(name, tmp_path):
    iid, year, indeks, predikat, domains = PUBLISHED[name]
    done = etl("score", str(sample(name)), "--json", warehouse=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    out = json.loads(done.stdout)
    [res] = out["hasil"]
    assert (res["instansi_id"], res["tahun"], res["indeks"], res["predikat"]) == (iid, year, indeks, predikat)
    assert [res["domain"][f"D{i}"] for i in range(1, 5)] == domains
    assert out["peringatan"] == []     # the LHE's printed figures agree with the levels read


@pytest.mark.parametrize("name", [n for n in PUBLISHED if n.endswith(".pdf")])
def test_import_of_the_real_lhe_pdf_publishes_the_published_result(name, tmp_path):
    iid, year, indeks, predikat, domains = PUBLISHED[name]
    done = etl("import", str(sample(name)), warehouse=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    snap = tmp_path / "snapshots" / (tmp_path / "CURRENT").read_text().strip()
    index = pd.read_parquet(snap / "indeks" / f"tahun={year}")
    assert index[["instansi_id", "indeks", "predikat"]].values.tolist() == [[iid, indeks, predikat]]
    dom = pd.read_parquet(snap / "nilai_domain" / f"tahun={year}").sort_values("no_domain")
    assert [round(v, 2) for v in dom["nilai"]] == domains and set(dom["instansi_id"]) == {iid}


def test_real_lhe_pdf_accepts_a_kemendagri_code_as_instansi(tmp_path):
    done = etl("score", str(sample("lhe_kota_bandar_lampung_2021.pdf")), "--instansi", "18.71", "--json",
               warehouse=tmp_path)
    assert done.returncode == 0 and json.loads(done.stdout)["hasil"][0]["instansi_id"] == "kota-18.71"
