"""Good-path reading: wide/long CSV and XLSX levels, published tables, LHE text and PDF."""
from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from domain.instrument import load_registry
from domain.scoring import score_levels
from etl.readers import InputError, load_master, read_bytes, read_path
from etl.report import Issue, Report, fmt_numbers
from tests.fixtures.etl.builders import (
    LHE_TXT,
    PUBLISHED_CSV,
    lhe_text,
    long_csv,
    long_rows,
    master,
    pattern_levels,
    pdf_bytes,
    wide_csv,
    xlsx_bytes,
)

MASTER = master()
REGISTRY = load_registry()
L47, L47b, L35 = pattern_levels(47), pattern_levels(47, shift=2), pattern_levels(35, shift=1)
SERANG, KAB_SERANG = "kota-36.73", "kab-36.04"


def as_dict(levels: pd.DataFrame, iid: str, tahun: int) -> dict[int, int]:
    sel = levels[(levels["instansi_id"] == iid) & (levels["tahun"] == tahun)]
    return dict(zip(sel["no_indikator"].astype(int), sel["level"].astype(int)))


# --- levels: CSV ---------------------------------------------------------------------------------
def test_wide_csv_one_column_per_indicator():
    text = wide_csv([(2021, SERANG, L47), (2022, SERANG, L47b), (2021, KAB_SERANG, L47b)])
    p = read_bytes("lebar.csv", text.encode(), master=MASTER)
    assert (p.jenis, p.format, p.report.issues) == ("nilai_indikator", "csv-lebar", [])
    assert len(p.levels) == 3 * 47
    assert as_dict(p.levels, SERANG, 2021) == L47 and as_dict(p.levels, SERANG, 2022) == L47b
    assert set(p.levels["instrument_id"]) == {"permenpanrb_59_2020"}
    assert p.levels.query("instansi_id == @KAB_SERANG")["baris"].unique().tolist() == [4]
    assert list(p.matches.columns) == ["nama_berkas", "instansi_id", "metode", "kemiripan", "kandidat"]
    assert set(p.matches["metode"]) == {"id"}


@pytest.mark.parametrize("prefix", ["I", "ind_", "indikator_"])
def test_wide_indicator_headers_in_other_spellings(prefix):
    p = read_bytes("lebar.csv", wide_csv([(2021, SERANG, L47)], prefix=prefix).encode(), master=MASTER)
    assert p.report.ok and as_dict(p.levels, SERANG, 2021) == L47


def test_wide_matched_by_kode_wilayah_and_by_normalised_name():
    by_kode = wide_csv([(2021, "36.73", L47), (2021, "3604", L47b)], instansi_col="kode_wilayah")
    p = read_bytes("kode.csv", by_kode.encode(), master=MASTER)
    assert p.report.ok and set(p.levels["instansi_id"]) == {SERANG, KAB_SERANG}
    assert set(p.matches["metode"]) == {"kode"}
    by_name = wide_csv([(2021, "Pemkot Serang", L47), (2021, "Kabupaten Serang", L47b)], instansi_col="nama_instansi")
    p = read_bytes("nama.csv", by_name.encode(), master=MASTER)
    assert p.report.ok and as_dict(p.levels, KAB_SERANG, 2021) == L47b
    assert dict(zip(p.matches["nama_berkas"], p.matches["metode"])) == {"Pemkot Serang": "nama",
                                                                        "Kabupaten Serang": "nama"}


def test_long_csv_with_self_assessed_levels():
    rows = [(2021, SERANG, no, lv, 5) for no, lv in L47.items()]
    p = read_bytes("panjang.csv", long_csv(rows, mandiri=True).encode(), master=MASTER)
    assert p.report.ok and p.format == "csv-panjang"
    assert p.levels["level_mandiri"].dtype == "Int64" and set(p.levels["level_mandiri"]) == {5}
    assert p.levels["baris"].tolist() == list(range(2, 49))


