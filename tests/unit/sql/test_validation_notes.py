"""Rows kept as published despite a validator flag carry the flag into the warehouse (`catatan`), and the
ranking, the profile query and the brief show it; a later import of that instansi-year replaces it."""
from __future__ import annotations

import pytest

from briefs.brief import build_brief
from domain.instrument import load_registry
from etl.cli import main
from queries.gateway import Warehouse
from rendering.instrument_frames import with_domains

HEADER = "tahun,kategori,nama_instansi,d1_kebijakan,d2_tata_kelola,d3_manajemen,d4_layanan,indeks,predikat\n"
JATIM_AS_PRINTED = "2024,Provinsi,Pemerintah Provinsi Jawa Timur,0.60,4.40,3.09,4.87,4.43,Memuaskan\n"
JATIM_CONSISTENT = "2024,Provinsi,Pemerintah Provinsi Jawa Timur,4.60,4.40,3.09,4.87,4.43,Memuaskan\n"
SERANG = "2024,Kota,Pemerintah Kota Serang,1.80,1.90,1.00,3.82,2.61,Baik\n"   # as published: consistent


@pytest.fixture
def imported(tmp_path):
    root, csv = tmp_path / "wh", tmp_path / "hasil_2024.csv"
    csv.write_text(HEADER + JATIM_AS_PRINTED + SERANG)
    assert main(["--warehouse", str(root), "import", str(csv)]) == 0
    return root, tmp_path


def notes(root, instansi_id="prov-35"):
    wh = Warehouse(root)
    try:
        # the ranking with its domain columns pivoted by the instrument, as the ranking page does (issue 15:
        # domain values come in long form, no fixed d1..d4 in SQL)
        rank = with_domains(wh.run("ranking", year=2024), wh.run("domain_values", year=2024),
                            load_registry().for_year(2024))
        return wh.run("instansi_notes", year=2024, instansi_id=instansi_id), rank
    finally:
        wh.close()


def test_flagged_row_is_stored_as_published_with_its_notes(imported):
    flags, rank = notes(imported[0])
    assert set(flags["kolom"]) == {"d1_kebijakan", "indeks"}
    assert any("0.60 di luar rentang" in a for a in flags["alasan"])
    jatim = rank.set_index("instansi_id").loc["prov-35"]
    assert jatim["d1"] == pytest.approx(0.6) and "indeks 4,43 ≠" in jatim["catatan"]
    assert not isinstance(rank.set_index("instansi_id").loc["kota-36.73", "catatan"], str)   # no note: null


def test_the_brief_prints_the_flag(imported):
    wh = Warehouse(imported[0])
    try:
        brief = build_brief(wh, "prov-35", 2024, charts=False)
    finally:
        wh.close()
    assert any(n.startswith("Catatan validasi") and "0.60 di luar rentang" in n for n in brief.notes)


def test_a_corrected_import_replaces_the_instansi_year_and_its_notes(imported):
    root, tmp = imported
    fixed = tmp / "hasil_2024_koreksi.csv"
    fixed.write_text(HEADER + JATIM_CONSISTENT)
    assert main(["--warehouse", str(root), "import", str(fixed)]) == 0
    flags, rank = notes(root)
    assert flags.empty
    assert rank.set_index("instansi_id").loc["prov-35", "d1"] == pytest.approx(4.6)
