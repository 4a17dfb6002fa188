"""LHE documents as KemenPANRB issues them, in the layouts text extraction gives (fixtures in
tests/fixtures/etl/lhe_layouts/, synthetic): year and instansi with no argument, never from prose;
one or two level columns; orphan number/level lines; the printed figures checked against the scores."""
from __future__ import annotations

import pytest

from domain.instrument import load_registry
from domain.scoring import score_levels
from etl.readers import InputError, load_master, read_bytes
from tests.fixtures.etl.lhe_layout_builders import (
    BSSN,
    HSS,
    LEVELS,
    PMK,
    PREV_2021,
    THIS_2022,
    TIDORE,
    pdf_of,
    text,
)

MASTER = load_master()
REGISTRY = load_registry()


def read(name: str, body: str | None = None, **kw):
    return read_bytes(name, (body if body is not None else text(name)).encode(), master=MASTER, **kw)


def levels_of(p, iid: str, year: int) -> dict[int, int]:
    sel = p.levels[(p.levels["instansi_id"] == iid) & (p.levels["tahun"] == year)]
    return {int(n): int(v) for n, v in zip(sel["no_indikator"], sel["level"])}


def alasan(p) -> list[str]:
    return [i.alasan for i in p.report.issues]


@pytest.mark.parametrize("name, iid, year", [
    ("pypdf_sampul_terpisah.txt", HSS, 2021),
    ("layout_baris_yatim.txt", PMK, 2022),
    ("tanpa_sampul_2023.txt", BSSN, 2023),
    ("pdftotext_polos.txt", HSS, 2021),
])
def test_each_layout_gives_year_instansi_and_all_levels_without_arguments(name, iid, year):
    p = read(name)
    assert p.report.ok and set(zip(p.levels["tahun"], p.levels["instansi_id"])) == {(year, iid)}
    assert levels_of(p, iid, year) == LEVELS[name]


def test_split_cover_and_wrapped_heading_name_are_joined():
    p = read("pypdf_sampul_terpisah.txt")
    assert p.report.issues == []
    assert p.catatan[0] == "tahun 2021 dari sampul: 'INDEKS SPBE / TAHUN 2021' (baris 8)"
    assert p.catatan[1] == "instansi 'PEMERINTAH KABUPATEN HULU SUNGAI SELATAN' dari judul 'INDEKS SPBE – …' (baris 19)"
    assert p.catatan[2].startswith("14 angka tercetak di LHE (indeks 3,05, Baik) sama dengan hasil hitung")


def test_wrapped_cover_name_is_used_when_the_heading_is_missing():
    body = text("pypdf_sampul_terpisah.txt").replace("INDEKS SPBE – PEMERINTAH KABUPATEN HULU SUNGAI\nSELATAN\n", "")
    p = read("lhe.txt", body)
    assert p.report.ok and set(p.levels["instansi_id"]) == {HSS}
    assert "instansi 'PEMERINTAH KABUPATEN HULU SUNGAI SELATAN' dari sampul (baris 5)" in p.catatan


def test_layout_text_with_orphan_number_and_level_lines():
    body = text("layout_baris_yatim.txt")
    assert "\n1 " + " " * 80 + "3\n" in body           # the fixture has the layout it claims
    p = read("layout_baris_yatim.txt", body)
    assert p.report.issues == [] and levels_of(p, PMK, 2022) == LEVELS["layout_baris_yatim.txt"]
    assert p.catatan[0] == "tahun 2022 dari sampul: 'INDEKS SPBE / TAHUN 2022' (baris 6)"


def test_2023_style_without_cover_year_takes_the_title_never_the_prose():
    p = read("tanpa_sampul_2023.txt")
    assert p.report.issues == []
    assert p.catatan[0] == "tahun 2023 dari judul: 'Laporan Hasil Evaluasi SPBE Tahun 2023' (baris 13)"
    assert "BADAN SIBER DAN SANDI NEGARA" in p.catatan[1]


def test_without_title_the_report_date_is_used_with_a_notice():
    body = text("tanpa_sampul_2023.txt").replace("Laporan Hasil Evaluasi SPBE Tahun 2023\n", "\n")
    p = read("lhe.txt", body)
    assert p.report.ok and set(p.levels["tahun"]) == {2023}
    [w] = p.report.warnings
    assert w.kolom == "tahun" and w.baris == 11 and "tanggal laporan 'Jakarta, 15 Desember 2023'" in w.alasan
    early = body.replace("Jakarta, 15 Desember 2023", "Jakarta, 20 Januari 2024")
    p = read("lhe.txt", early)
    assert set(p.levels["tahun"]) == {2023} and "Januari–Maret: tahun sebelumnya" in p.report.warnings[0].alasan


def test_prose_alone_is_never_a_year_or_name_source():
    body = "\n".join(["LAPORAN HASIL EVALUASI", "Hasil evaluasi SPBE tahun 2022 dapat menggambarkan kemajuan.",
                      "Pemerintah Kota Serang belum menerbitkan kebijakan.", "evaluasi SPBE tahun 2021",
                      "Perolehan Nilai Tingkat Kematangan Indikator"] + [f"{i}\tIndikator {i}\t3" for i in range(1, 48)])
    with pytest.raises(InputError) as err:
        read("lhe.txt", body)
    assert "tahun evaluasi tidak ditemukan di LHE" in err.value.issue.alasan
    with pytest.raises(InputError) as err:
        read("lhe.txt", body, tahun=2022)
    assert "nama instansi tidak ditemukan di LHE" in err.value.issue.alasan