def test_denpasar_like_long_file_takes_instansi_from_argument():
    lines = ["tahun,no_indikator,nama_indikator,id_aspek,bobot_indikator_pct,level_final,level_mandiri"]
    for tahun, levels in ((2018, L35), (2019, pattern_levels(35, shift=3))):
        lines += [f"{tahun},{no},Indikator {no},1,1.0,{lv},{min(lv + 1, 5)}" for no, lv in levels.items()]
    data = ("\n".join(lines) + "\n").encode()
    with pytest.raises(InputError):
        read_bytes("denpasar.csv", data, master=MASTER)
    p = read_bytes("denpasar.csv", data, master=MASTER, instansi="Kota Denpasar")
    assert p.report.issues == [] and len(p.levels) == 70
    assert set(p.levels["instrument_id"]) == {"permenpanrb_5_2018"}
    ins = REGISTRY.for_year(2018)
    assert score_levels(ins, as_dict(p.levels, "kota-51.71", 2018)).indeks == score_levels(ins, L35).indeks


def test_file_kind_comes_from_content_not_extension(tmp_path):
    path = tmp_path / "nilai.txt"
    path.write_text(wide_csv([(2021, SERANG, L47)]), encoding="utf-8")
    p = read_path(path, master=MASTER)
    assert p.format == "csv-lebar" and p.berkas == str(path) and len(p.levels) == 47


# --- levels: XLSX --------------------------------------------------------------------------------
def test_xlsx_wide_with_title_rows_and_a_notes_sheet_first():
    rows = [["Nilai indikator SPBE (contoh sintetis)"], [],
            ["tahun", "instansi_id"] + [str(i) for i in range(1, 48)],
            [2021, SERANG] + [L47[i] for i in range(1, 48)],
            [2021, KAB_SERANG] + [float(L47b[i]) for i in range(1, 48)]]
    data = xlsx_bytes({"Petunjuk": [["Isi lembar Data"], ["Level 1-5"]], "Data": rows})
    p = read_bytes("nilai.xlsx", data, master=MASTER)
    assert p.format == "xlsx-lebar" and p.report.ok
    assert as_dict(p.levels, KAB_SERANG, 2021) == L47b
    assert p.levels.query("instansi_id == @SERANG")["baris"].unique().tolist() == [4]
    note = [i for i in p.report.warnings if i.nilai == "Data"]
    assert note and "2 lembar (Petunjuk, Data)" in note[0].alasan


def test_xlsx_long_reports_excel_row_numbers():
    rows = [["tahun", "instansi_id", "no_indikator", "level"]] + [list(r) for r in long_rows(2021, SERANG, L47)]
    rows[5][3] = 2.5
    p = read_bytes("panjang.xlsx", xlsx_bytes({"Sheet1": rows}), master=MASTER)
    assert p.format == "xlsx-panjang"
    assert [(i.baris, i.kolom, i.nilai) for i in p.report.errors] == [(6, "level", "2.5")]


def test_xlsx_published_with_merged_header_and_sections():
    wb = Workbook()
    ws = wb.active
    ws.append(["Hasil Evaluasi SPBE 2024 (sintetis)"])
    ws.append(["No", "Nama Instansi", "Nilai Domain", None, None, None, "Indeks SPBE", "Predikat"])
    ws.append([None, None, "Kebijakan", "Tata Kelola", "Manajemen", "Layanan", None, None])
    ws.merge_cells("C2:F2")
    ws.append(["KEMENTERIAN"])
    ws.append([1, "Kementerian Keuangan", 5.0, 4.8, 4.09, 4.87, 4.74, "Memuaskan"])
    ws.append(["Provinsi Banten"])
    ws.append([1, "Pemerintah Kota Serang", 1.8, 1.9, 1.0, 3.82, 2.61, "Baik"])
    import io
    buf = io.BytesIO()
    wb.save(buf)
    p = read_bytes("hasil.xlsx", buf.getvalue(), master=MASTER, tahun=2024)
    assert (p.jenis, p.format, p.report.issues) == ("hasil_publikasi", "publikasi-xlsx", [])
    assert p.index[["instansi_id", "indeks", "predikat", "baris"]].values.tolist() == [
        ["pusat-kementerian-keuangan", 4.74, "Memuaskan", 5], [SERANG, 2.61, "Baik", 7]]
    assert p.domains.query("instansi_id == @SERANG")["nilai"].tolist() == [1.8, 1.9, 1.0, 3.82]


