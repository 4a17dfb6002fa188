"""Sector rows are instrument data (PermenPANRB 5/2018: a pemda's indicator 35 in three sectors,
aspect 7 the mean of its rows); the scoring follows the data, with exact expected values by hand."""
from __future__ import annotations

import shutil
from fractions import Fraction

import pytest

from domain.instrument import INSTRUMENT_DIR, InstrumentError, load_instrument, load_registry
from domain.scoring import (
    LevelError,
    index_gain,
    row_set_problem,
    row_sets,
    row_weights,
    score_levels,
    weight_numerator,
    weight_scale,
)

PEMDA = frozenset({"Provinsi", "Kabupaten", "Kota"})


@pytest.fixture(scope="module")
def i18():
    return load_registry().for_year(2018)


def base_levels(level: int = 3, **aspect7: int) -> dict[int, int]:
    """Levels of the 35 indicators at `level`, indicators 32–35 as given (i32=…)."""
    return {n: level for n in range(1, 36)} | {int(k[1:]): v for k, v in aspect7.items()}


def test_5_2018_data_has_sector_rows_36_37_of_indicator_35_for_pemda_only(i18):
    assert len(i18.indicators) == 35 and [r.no for r in i18.sektor] == [36, 37]
    assert [r.kode for r in i18.sektor] == ["35-2", "35-3"]
    assert all(set(r.berlaku_untuk) == PEMDA and r.no_aspek == 7 and r.bobot is None for r in i18.sektor)
    assert i18.rerata == {7}
    assert (i18.sector_row(35, 1), i18.sector_row(35, 2), i18.sector_row(35, 3)) == (35, 36, 37)
    assert i18.sector_row(35, 4) is None and i18.sector_row(34, 2) is None
    assert row_sets(i18) == [(frozenset(range(1, 36)), None), (frozenset(range(1, 38)), PEMDA)]


def test_59_2020_has_no_sector_rows():
    ins = load_registry().for_year(2024)
    assert ins.sektor == () and ins.rerata == frozenset() and row_sets(ins) == [(frozenset(range(1, 48)), None)]


def test_weights_follow_the_rows_present(i18):
    central, pemda = row_weights(i18), row_weights(i18, range(1, 38))
    assert {central[n] for n in (32, 33, 34, 35)} == {Fraction(5)}       # = the CSV weights
    assert {pemda[n] for n in range(32, 38)} == {Fraction(10, 3)}        # 20 % / 6
    assert sum(central.values()) == sum(pemda.values()) == 100
    assert weight_numerator(i18, 36) == 20 and weight_numerator(i18, 1) == 1
    assert index_gain(i18, 36, numbers=range(1, 38)) == pytest.approx(1 / 30)
    assert index_gain(i18, 35) == pytest.approx(0.05)


def test_pemda_with_three_sectors_by_hand(i18):
    levels = base_levels(3, i32=1, i33=2, i34=3, i35=4) | {36: 5, 37: 5}
    s = score_levels(i18, levels, "Kabupaten")
    # aspects 1–6 at 3 on 80 % → 2,4; aspect 7 = (1+2+3+4+5+5)/6 = 10/3 on 20 % → 2/3
    assert s.aspek[7] == pytest.approx(10 / 3) and s.indeks_exact == pytest.approx(46 / 15)
    assert (s.indeks, s.predikat) == (3.07, "Baik")
    assert score_levels(i18, levels).indeks == 3.07  # kategori unknown: the rows decide


def test_central_agency_and_pemda_without_sectors_score_indicator_35_once(i18):
    levels = base_levels(3, i32=1, i33=2, i34=3, i35=4)
    for kategori in ("Kementerian", "Kota", None):
        s = score_levels(i18, levels, kategori)
        assert (s.indeks_exact, s.indeks, s.aspek[7]) == (2.9, 2.9, 2.5)  # 2,4 + (1+2+3+4) × 5 % / 100


def test_sector_rows_are_refused_for_a_central_agency_and_when_incomplete(i18):
    full = base_levels() | {36: 3, 37: 3}
    with pytest.raises(LevelError, match="hanya dinilai untuk Provinsi, Kabupaten, Kota, bukan LPNK"):
        score_levels(i18, full, "LPNK")
    with pytest.raises(LevelError, match="sektor indikator 35 tidak lengkap: ada 35-2, tidak ada 35-3"):
        score_levels(i18, base_levels() | {36: 3}, "Kota")
    assert row_set_problem(i18, full, "Provinsi") is None
    with pytest.raises(LevelError, match=r"indikator \[38\] tidak ada"):
        score_levels(i18, full | {38: 3})


