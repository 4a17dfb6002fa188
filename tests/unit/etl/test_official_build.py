"""`python -m etl official`: the default warehouse holds KemenPANRB's published results, nothing synthetic."""
from __future__ import annotations

import pandas as pd
import pytest

from etl.cli import main
from etl.demo_publish import publish_demo
from queries.gateway import Warehouse


@pytest.fixture
def wh(official_warehouse):
    w = Warehouse(official_warehouse)
    yield w
    w.close()


def test_kota_serang_2024_is_the_published_2_61_baik(wh):
    row = wh.run("instansi_profile", year=2024, instansi_id="kota-36.73").iloc[0]
    assert (round(row["indeks"], 2), row["predikat"], bool(row["sintetis"])) == (2.61, "Baik", False)
    assert "Laporan Evaluasi SPBE 2024" in row["sumber"]


def test_every_published_row_of_both_reports_is_loaded_and_nothing_is_synthetic(wh):
    counts = wh.run("ranking", year=2023).shape[0], wh.run("ranking", year=2024).shape[0]
    assert counts == (621, 615)
    sources = wh.run("sources")
    assert not sources["sintetis"].any()
    assert {"resmi-hasil_evaluasi_2023", "resmi-hasil_evaluasi_2024", "lhe-kota-serang-2021"} == set(sources["sumber_id"])


def test_flagged_rows_stay_as_published(wh):
    comp = wh.run("instansi_components", year=2024, instansi_id="prov-35")
    d1 = comp[comp["kode"] == "D1"]["nilai"]
    assert d1.round(2).tolist() == [0.6]              # Jawa Timur's D1 as printed (the index 4,43 implies ≈4,6)
    prof = wh.run("instansi_profile", year=2024, instansi_id="prov-35").iloc[0]
    assert round(prof["indeks"], 2) == 4.43


def test_official_category_means_are_shown_beside_the_recomputed_ones(wh):
    cats = wh.run("category_averages", year=2024).set_index("kategori")
    assert cats.loc["Kota", "resmi"] == pytest.approx(3.39)          # Laporan 2024, Tabel 8
    assert cats["resmi"].notna().all()
    assert (cats["indeks"] - cats["resmi"]).abs().max() < 0.1


def test_make_run_replaces_a_demo_warehouse_and_keeps_an_official_one(tmp_path, capsys):
    publish_demo(tmp_path)
    assert main(["--warehouse", str(tmp_path), "official", "--if-absent"]) == 0
    w = Warehouse(tmp_path)
    try:
        assert not w.run("sources")["sintetis"].any()
    finally:
        w.close()
    capsys.readouterr()
    assert main(["--warehouse", str(tmp_path), "official", "--if-absent"]) == 0
    assert "tidak dibangun ulang" in capsys.readouterr().out


def test_the_official_build_is_one_snapshot_and_is_logged(official_warehouse):
    from domain.warehouse_layout import read_import_log

    snaps = [p for p in (official_warehouse / "snapshots").iterdir() if not p.name.startswith(".")]
    assert len(snaps) == 1
    (entry,) = read_import_log(official_warehouse)
    assert entry["aksi"] == "resmi" and entry["snapshot_baru"] == snaps[0].name
    assert [f["berkas"] for f in entry["berkas"]] == ["hasil_evaluasi_2023.csv", "hasil_evaluasi_2024.csv"]
    assert entry["instansi_tahun"]["baru"] == 621 + 615


def test_benchmarks_put_the_instansi_against_official_national_and_category_and_its_province(wh):
    b = wh.run("instansi_benchmarks", year=2024, instansi_id="kota-36.73").set_index("komponen")
    assert list(b.index) == ["indeks", "D1", "D2", "D3", "D4"]
    assert b.loc["indeks", ["nilai", "resmi_nasional", "resmi_kategori"]].tolist() == [2.61, 3.12, 3.39]
    assert b.loc["D3", "resmi_nasional"] == 1.86 and b.loc["D4", "resmi_kategori"] == 4.05
    ranking = wh.run("ranking", year=2024)
    banten = ranking[(ranking["provinsi"] == "Banten") & ranking["kategori"].isin(["Kabupaten", "Kota"])]
    assert b.loc["indeks", "jumlah_provinsi"] == len(banten) == 8
    assert b.loc["indeks", "rerata_provinsi"] == pytest.approx(banten["indeks"].mean())
    central = wh.run("instansi_benchmarks", year=2024, instansi_id="pusat-kementerian-pertanian").set_index("komponen")
    assert central["rerata_provinsi"].isna().all() and pd.isna(central.loc["D1", "nilai"])
