"""Uploads of LHEs as KemenPANRB issues them (synthetic fixtures in the real layouts): read with no
year or instansi chosen, and the page is told where both were read."""
from __future__ import annotations

from tests.fixtures.etl.lhe_layout_builders import HSS, LEVELS, PREV_2021, THIS_2022, TIDORE, pdf_of, text
from ui import upload


def test_lhe_pdf_upload_needs_no_year_or_instansi_and_says_where_they_were_read():
    res = upload.handle_upload("lhe_uji.pdf", pdf_of(text("pypdf_sampul_terpisah.txt")))
    assert res.ok and res.format == "lhe-pdf" and res.errors == res.warnings == 0
    [a] = res.assessments
    assert (a.instansi_id, a.tahun, a.nama) == (HSS, 2021, "Pemerintah Kab. Hulu Sungai Selatan")
    assert a.levels == LEVELS["pypdf_sampul_terpisah.txt"]
    assert res.catatan[0].startswith("tahun 2021 dari sampul: 'INDEKS SPBE / TAHUN 2021'")
    assert "PEMERINTAH KABUPATEN HULU SUNGAI SELATAN" in res.catatan[1]
    assert "sama dengan hasil hitung" in res.catatan[2]


def test_monitoring_report_upload_offers_both_years():
    res = upload.handle_upload("pemantauan.txt", text("pemantauan_dua_kolom_2022.txt").encode())
    assert res.ok and [(a.instansi_id, a.tahun) for a in res.assessments] == [(TIDORE, 2021), (TIDORE, 2022)]
    assert [a.levels for a in res.assessments] == [PREV_2021, THIS_2022]


def test_printed_mismatch_reaches_the_page_as_a_warning():
    body = text("tanpa_sampul_2023.txt").replace("\n1\tTingkat Kematangan Indikator Contoh B01\t1\n",
                                                 "\n1\tTingkat Kematangan Indikator Contoh B01\t5\n")
    res = upload.handle_upload("lhe.txt", body.encode())
    assert res.ok and res.warnings >= 3 and "tercetak di LHE" in res.text
    assert "berbeda di" in res.catatan[-1]
