"""The converter of the official annual reports (etl.official_report) and the official default warehouse."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl.official_report import ConversionError, convert_report, match_province, output_name, to_csv
from etl.readers import load_master, read_path

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "tests" / "fixtures" / "etl" / "official" / "laporan_evaluasi_spbe_2031.md"
SHARED = ROOT.parent / "shared" / "reference"
PROVINCES = sorted({p for p in load_master()["provinsi"] if p})


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return pd.DataFrame(convert_report(FIXTURE, PROVINCES))


def test_every_result_row_is_read_with_its_table_and_section(rows):
    assert rows["nama_instansi"].tolist() == [
        "Kementerian Koordinator Bidang Perekonomian", "Kementerian Pertanian", "Kementerian Keuangan",
        "Tentara Nasional Indonesia", "Pemerintah Provinsi Banten", "Pemerintah Kota Serang",
        "Pemerintah Kab. Pandeglang", "Pemerintah Kota Pangkal Pinang", "Pemerintah Kota Kupang"]
    assert rows["tabel"].tolist() == ["Tabel 9"] * 3 + ["Tabel 11"] + ["Tabel 29"] * 3 + ["Tabel 30", "Tabel 31"]
    assert set(rows["tahun"]) == {"2031"} and set(rows["dokumen"]) == {FIXTURE.name}


def test_categories_come_from_the_title_for_central_agencies_and_from_the_name_for_pemda(rows):
    assert rows["kategori"].tolist() == ["Kementerian"] * 3 + ["Alat Negara", "Provinsi", "Kota", "Kabupaten",
                                                               "Kota", "Kota"]
    assert rows["kelompok"].tolist() == ["Instansi Pusat"] * 4 + ["Pemerintah Daerah"] * 5
    assert rows["bagian"].iloc[5] == "Pemerintah Daerah Banten"


def test_misspelt_or_short_province_titles_map_to_the_master(rows):
    assert rows["provinsi"].tolist()[4:] == ["Banten"] * 3 + ["Kepulauan Bangka Belitung", "Nusa Tenggara Timur"]
    assert match_province("Papua", PROVINCES) == "Papua"          # exact wins over 'Papua Barat', 'Papua Tengah'
    assert match_province("Atlantis", PROVINCES) is None


def test_values_are_copied_as_printed_never_fixed(rows):
    assert rows.loc[0, ["d1_kebijakan", "indeks", "predikat"]].tolist() == ["5.00", "4.00", "Sangat Baik"]
    assert rows.loc[1, "d1_kebijakan"] == "" and rows.loc[1, "predikat"] == "Sangat Baik"
    assert rows.loc[4, "d1_kebijakan"] == "0.60"                   # ',60' as printed: flagged on import, not fixed
    assert rows.loc[6, "d1_kebijakan"] == "2.00"                   # header cell '<b>D</b> 1'


def test_a_province_title_that_matches_no_province_stops_the_conversion(tmp_path):
    bad = tmp_path / "laporan_evaluasi_spbe_2031.md"
    bad.write_text(FIXTURE.read_text().replace("di Banten", "di Atlantis"))
    with pytest.raises(ConversionError, match=r"baris \d+: provinsi 'Atlantis' pada judul Tabel 29"):
        convert_report(bad, PROVINCES)


def test_converted_csv_imports_with_flags_naming_the_instansi(tmp_path, rows):
    path = tmp_path / output_name(FIXTURE)
    known = rows[rows["kategori"] != "Alat Negara"].assign(tahun="2024")   # a year with an instrument
    path.write_text(to_csv(known.to_dict("records")))
    parsed = read_path(path)
    assert parsed.report.ok, parsed.report.format_text()
    assert len(parsed.index) == 8
    flagged = {(i.instansi, i.kolom) for i in parsed.report.warnings}
    assert ("Pemerintah Provinsi Banten", "d1_kebijakan") in flagged
    assert ("Kementerian Pertanian", "d1_kebijakan") in flagged
    line = next(i for i in parsed.report.warnings if i.instansi == "Pemerintah Provinsi Banten").line()
    assert line.startswith(f"{path.name}:") and ", Pemerintah Provinsi Banten " in line
    assert not any("tidak dikenal" in i.alasan for i in parsed.report.issues)   # provenance columns are known


@pytest.mark.parametrize("year", [2023, 2024])
def test_rerunning_the_converter_reproduces_the_committed_files(year):
    report = SHARED / f"laporan_evaluasi_spbe_{year}.md"
    if not report.exists():
        pytest.skip("../shared/reference tidak ada (klon tanpa shared): berkas resmi tidak dapat dibandingkan")
    committed = ROOT / "data" / "official" / output_name(report)
    assert to_csv(convert_report(report, PROVINCES)) == committed.read_text(encoding="utf-8")


def test_level_file_problems_name_the_instansi_of_their_row(tmp_path):
    bad = tmp_path / "level_buruk.csv"
    bad.write_text("tahun,nama_instansi,no_indikator,level\n2024,Pemerintah Kota Serang,1,7\n")
    parsed = read_path(bad)
    line = next(i for i in parsed.report.errors if i.kolom == "level").line()
    assert line.startswith("level_buruk.csv:2, Pemerintah Kota Serang kolom=level nilai='7'")
