"""Scoring follows PermenPANRB 59/2020 B.4 exactly (unit layer: pure domain)."""
from __future__ import annotations

import csv
from fractions import Fraction
from pathlib import Path

import pytest

from domain.instrument import load_registry
from domain.scoring import LevelError, aspect_values, domain_values, index_gain, index_value, round2, score_levels

OFFICIAL = Path(__file__).resolve().parents[3] / "data" / "reference" / "official" / "rerata_kategori.csv"
SERANG_2021 = [1, 1, 3, 2, 3, 4, 3, 4, 3, 3, 2, 2, 2, 3, 2, 3, 4, 4, 3, 3, 2, 3, 3, 3, 1, 2, 3, 3, 1, 1, 1,
               4, 3, 3, 4, 3, 2, 3, 3, 3, 3, 3, 3, 4, 5, 5, 4]


@pytest.fixture(scope="module")
def i59():
    return load_registry().for_year(2021)


def test_aspect_index_matches_regulation_example(i59):
    # Tabel 10: aspect 2, indicators 11–14 at levels 3, 4, 3, 2 → 3,00
    levels = {n: 1 for n in i59.indicator_numbers} | {11: 3, 12: 4, 13: 3, 14: 2}
    assert aspect_values(i59, levels)[2] == 3


def test_domain_index_matches_regulation_example(i59):
    # Tabel 11: domain 2 with aspects 2, 3, 4 = 3,00, 4,00, 3,00 → 3,40
    aspek = {a.no: Fraction(1) for a in i59.aspects} | {2: Fraction(3), 3: Fraction(4), 4: Fraction(3)}
    assert domain_values(i59, aspek)[2] == Fraction(17, 5)


def test_spbe_index_matches_regulation_example(i59):
    # Tabel 12: domains 3,70, 3,40, 3,00, 3,20 → 3,28
    domain = {1: Fraction("3.70"), 2: Fraction("3.40"), 3: Fraction("3.00"), 4: Fraction("3.20")}
    assert round2(index_value(i59, domain)) == 3.28


def test_kota_serang_lhe_2021_gives_297_baik(i59):
    s = score_levels(i59, dict(enumerate(SERANG_2021, start=1)))
    assert s.indeks == 2.97 and s.predikat == "Baik"
    assert s.aspek_rounded() == {1: 2.7, 2: 2.25, 3: 3.25, 4: 3.0, 5: 2.5, 6: 1.0, 7: 3.1, 8: 4.0}
    assert s.domain_rounded() == {1: 2.7, 2: 2.8, 3: 2.09, 4: 3.46}


@pytest.mark.parametrize("kategori", ["Nasional", "Kementerian", "LPNK", "Lembaga Lain", "Provinsi", "Kabupaten", "Kota"])
def test_official_2021_domain_and_index_means_follow_from_aspect_means(i59, kategori):
    """The 2021 category table: domains from aspects and index from domains, within rounding."""
    rows = [r for r in csv.DictReader(OFFICIAL.open(encoding="utf-8")) if r["tahun"] == "2021" and r["kategori"] == kategori]
    val = {r["komponen"]: Fraction(r["nilai"]) for r in rows}
    aspek = {a.no: val[a.kode] for a in i59.aspects}
    dom = domain_values(i59, aspek)
    for d in i59.domains:
        assert abs(dom[d.no] - val[d.kode]) <= Fraction(1, 100), (d.kode, float(dom[d.no]), float(val[d.kode]))
    idx = index_value(i59, {d.no: val[d.kode] for d in i59.domains})
    assert abs(idx - val["indeks"]) <= Fraction(1, 100)


@pytest.mark.parametrize("value, expected", [
    (4.2, "Memuaskan"), (5.0, "Memuaskan"), (4.19, "Sangat Baik"), (3.5, "Sangat Baik"), (3.49, "Baik"),
    (2.6, "Baik"), (2.59, "Cukup"), (1.8, "Cukup"), (1.79, "Kurang"), (1.0, "Kurang"), (None, None)])
def test_predikat_bands_are_half_open(i59, value, expected):
    assert i59.predikat(value) == expected


def test_rounding_is_half_up_like_published_figures():
    assert round2(Fraction(2965, 1000)) == 2.97
    assert round2(Fraction(2605, 1000)) == 2.61
    assert round2(2.604999) == 2.6


def test_one_level_on_public_service_indicator_adds_003(i59):
    assert index_gain(i59, 45) == pytest.approx(0.03)
    assert index_gain(i59, 1) == pytest.approx(0.013)


@pytest.mark.parametrize("bad, phrase", [
    ({n: 3 for n in range(1, 47)}, "tidak ada [47]"),
    ({n: 3 for n in range(1, 48)} | {5: 6}, "indikator 5: level 6"),
    ({n: 3 for n in range(1, 48)} | {5: 0}, "indikator 5: level 0"),
    ({n: 3 for n in range(1, 48)} | {48: 3}, "indikator [48] tidak ada"),
])
def test_incomplete_or_out_of_scale_levels_are_rejected(i59, bad, phrase):
    with pytest.raises(LevelError, match=phrase.replace("[", r"\[").replace("]", r"\]")):
        score_levels(i59, bad)


def test_5_2018_instrument_has_35_indicators_and_three_domains():
    ins = load_registry().for_year(2019)
    assert len(ins.indicators) == 35 and [d.kode for d in ins.domains] == ["D1", "D2", "D3"]
    assert sum(d.bobot for d in ins.domains) == 100