# --- published tables ----------------------------------------------------------------------------
def test_published_fixture_reports_exactly_the_suspicious_rows():
    p = read_path(PUBLISHED_CSV, master=MASTER, tahun=2024)
    assert p.format == "publikasi-csv" and p.report.ok
    got = [(i.baris, i.kolom, i.tingkat) for i in p.report.sorted()]
    # line 14 (Kab. Pacitan 3,50 "Baik") is consistent: KemenPANRB bands the unrounded index (3,496 → Baik)
    assert got == [(7, "Nilai Domain Kebijakan", "peringatan"), (13, "Nilai Domain Kebijakan", "peringatan"),
                   (13, "Indeks SPBE", "peringatan")]
    assert "indeks 4,43 ≠ 3,90 dari domain (selisih 0,53" in p.report.sorted()[2].alasan
    pertanian = p.domains.query("instansi_id == 'pusat-kementerian-pertanian'").set_index("no_domain")["nilai"]
    assert math.isnan(pertanian[1]) and pertanian[2] == 3.5
    assert len(p.domains) == 4 * len(p.index) == 28


def test_published_headers_in_report_spelling_with_category_columns():
    data = ("Tahun,Kelompok,Kategori,Provinsi,No,Instansi,Domain Kebijakan,Domain Tata Kelola,Domain Manajemen,"
            "Domain Layanan,Nilai Indeks,Predikat\n"
            "2023,Instansi Pusat,Kementerian,,1,Kemenkeu,4.9,4.7,4.18,4.74,4.66,Memuaskan\n"
            "2023,Pemerintah Daerah,Kota,Banten,2,Pemerintah Kota Serang,2.0,2.0,1.0,3.5,2.52,Cukup\n").encode()
    p = read_bytes("hasil_2023.csv", data, master=MASTER)
    assert p.report.issues == []
    assert p.index["instansi_id"].tolist() == ["pusat-kementerian-keuangan", SERANG]
    assert p.matches.set_index("nama_berkas").loc["Kemenkeu", "metode"] == "alias"


def test_published_2019_uses_three_domains_of_the_2018_instrument():
    data = b"tahun,nama_instansi,D1,D2,D3,indeks,predikat\n2019,Pemerintah Kota Serang,2.0,3.0,3.0,2.83,Baik\n"
    p = read_bytes("hasil_2019.csv", data, master=MASTER)
    assert p.report.issues == []
    assert p.domains[["no_domain", "nilai"]].values.tolist() == [[1, 2.0], [2, 3.0], [3, 3.0]]
    assert set(p.index["instrument_id"]) == {"permenpanrb_5_2018"}


# --- LHE -----------------------------------------------------------------------------------------
def test_lhe_text_gives_all_levels_year_and_instansi():
    p = read_path(LHE_TXT, master=MASTER)
    assert (p.jenis, p.format, p.report.issues) == ("nilai_indikator", "lhe-teks", [])
    assert as_dict(p.levels, KAB_SERANG, 2022) == L47
    assert p.levels["baris"].tolist() == list(range(30, 77))
    assert p.matches[["nama_berkas", "instansi_id", "metode"]].values.tolist() == [
        ["PEMERINTAH KAB. SERANG", KAB_SERANG, "nama"]]
    assert score_levels(REGISTRY.for_year(2022), as_dict(p.levels, KAB_SERANG, 2022)).indeks == \
        score_levels(REGISTRY.for_year(2022), L47).indeks


@pytest.mark.parametrize("wrap", [False, True])
def test_lhe_space_separated_like_pdf_text(wrap):
    p = read_bytes("lhe.txt", lhe_text(L47b, sep=" ", wrap=wrap).encode(), master=MASTER)
    assert p.report.issues == [] and as_dict(p.levels, KAB_SERANG, 2022) == L47b


def test_lhe_pdf_is_read_through_its_text():
    p = read_bytes("lhe.pdf", pdf_bytes(lhe_text(L47b, wrap=True, name="PEMERINTAH KOTA SERANG", year=2021)),
                   master=MASTER)
    assert (p.format, p.report.issues) == ("lhe-pdf", [])
    assert as_dict(p.levels, SERANG, 2021) == L47b


