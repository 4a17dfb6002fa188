"""A TAUVAL export imported into a temporary warehouse with `python -m etl import`: published aspects
land in nilai_aspek as 'dipublikasikan' and the profile query shows them; the warnings on records
kept as published land in `catatan`; a TAUVAL record replaces an instansi-year's levels (and their
computed aspects) only with --replace-levels."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.cli import main
from queries.gateway import Warehouse
from tests.fixtures.etl.builders import long_csv, long_rows, pattern_levels

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "etl" / "tauval"


def run(wh: Path, *args) -> int:
    return main(["--warehouse", str(wh), "import", *map(str, args)])


def table(wh: Path, name: str, where: str = "") -> list[tuple]:
    snap = wh / "snapshots" / (wh / "CURRENT").read_text().strip()
    cols = {"nilai_aspek": "instansi_id, no_aspek, nilai, asal", "nilai_indikator": "instansi_id, no_indikator",
            "indeks": "instansi_id, indeks, predikat, asal"}[name]
    return duckdb.sql(f"select {cols} from read_parquet('{snap}/{name}/**/*.parquet', hive_partitioning = true, "
                      f"union_by_name = true) {where} order by all").fetchall()


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    wh = tmp_path_factory.mktemp("tauval") / "wh"
    assert run(wh, FIXTURES / "tauval_daftar_2025.json") == 0
    return wh


def test_published_aspects_land_as_dipublikasikan(imported):
    rows = table(imported, "nilai_aspek")
    assert len(rows) == 32 and {r[3] for r in rows} == {"dipublikasikan"}
    kemenkeu = {r[1]: r[2] for r in rows if r[0] == "pusat-kementerian-keuangan"}
    assert kemenkeu == pytest.approx({1: 5.0, 2: 4.5, 3: 4.0, 4: 5.0, 5: 4.0, 6: 4.0, 7: 4.2, 8: 4.5})
    assert ("kota-36.73", pytest.approx(2.5996), "Cukup", "dipublikasikan") == table(
        imported, "indeks", "where instansi_id = 'kota-36.73'")[0]
    assert table(imported, "nilai_indikator") == []


def test_the_profile_query_shows_the_aspects(imported):
    wh = Warehouse(imported)
    try:
        comp = wh.run("instansi_components", year=2025, instansi_id="kota-36.73")
        trend = wh.run("component_trend", instansi_ids=["kota-36.73"])
        means = wh.run("component_means", year=2025)
    finally:
        wh.close()
    aspek = comp[comp["jenis"] == "aspek"]
    assert list(aspek["kode"]) == [f"A{k}" for k in range(1, 9)]
    assert aspek.set_index("kode").loc["A7", "nilai"] == pytest.approx(3.3985454545)
    assert set(trend[trend["jenis"] == "aspek"]["kode"]) == {f"A{k}" for k in range(1, 9)}
    nasional = means[(means["kategori"] == "Nasional") & (means["jenis"] == "aspek")]
    assert len(nasional) == 8 and set(nasional["jumlah_instansi"]) == {4}


def test_warnings_on_kept_records_are_notes(imported):
    wh = Warehouse(imported)
    try:
        jatim = wh.run("instansi_notes", year=2025, instansi_id="prov-35")
        bandung = wh.run("instansi_notes", year=2025, instansi_id="kota-32.73")
        serang = wh.run("instansi_notes", year=2025, instansi_id="kota-36.73")
    finally:
        wh.close()
    assert list(jatim["kolom"]) == ["nilai.D2001", "nilai.indeks"]
    assert "bernilai 0 padahal aspeknya terisi" in jatim["alasan"].iloc[0]
    assert jatim["sumber"].iloc[0] == "Impor tauval_daftar_2025.json (tauval-json)"
    assert list(bandung["kolom"]) == ["nilai.D2002"] and "dari aspeknya" in bandung["alasan"].iloc[0]
    assert serang.empty


def test_levels_are_replaced_by_published_aspects_only_when_allowed(tmp_path):
    wh = tmp_path / "wh"
    levels = tmp_path / "serang_2025.csv"
    levels.write_text(long_csv(long_rows(2025, "kota-36.73", pattern_levels(47))))
    assert run(wh, levels) == 0
    computed = table(wh, "nilai_aspek")
    assert len(computed) == 8 and {r[3] for r in computed} == {"dihitung"}
    export = tmp_path / "tauval.json"
    shutil.copy(FIXTURES / "tauval_bungkus.json", export)
    assert run(wh, export) == 1                               # would lose Kota Serang's 47 levels
    assert table(wh, "nilai_aspek") == computed
    assert run(wh, export, "--replace-levels") == 0
    rows = table(wh, "nilai_aspek", "where instansi_id = 'kota-36.73'")
    assert len(rows) == 8 and {r[3] for r in rows} == {"dipublikasikan"}
    assert table(wh, "nilai_indikator") == []


def test_a_later_export_replaces_the_aspects_and_the_notes(imported, tmp_path):
    wh = tmp_path / "wh"
    shutil.copytree(imported, wh)
    doc = json.loads((FIXTURES / "tauval_daftar_2025.json").read_text())
    jatim = doc[2]
    jatim["nilai"]["D2001"] = "4.6000000000"   # corrected by KemenPANRB
    fixed = tmp_path / "tauval_koreksi.json"
    fixed.write_text(json.dumps([jatim]))
    assert run(wh, fixed) == 0
    gw = Warehouse(wh)
    try:
        assert gw.run("instansi_notes", year=2025, instansi_id="prov-35").empty
        assert len(gw.run("instansi_notes", year=2025, instansi_id="kota-32.73")) == 1
    finally:
        gw.close()
    assert len(table(wh, "nilai_aspek", "where instansi_id = 'prov-35'")) == 8
