"""Synthetic demo levels (etl.demo): deterministic, complete, calibrated to the official means.

Uses data/reference/instansi.csv when present; otherwise a master built here from a fixed recipe
with the real category sizes (34/22/38/38/415/98), so the suite runs on a fresh clone."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from domain.instrument import load_registry
from domain.scoring import score_levels
from etl.demo import (
    CALIBRATION_YEARS,
    DEMO_SEED,
    NEW_PROVINCES,
    SERANG_2021_LEVELS,
    SERANG_ID,
    generate_demo_levels,
)
from etl.demo_calibration import calibration_table, scores_frame

MASTER_CSV = Path(__file__).resolve().parents[3] / "data" / "reference" / "instansi.csv"
YEARS = range(2018, 2025)

PROVINCES = [
    ("11", "Aceh"), ("12", "Sumatera Utara"), ("13", "Sumatera Barat"), ("14", "Riau"), ("15", "Jambi"),
    ("16", "Sumatera Selatan"), ("17", "Bengkulu"), ("18", "Lampung"), ("19", "Kepulauan Bangka Belitung"),
    ("21", "Kepulauan Riau"), ("31", "DKI Jakarta"), ("32", "Jawa Barat"), ("33", "Jawa Tengah"),
    ("34", "DI Yogyakarta"), ("35", "Jawa Timur"), ("36", "Banten"), ("51", "Bali"), ("52", "Nusa Tenggara Barat"),
    ("53", "Nusa Tenggara Timur"), ("61", "Kalimantan Barat"), ("62", "Kalimantan Tengah"),
    ("63", "Kalimantan Selatan"), ("64", "Kalimantan Timur"), ("65", "Kalimantan Utara"), ("71", "Sulawesi Utara"),
    ("72", "Sulawesi Tengah"), ("73", "Sulawesi Selatan"), ("74", "Sulawesi Tenggara"), ("75", "Gorontalo"),
    ("76", "Sulawesi Barat"), ("81", "Maluku"), ("82", "Maluku Utara"), ("91", "Papua"), ("92", "Papua Barat"),
    ("93", "Papua Selatan"), ("94", "Papua Tengah"), ("95", "Papua Pegunungan"), ("96", "Papua Barat Daya"),
]
LEMBAGA_LAIN = [("Lembaga Non Struktural (LNS)", 22), ("Sekretariat Jenderal Lembaga Negara", 8),
                ("Alat Negara", 3), ("Lembaga Penyiaran Publik", 2), ("Sekretariat Kabinet", 1),
                ("Lembaga Pemerintah Lainnya", 2)]


def synthetic_master() -> pd.DataFrame:
    """34 Kementerian, 22 LPNK, 38 Lembaga Lain, 38 Provinsi, 415 Kabupaten, 98 Kota (incl. kota-36.73)."""
    rows = []

    def add(iid, nama, kelompok, kategori, ringkas, prov="", kode_prov="", kode=""):
        rows.append((iid, nama, "", kelompok, kategori, ringkas, prov, kode_prov, kode))
    for i in range(1, 35):
        add(f"kementerian-{i:02d}", f"Kementerian Contoh {i}", "Instansi Pusat", "Kementerian", "Kementerian")
    for i in range(1, 23):
        add(f"lpnk-{i:02d}", f"Badan Contoh {i}", "Instansi Pusat", "Lembaga Pemerintah Non Kementerian (LPNK)", "LPNK")
    n = 0
    for kategori, count in LEMBAGA_LAIN:
        for _ in range(count):
            n += 1
            add(f"lembaga-{n:02d}", f"Lembaga Contoh {n}", "Instansi Pusat", kategori, "Lembaga Lain")
    for kode, nama in PROVINCES:
        add(f"prov-{kode}", f"Provinsi {nama}", "Pemerintah Daerah", "Provinsi", "Provinsi", nama, kode, kode)
    regional = [p for p in PROVINCES if p[0] != "31"]           # DKI has no autonomous kab/kota
    banten_first = sorted(regional, key=lambda p: p[0] != "36")  # so Banten gets 36.71–36.73
    for j in range(98):
        kode, nama = banten_first[j % len(banten_first)]
        no = 71 + j // len(banten_first)
        kw = f"{kode}.{no}"
        add(f"kota-{kw}", "Kota Serang" if kw == "36.73" else f"Kota {nama} {no}", "Pemerintah Daerah", "Kota", "Kota",
            nama, kode, kw)
    for j in range(415):
        kode, nama = regional[j % len(regional)]
        kw = f"{kode}.{1 + j // len(regional):02d}"
        add(f"kab-{kw}", f"Kabupaten {nama} {kw}", "Pemerintah Daerah", "Kabupaten", "Kabupaten", nama, kode, kw)
    return pd.DataFrame(rows, columns=["instansi_id", "nama", "alias", "kelompok", "kategori", "kategori_ringkas",
                                       "provinsi", "kode_provinsi", "kode_wilayah"])


def load_master() -> pd.DataFrame:
    if MASTER_CSV.exists():
        return pd.read_csv(MASTER_CSV, dtype=str, keep_default_na=False)
    return synthetic_master()


@pytest.fixture(scope="module")
def demo():
    master = load_master()
    levels, used = generate_demo_levels(master)
    return master, levels, used


@pytest.fixture(scope="module")
def scores(demo):
    _, levels, used = demo
    wide = scores_frame(levels).pivot(index=["tahun", "instansi_id"], columns="komponen", values="nilai")
    kategori = used.set_index("instansi_id")["kategori_ringkas"]
    return wide.reset_index().assign(kategori=lambda d: d["instansi_id"].map(kategori))


@pytest.fixture(scope="module")
def table(demo):
    _, levels, used = demo
    return calibration_table(levels, used)


def test_synthetic_master_has_the_real_category_sizes():
    counts = synthetic_master()["kategori_ringkas"].value_counts().to_dict()
    assert counts == {"Kementerian": 34, "LPNK": 22, "Lembaga Lain": 38, "Provinsi": 38, "Kabupaten": 415, "Kota": 98}


def test_same_seed_gives_identical_frames_and_another_seed_does_not(demo):
    master, levels, used = demo
    again, used_again = generate_demo_levels(master, seed=DEMO_SEED)
    pd.testing.assert_frame_equal(levels, again)
    pd.testing.assert_frame_equal(used, used_again)
    assert (pd.util.hash_pandas_object(levels, index=True) == pd.util.hash_pandas_object(again, index=True)).all()
    other, _ = generate_demo_levels(master, seed=DEMO_SEED + 1)
    assert not levels["level"].equals(other["level"])


def test_columns_and_dtypes(demo):
    _, levels, _ = demo
    assert list(levels.columns) == ["tahun", "instansi_id", "instrument_id", "no_indikator", "level"]
    assert levels["tahun"].dtype == np.int16 and levels["no_indikator"].dtype == np.int16
    assert levels["level"].dtype == np.int8
    assert pd.api.types.is_string_dtype(levels["instansi_id"]) and pd.api.types.is_string_dtype(levels["instrument_id"])


def test_levels_are_integers_from_1_to_5(demo):
    _, levels, _ = demo
    assert levels["level"].between(1, 5).all()
    assert set(levels["level"].unique()) == {1, 2, 3, 4, 5}


def test_every_instansi_year_has_the_complete_indicator_set_of_that_years_instrument(demo):
    _, levels, _ = demo
    registry = load_registry()
    assert not levels.duplicated(["tahun", "instansi_id", "no_indikator"]).any()
    assert sorted(levels["tahun"].unique()) == list(YEARS)
    for tahun, part in levels.groupby("tahun"):
        ins = registry.for_year(int(tahun))
        assert set(part["instrument_id"].unique()) == {ins.id}
        assert set(part["no_indikator"].unique()) == set(ins.indicator_numbers)
        per_instansi = part.groupby("instansi_id").size()
        assert (per_instansi == len(ins.indicators)).all(), tahun
    assert len(registry.for_year(2018).indicators) == 35 and len(registry.for_year(2021).indicators) == 47


def test_kota_serang_2021_has_its_lhe_levels_and_index_2_97(demo):
    _, levels, _ = demo
    serang = levels[levels["instansi_id"] == SERANG_ID]
    assert sorted(serang["tahun"].unique()) == list(YEARS)
    y2021 = serang[serang["tahun"] == 2021]
    got = {int(n): int(v) for n, v in zip(y2021["no_indikator"], y2021["level"])}
    assert got == SERANG_2021_LEVELS
    assert [got[n] for n in range(1, 48)] == [1, 1, 3, 2, 3, 4, 3, 4, 3, 3, 2, 2, 2, 3, 2, 3, 4, 4, 3, 3, 2, 3, 3, 3,
                                             1, 2, 3, 3, 1, 1, 1, 4, 3, 3, 4, 3, 2, 3, 3, 3, 3, 3, 3, 4, 5, 5, 4]
    assert score_levels(load_registry().for_year(2021), got).indeks == 2.97


def test_scores_frame_agrees_with_domain_scoring(demo):
    _, levels, _ = demo
    registry = load_registry()
    sample = levels[["tahun", "instansi_id"]].drop_duplicates().iloc[::97]
    part = levels.merge(sample, on=["tahun", "instansi_id"])
    fast = scores_frame(part).set_index(["tahun", "instansi_id", "komponen"])["nilai"]
    for (tahun, iid), rows in part.groupby(["tahun", "instansi_id"]):
        ins = registry.for_year(int(tahun))
        exact = score_levels(ins, {int(n): int(v) for n, v in zip(rows["no_indikator"], rows["level"])})
        assert fast[(tahun, iid, "indeks")] == exact.indeks
        for no, value in exact.domain_rounded().items():
            assert fast[(tahun, iid, ins.domain(no).kode)] == value
        for no, value in exact.aspek_rounded().items():
            assert fast[(tahun, iid, ins.aspect(no).kode)] == value


def test_category_means_match_every_official_figure_within_0_05(table):
    official = pd.read_csv(Path(__file__).resolve().parents[3] / "data" / "reference" / "official" / "rerata_kategori.csv")
    official = official[(official["kategori"] != "Nasional") & official["tahun"].isin(CALIBRATION_YEARS)]
    cat = table[table["kategori"] != "Nasional"]
    assert len(cat) == len(official) and set(cat["tahun"]) == {2021, 2023, 2024}
    assert cat["dihitung"].notna().all()
    worst = cat.loc[cat["selisih"].abs().idxmax()]
    assert cat["selisih"].abs().max() <= 0.05, worst.to_dict()


def test_national_simple_means_follow_the_official_series_in_years_without_category_figures(table):
    nat = table[(table["kategori"] == "Nasional") & table["tahun"].isin([2018, 2019, 2020, 2022])]
    assert len(nat) == 3 * 4 + 5   # indeks + 3 domains (5/2018) ×3, indeks + 4 domains in 2022
    assert nat["selisih"].abs().max() <= 0.05, nat.to_dict("records")


def test_manajemen_is_the_lowest_domain_nationally_2021_to_2024(scores):
    for tahun in (2021, 2022, 2023, 2024):
        means = scores.loc[scores["tahun"] == tahun, ["D1", "D2", "D3", "D4"]].mean()
        assert means.idxmin() == "D3", (tahun, means.to_dict())
    audit = scores.loc[scores["tahun"] == 2024, [f"A{i}" for i in range(1, 9)]].mean()
    assert audit.idxmin() == "A6"


def test_new_papua_provinces_and_their_regions_only_from_2023(demo):
    _, levels, used = demo
    new = used["provinsi"].isin(NEW_PROVINCES) | used["nama"].str.replace("Provinsi ", "").isin(NEW_PROVINCES)
    new_ids = set(used.loc[new, "instansi_id"])
    assert len(new_ids) >= 4
    seen = levels[levels["instansi_id"].isin(new_ids)].groupby("instansi_id")["tahun"].unique()
    assert set(seen.index) == new_ids
    assert all(sorted(years) == [2023, 2024] for years in seen)


def test_a_few_instansi_miss_a_year_outside_papua(demo):
    _, levels, used = demo
    per_instansi = levels.groupby("instansi_id")["tahun"].nunique()
    not_new = ~used.set_index("instansi_id")["provinsi"].isin(NEW_PROVINCES)
    gaps = per_instansi[not_new.reindex(per_instansi.index)] < len(YEARS)
    assert 0.005 <= gaps.mean() <= 0.03
    assert SERANG_ID not in gaps[gaps].index


def test_spread_within_category_and_all_predikat_bands(scores):
    ins = load_registry().for_year(2024)
    for tahun in (2021, 2022, 2023, 2024):
        year = scores[scores["tahun"] == tahun]
        sd = year.groupby("kategori")["indeks"].std()
        assert sd.between(0.35, 0.8).all(), (tahun, sd.to_dict())
    for tahun in (2023, 2024):
        predikat = scores.loc[scores["tahun"] == tahun, "indeks"].map(ins.predikat)
        assert set(predikat) == {band.nama for band in ins.bands}, tahun


def test_standing_persists_and_mostly_improves(scores):
    wide = scores.pivot(index="instansi_id", columns="tahun", values="indeks")
    for tahun in range(2018, 2024):
        assert wide[tahun].corr(wide[tahun + 1]) > 0.75, tahun
    assert (wide[2024] > wide[2023]).mean() > 0.8


def test_scale_3_triples_rows_with_unique_ids_and_keeps_copy_1(demo):
    master, levels, used = demo
    big, big_used = generate_demo_levels(master, scale=3)
    assert len(big) == 3 * len(levels) and len(big_used) == 3 * len(used)
    assert big_used["instansi_id"].is_unique
    assert not big.duplicated(["tahun", "instansi_id", "no_indikator"]).any()
    assert set(big["instansi_id"]) <= set(big_used["instansi_id"])
    copy3 = big_used["instansi_id"].str.endswith("~3")
    assert copy3.sum() == len(used)
    assert big_used.loc[copy3, "nama"].str.endswith(" (salinan 3)").all()
    original = big[~big["instansi_id"].str.contains("~", regex=False)].reset_index(drop=True)
    pd.testing.assert_frame_equal(original, levels)
    cat = calibration_table(big, big_used)
    assert cat.loc[cat["kategori"] != "Nasional", "selisih"].abs().max() <= 0.05


def test_fallback_master_is_calibrated_too():
    """The recipe master (used on a clone without instansi.csv) must meet the same tolerance."""
    master = synthetic_master()
    levels, used = generate_demo_levels(master)
    cat = calibration_table(levels, used)
    assert cat.loc[cat["kategori"] != "Nasional", "selisih"].abs().max() <= 0.05
    assert cat.loc[cat["kategori"] == "Nasional"].query("tahun in [2018, 2019, 2020, 2022]")["selisih"].abs().max() <= 0.05
    serang = levels[(levels["instansi_id"] == SERANG_ID) & (levels["tahun"] == 2021)]
    assert dict(zip(serang["no_indikator"].astype(int), serang["level"].astype(int))) == SERANG_2021_LEVELS