def test_lhe_pdf_issue_names_the_page():
    p = read_bytes("lhe.pdf", pdf_bytes(lhe_text({**L47b, 3: 9})), master=MASTER)
    [issue] = p.report.errors
    assert issue.nilai == "9" and "halaman 1" in issue.alasan


def test_lhe_for_another_instansi_than_chosen_is_refused():
    p = read_bytes("lhe.txt", lhe_text(L47).encode(), master=MASTER, instansi=SERANG)
    assert not p.report.ok and p.levels.empty
    assert any("LHE ini untuk PEMERINTAH KAB. SERANG (kab-36.04), bukan instansi yang dipilih" in i.alasan
               for i in p.report.errors)


def test_lhe_without_year_uses_argument():
    text = lhe_text(L47).replace("INDEKS SPBE TAHUN 2022", "LAPORAN")
    with pytest.raises(InputError):
        read_bytes("lhe.txt", text.encode(), master=MASTER)
    p = read_bytes("lhe.txt", text.encode(), master=MASTER, tahun=2023, instansi=KAB_SERANG)
    assert p.report.ok and set(p.levels["tahun"]) == {2023}


# --- report and helpers --------------------------------------------------------------------------
def test_report_text_and_dict():
    r = Report()
    r.add("a.csv", 3, "level", "0", "level 0 di luar rentang", "galat")
    r.add(Issue("a.csv", None, None, None, "catatan berkas", "peringatan"))
    r.add("a.csv", 2, "nama", "X", "nama 'X' tidak dikenal", "tinjau")
    assert not r.ok and len(r.errors) == 2 and len(r.warnings) == 1 and len(r.reviews) == 1
    assert r.format_text(limit=2).splitlines() == [
        "a.csv: [peringatan] catatan berkas",
        "a.csv:2 kolom=nama nilai='X': [tinjau] nama 'X' tidak dikenal",
        "… dan 1 masalah lain"]
    d = r.to_dict()
    assert d["ok"] is False and d["jumlah"] == {"galat": 1, "tinjau": 1, "peringatan": 1}
    assert d["issues"][2] == {"berkas": "a.csv", "baris": 3, "kolom": "level", "nilai": "0",
                              "alasan": "level 0 di luar rentang", "tingkat": "galat", "instansi": None}
    with pytest.raises(ValueError):
        Issue("a.csv", 1, None, None, "x", "fatal")


def test_fmt_numbers_compacts_ranges():
    assert fmt_numbers([5, 12, 13, 14, 40, 41]) == "5, 12–14, 40–41"


def test_load_master_refuses_duplicate_ids(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("instansi_id,nama\na,X\na,Y\n", encoding="utf-8")
    with pytest.raises(ValueError, match="ganda"):
        load_master(path)


# --- scale ---------------------------------------------------------------------------------------
def test_large_long_file_is_processed_vectorised(tmp_path):
    n_inst, years = 800, range(2021, 2026)
    ids = [f"kab-99.{i:03d}" for i in range(n_inst)]
    big_master = pd.DataFrame({"instansi_id": ids, "nama": [f"Pemerintah Kab. Uji {i}" for i in range(n_inst)]})
    rng = np.random.default_rng(7)
    levels = rng.integers(1, 6, size=(n_inst * len(years), 47))
    frame = pd.DataFrame({
        "tahun": np.repeat(np.tile(list(years), n_inst), 47),
        "instansi_id": np.repeat(np.repeat(ids, len(years)), 47),
        "no_indikator": np.tile(np.arange(1, 48), n_inst * len(years)),
        "level": levels.ravel()})
    frame.loc[1000, "level"] = 0
    path = tmp_path / "besar.csv"
    frame.to_csv(path, index=False)
    started = time.process_time()
    p = read_path(path, master=big_master, max_bytes=10**9)
    assert time.process_time() - started < 60
    assert [(i.baris, i.nilai) for i in p.report.errors] == [(1002, "0")]
    assert len(p.levels) == len(frame) - 47