def test_weight_scale_makes_the_warehouse_sums_exact():
    reg = load_registry()
    scale = weight_scale(reg)
    assert scale == 3000  # 20 % × 3000 divides by 4 and by 6 rows
    for ins in reg:
        for rows, _ in row_sets(ins):
            weights = row_weights(ins, rows)
            assert all((w * scale).denominator == 1 for w in weights.values())


MADE_UP_TOML = """
id = "sektor_contoh"
nama = "Instrumen contoh dengan sektor"
tahun_mulai = 2030
indikator = "sektor_contoh.csv"
[[aturan_aspek]]
aspek = 2
rumus = "rerata"
[skala]
proses = ["1", "2", "3", "4", "5"]
[[predikat]]
nama = "Baik"
batas_bawah = 3.0
batas_atas = 5.0
[[predikat]]
nama = "Kurang"
batas_bawah = 1.0
batas_atas = 3.0
"""
HEAD = ("no_indikator,nama_indikator,no_aspek,kode_aspek,label_aspek,nama_aspek,bobot_aspek_pct,no_domain,kode_domain,"
        "label_domain,nama_domain,bobot_domain_pct,bobot_indikator_pct,skala,sektor_dari,sektor_ke,berlaku_untuk\n")
MADE_UP_CSV = HEAD + (
    "1,Kebijakan,1,A1,K,K,40,1,D1,K,K,40,40,proses,,,\n"
    "2,Layanan,2,A2,L,L,60,2,D2,L,L,60,60,proses,,,\n"
    "3,Layanan sektor 2,2,A2,L,L,60,2,D2,L,L,60,,proses,2,2,Kota\n"
)


def test_a_made_up_instrument_with_sectors_needs_data_files_only(tmp_path):
    d = tmp_path / "instruments"
    shutil.copytree(INSTRUMENT_DIR, d)
    (d / "sektor_contoh.toml").write_text(MADE_UP_TOML, encoding="utf-8")
    (d / "sektor_contoh.csv").write_text(MADE_UP_CSV, encoding="utf-8")
    ins = load_registry(d).for_year(2030)
    assert score_levels(ins, {1: 2, 2: 3}, "Kementerian").indeks == 2.6  # 2 × 0,4 + 3 × 0,6
    s = score_levels(ins, {1: 2, 2: 3, 3: 5}, "Kota")                    # aspect 2 = (3 + 5) / 2
    assert (s.indeks, s.predikat) == (3.2, "Baik")
    with pytest.raises(LevelError, match="bukan Kabupaten"):
        score_levels(ins, {1: 2, 2: 3, 3: 5}, "Kabupaten")


@pytest.mark.parametrize("row, phrase", [
    ("3,Sektor,1,A1,K,K,40,1,D1,K,K,40,,proses,1,2,Kota\n", "baris sektor 3"),          # aspect 1 is not 'rerata'
    ("3,Sektor,2,A2,L,L,60,2,D2,L,L,60,60,proses,2,2,Kota\n", "tanpa bobot_indikator_pct"),  # sector with a weight
    ("3,Sektor,2,A2,L,L,60,2,D2,L,L,60,,proses,2,,Kota\n", "sektor_dari dan sektor_ke"),
    ("3,Lain,2,A2,L,L,60,2,D2,L,L,60,0,proses,,,Kota\n", "berlaku_untuk hanya untuk baris sektor"),
])
def test_inconsistent_sector_rows_are_refused(tmp_path, row, phrase):
    (tmp_path / "x.toml").write_text(MADE_UP_TOML.replace("sektor_contoh.csv", "x.csv"), encoding="utf-8")
    (tmp_path / "x.csv").write_text(HEAD + MADE_UP_CSV.splitlines(keepends=True)[1]
                                    + MADE_UP_CSV.splitlines(keepends=True)[2] + row, encoding="utf-8")
    with pytest.raises(InstrumentError, match=phrase):
        load_instrument(tmp_path / "x.toml")
