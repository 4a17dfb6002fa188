"""Instruments are data: a new instrument is two files, no code change."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from domain.instrument import INSTRUMENT_DIR, InstrumentError, load_instrument, load_registry
from domain.scoring import score_levels

MADE_UP_TOML = """
id = "ipd_2026_contoh"
nama = "Indeks Pemerintah Digital (contoh)"
regulasi = "contoh untuk uji"
tahun_mulai = 2026
indikator = "ipd_2026_contoh.csv"
target_level = 3
target_indeks = 3.0
[skala]
proses = ["Awal", "Berkembang", "Matang", "Terpadu", "Unggul"]
[[predikat]]
nama = "Sangat Baik"
batas_bawah = 4.0
batas_atas = 5.0
[[predikat]]
nama = "Baik"
batas_bawah = 3.0
batas_atas = 4.0
[[predikat]]
nama = "Perlu Perbaikan"
batas_bawah = 1.0
batas_atas = 3.0
"""
HEADER = ("no_indikator,nama_indikator,no_aspek,kode_aspek,label_aspek,nama_aspek,bobot_aspek_pct,"
          "no_domain,kode_domain,label_domain,nama_domain,bobot_domain_pct,bobot_indikator_pct,skala\n")
MADE_UP_CSV = HEADER + (
    "1,Strategi digital,1,A1,Strategi,Strategi,40,1,D1,Tata Kelola,Tata Kelola,40,25,proses\n"
    "2,Data,1,A1,Strategi,Strategi,40,1,D1,Tata Kelola,Tata Kelola,40,15,proses\n"
    "3,Layanan digital,2,A2,Layanan,Layanan,60,2,D2,Layanan,Layanan,60,60,proses\n"
)


@pytest.fixture
def instrument_dir(tmp_path) -> Path:
    d = tmp_path / "instruments"
    shutil.copytree(INSTRUMENT_DIR, d)
    (d / "ipd_2026_contoh.toml").write_text(MADE_UP_TOML, encoding="utf-8")
    (d / "ipd_2026_contoh.csv").write_text(MADE_UP_CSV, encoding="utf-8")
    return d


def test_a_made_up_instrument_is_picked_up_from_data_files_alone(instrument_dir):
    reg = load_registry(instrument_dir)
    ins = reg.for_year(2027)
    assert ins.id == "ipd_2026_contoh" and reg.break_years() == [2021, 2026]
    s = score_levels(ins, {1: 4, 2: 2, 3: 3})
    # (4×25 + 2×15 + 3×60) / 100 = 3.10 → its own bands
    assert s.indeks == 3.1 and s.predikat == "Baik"
    assert ins.level_name(1, 3) == "Matang"
    # years of the regulation still resolve to the regulation
    assert reg.for_year(2024).id == "permenpanrb_59_2020"


def test_instrument_weights_that_do_not_add_up_are_refused(tmp_path):
    (tmp_path / "x.toml").write_text(MADE_UP_TOML.replace("ipd_2026_contoh.csv", "x.csv"), encoding="utf-8")
    (tmp_path / "x.csv").write_text(MADE_UP_CSV.replace(",60,proses", ",55,proses"), encoding="utf-8")
    with pytest.raises(InstrumentError, match="bobot indikator aspek 2"):
        load_instrument(tmp_path / "x.toml")


def test_registry_maps_years_to_regulations():
    reg = load_registry()
    assert [reg.for_year(y).id for y in (2018, 2020, 2021, 2025)] == [
        "permenpanrb_5_2018", "permenpanrb_5_2018", "permenpanrb_59_2020", "permenpanrb_59_2020"]
    with pytest.raises(KeyError):
        reg.for_year(2017)


def test_59_2020_weights_per_aspect_match_the_regulation():
    ins = load_registry().by_id("permenpanrb_59_2020")
    assert {a.kode: float(a.bobot) for a in ins.aspects} == {
        "A1": 13, "A2": 10, "A3": 10, "A4": 5, "A5": 12, "A6": 4.5, "A7": 27.5, "A8": 18}
    assert {float(i.bobot) for i in ins.indicators if i.no >= 42} == {3.0}