def test_cover_and_title_years_that_disagree_are_reported():
    body = text("pypdf_sampul_terpisah.txt").replace("EVALUASI SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK TAHUN 2021",
                                                    "EVALUASI SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK TAHUN 2022", 1)
    p = read("lhe.txt", body)
    assert set(p.levels["tahun"]) == {2021}
    assert any("LHE menyebut tahun lain selain 2021" in a and "2022 (judul" in a for a in alasan(p))


def test_heading_and_cover_naming_two_instansi_is_not_loaded():
    body = text("pemantauan_dua_kolom_2022.txt").replace("INDEKS SPBE – PEMERINTAH KOTA TIDORE KEPULAUAN",
                                                         "INDEKS SPBE – PEMERINTAH KOTA SERANG")
    p = read("lhe.txt", body)
    assert not p.report.ok and p.levels.empty
    assert any("LHE menyebut dua instansi" in a and "kota-82.72" in a for a in alasan(p))


def test_monitoring_report_two_columns_are_two_instansi_years():
    p = read("pemantauan_dua_kolom_2022.txt")
    assert p.report.issues == []
    assert levels_of(p, TIDORE, 2021) == PREV_2021 and levels_of(p, TIDORE, 2022) == THIS_2022
    assert "tabel indikator memuat dua kolom nilai (judul kolom menyebut tahun 2021 dan 2022) (baris 38)" in p.catatan
    assert p.catatan[-1].startswith("27 angka tercetak di LHE (indeks 3,05, Baik) sama dengan")


def test_two_columns_without_years_in_the_header_are_read_with_a_notice():
    body = text("pemantauan_dua_kolom_2022.txt").replace("Evaluasi 2021 Pemantauan 2022\n", "")
    p = read("lhe.txt", body)
    assert levels_of(p, TIDORE, 2021) == PREV_2021 and levels_of(p, TIDORE, 2022) == THIS_2022
    [w] = p.report.warnings
    assert "kolom kiri dibaca sebagai tahun 2021, kolom kanan sebagai 2022" in w.alasan


def test_two_columns_with_a_chosen_year_read_that_column_only():
    p = read("pemantauan_dua_kolom_2022.txt", tahun=2022)
    assert set(p.levels["tahun"]) == {2022} and levels_of(p, TIDORE, 2022) == THIS_2022
    assert any("kolom nilai tahun 2021 tidak dimuat: tahun yang dipilih 2022" in a for a in alasan(p))


def test_printed_figures_that_differ_from_the_levels_are_named_with_both_values():
    body = text("pypdf_sampul_terpisah.txt").replace("\n2 Tingkat Kematangan Indikator Contoh C02 5\n",
                                                    "\n2 Tingkat Kematangan Indikator Contoh C02 1\n")
    p = read("lhe.txt", body)
    assert p.report.ok  # published as read, but reported
    got = {i.alasan.split(":")[0]: i for i in p.report.warnings}
    lv = {**LEVELS["pypdf_sampul_terpisah.txt"], 2: 1}
    sc = score_levels(REGISTRY.for_year(2021), lv)
    a1 = got[f"aspek A1 ({REGISTRY.for_year(2021).aspect(1).nama}) 2021"]
    assert a1.nilai == "3,00" and f"tercetak di LHE 3,00, dihitung dari level indikator " \
        f"{sc.aspek_rounded()[1]:.2f}".replace(".", ",") in a1.alasan
    assert {"Indeks SPBE 2021", "Indeks SPBE (di samping judul) 2021"} <= set(got)
    assert any(k.startswith("domain D1") for k in got)
    assert "berbeda di" in p.catatan[-1]


def test_unreadable_printed_table_says_what_was_not_compared():
    p = read("pdftotext_polos.txt")
    [w] = p.report.warnings
    assert "nilai domain dan aspek yang tercetak tidak dibandingkan" in w.alasan and w.kolom.startswith("Nilai Indeks")
    assert p.catatan[-1].startswith("1 angka tercetak di LHE (indeks 2,97, Baik) sama")


def test_lhe_pdf_fixture_is_read_with_no_arguments():
    p = read_bytes("lhe_uji.pdf", pdf_of(text("pypdf_sampul_terpisah.txt")), master=MASTER)
    assert (p.format, p.report.issues) == ("lhe-pdf", [])
    assert levels_of(p, HSS, 2021) == LEVELS["pypdf_sampul_terpisah.txt"]
    assert "halaman 1" in p.catatan[0] and "PEMERINTAH KABUPATEN HULU SUNGAI SELATAN" in p.catatan[1]


def test_lhe_pdf_fixture_mismatch_names_the_page():
    body = text("pypdf_sampul_terpisah.txt").replace("\n47 Tingkat Kematangan Layanan Contoh Sektor 3 5\n",
                                                    "\n47 Tingkat Kematangan Layanan Contoh Sektor 3 1\n")
    p = read_bytes("lhe_uji.pdf", pdf_of(body), master=MASTER)
    assert p.report.ok and any("aspek A8" in w.alasan and "halaman" in w.alasan for w in p.report.warnings)


@pytest.mark.parametrize("given", ["63.06", "kab-63.06", "Kabupaten Hulu Sungai Selatan"])
def test_instansi_argument_accepts_a_kemendagri_code(given):
    p = read("pypdf_sampul_terpisah.txt", instansi=given)
    assert p.report.ok and set(p.levels["instansi_id"]) == {HSS}


def test_instansi_code_of_another_instansi_is_refused():
    p = read("pypdf_sampul_terpisah.txt", instansi="36.73")
    assert not p.report.ok and p.levels.empty
    assert any("bukan instansi yang dipilih (36.73 → kota-36.73)" in a for a in alasan(p))
