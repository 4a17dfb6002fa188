"""Every kind of bad input is reported exactly: file, line, column, value, level and reason.

Inputs are synthetic (tests/fixtures/etl); the instrument registry is the committed one.
"""
from __future__ import annotations

import io
import math
import random
import zipfile
from dataclasses import dataclass, field
from typing import Callable

import pytest

from etl.readers import InputError, read_bytes, read_path
from tests.fixtures.etl.builders import (
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
L47 = pattern_levels(47)
L35 = pattern_levels(35)
SERANG = "kota-36.73"
PUB_HEAD = "tahun,nama_instansi,d1_kebijakan,d2_tata_kelola,d3_manajemen,d4_layanan,indeks,predikat"
KOTA_SERANG_2024 = "2024,Pemerintah Kota Serang,1.8,1.9,1.0,3.82,2.61,Baik"      # consistent row
KAB_SERANG_2024 = "2024,Pemerintah Kab. Serang,5.0,3.4,2.09,4.13,3.73,Sangat Baik"


def pub(*rows: str, head: str = PUB_HEAD) -> bytes:
    return ("\n".join((head,) + rows) + "\n").encode()


def long_with(changes: dict[int, object] | None = None, drop: tuple = (), extra: tuple = (), tahun=2021,
              mandiri: dict[int, object] | None = None) -> bytes:
    """Long CSV for Kota Serang: indicator i is on line i + 1 unless dropped before it."""
    levels = {**L47, **(changes or {})}
    rows = [(tahun, SERANG, no, lv) + ((mandiri.get(no, lv),) if mandiri is not None else ())
            for no, lv in sorted(levels.items()) if no not in drop]
    rows += list(extra)
    return long_csv(rows, mandiri=mandiri is not None).encode()


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def random_bytes() -> bytes:
    rng = random.Random(20240611)
    return bytes(rng.randrange(256) for _ in range(4096))


def truncated_xlsx() -> bytes:
    data = xlsx_bytes({"Data": [["tahun", "instansi_id"] + list(range(1, 48)), [2021, SERANG] + list(L47.values())]})
    return data[: len(data) // 2]


CP1252 = "tahun,nama_instansi,indeks\n2024,Pemerintah Kota Serang – Banten,2.61\n".encode("cp1252")
CP1252_AT = CP1252.index(b"\x96")


@dataclass
class Case:
    id: str
    name: str
    data: Callable[[], bytes]
    baris: int | None
    kolom: str | None
    nilai: str | None
    tingkat: str
    frasa: str
    kwargs: dict = field(default_factory=dict)
    check: Callable | None = None


def not_loaded(p):
    assert p.levels is not None and p.levels.empty


def index_of(p, iid):
    return p.index.set_index("instansi_id").loc[iid]


INPUT_ERRORS = [
    Case("empty-file", "kosong.csv", lambda: b"", None, None, None, "galat", "berkas kosong"),
    Case("only-blank-lines", "spasi.csv", lambda: b"\n  \n\n", None, None, None, "galat", "berkas kosong"),
    Case("header-only", "judul.csv", lambda: b"tahun,instansi_id,no_indikator,level\n", 1, None, None, "galat",
         "hanya berisi judul kolom, tidak ada baris data"),
    Case("unknown-columns", "salah.csv", lambda: b"foo,bar,baz\n1,2,3\n", 1, None, None, "galat",
         "kolom wajib tidak ditemukan. Kolom yang ditemukan: 'foo', 'bar', 'baz'"),
    Case("long-without-level-column", "tanpa_level.csv", lambda: b"tahun,instansi_id,no_indikator\n2021,kota-36.73,1\n",
         1, None, None, "galat", "Kolom yang ditemukan: 'tahun', 'instansi_id', 'no_indikator'"),
    Case("no-instansi-column", "tanpa_instansi.csv",
         lambda: ("tahun," + ",".join(map(str, range(1, 48))) + "\n2021," + ",".join(map(str, L47.values())) + "\n").encode(),
         1, None, None, "galat", "kolom instansi (instansi_id, kode_wilayah atau nama_instansi) tidak ada"),
    Case("no-year-column-no-argument", "tanpa_tahun.csv", lambda: b"instansi_id,no_indikator,level\nkota-36.73,1,3\n",
         1, None, None, "galat", "kolom tahun tidak ada dan argumen tahun tidak diberikan"),
    Case("cp1252-bytes", "cp1252.csv", lambda: CP1252, 2, None, "0x96", "galat",
         f"bukan teks UTF-8: byte 0x96 pada posisi {CP1252_AT} (baris 2)"),
    Case("utf16-text", "utf16.csv", lambda: "tahun,instansi_id\n2021,x\n".encode("utf-16"), None, None, None, "galat",
         "teks UTF-16; simpan ulang sebagai CSV UTF-8"),
    Case("random-bytes", "acak.csv", random_bytes, None, None, None, "galat", "bukan tabel CSV/XLSX, teks LHE atau PDF"),
    Case("png-image", "gambar.csv", lambda: b"\x89PNG\r\n\x1a\n" + bytes(200), None, None, None, "galat",
         "gambar PNG: bukan tabel CSV/XLSX, teks LHE atau PDF"),
    Case("docx-not-xlsx", "laporan.xlsx", docx_bytes, None, None, None, "galat",
         "dokumen Word (DOCX): bukan tabel CSV/XLSX, teks LHE atau PDF"),
    Case("truncated-xlsx", "potong.xlsx", truncated_xlsx, None, None, None, "galat", "rusak atau terpotong"),
    Case("file-too-big", "besar.csv", lambda: long_with(), None, None, str(len(long_with())), "galat",
         "melebihi batas 100 byte; berkas tidak dibaca", kwargs={"max_bytes": 100}),
    Case("xlsx-without-table", "catatan.xlsx", lambda: xlsx_bytes({"Catatan": [["hanya teks"], ["tanpa tabel"]]}),
         None, None, None, "galat", "tidak ada lembar berisi tabel"),
    Case("pdf-not-lhe", "surat.pdf", lambda: pdf_bytes("Surat undangan\nTidak ada tabel indikator"), None, None, None,
         "galat", "PDF ini bukan LHE SPBE"),
    Case("row-wider-than-header-after-head", "lebar.csv",
         lambda: long_with(extra=tuple(long_rows(2022, SERANG, L47)) + ((2023, SERANG, 1, "3,5"),)), 96, None, None,
         "galat",
         "baris ini punya 5 kolom, padahal judul kolom punya 4"),
]


ROW_ISSUES = [
    Case("level-0", "lv0.csv", lambda: long_with({5: 0}), 6, "level", "0", "galat",
         "level 0 di luar rentang; diharapkan bilangan bulat 1–5", check=not_loaded),
    Case("level-6", "lv6.csv", lambda: long_with({5: 6}), 6, "level", "6", "galat",
         "level 6 di luar rentang; diharapkan bilangan bulat 1–5", check=not_loaded),
    Case("level-2.5", "lv25.csv", lambda: long_with({7: 2.5}), 8, "level", "2.5", "galat",
         "level 2.5 bukan bilangan bulat", check=not_loaded),
    Case("level-text", "lvteks.csv", lambda: long_with({3: "tiga"}), 4, "level", "tiga", "galat",
         "level 'tiga' bukan angka; diharapkan bilangan bulat 1–5", check=not_loaded),
    Case("level-blank", "lvkosong.csv", lambda: long_with({47: ""}), 48, "level", "", "galat",
         "level kosong; diharapkan bilangan bulat 1–5", check=not_loaded),
    Case("level-mandiri-7", "mandiri.csv", lambda: long_with(mandiri={10: 7}), 11, "level_mandiri", "7", "galat",
         "level mandiri 7 di luar rentang"),
    Case("wide-cell-0", "lebar0.csv", lambda: wide_csv([(2021, SERANG, {**L47, 5: 0})], prefix="I").encode(),
         2, "I5", "0", "galat", "level 0 di luar rentang", check=not_loaded),
    Case("duplicate-indicator-row", "ganda.csv", lambda: long_with(extra=((2021, SERANG, 9, 3),)), 49,
         "no_indikator", "9", "galat", "indikator 9 untuk kota-36.73 tahun 2021 sudah ada di baris 10", check=not_loaded),
    Case("duplicate-wide-row", "ganda_lebar.csv", lambda: wide_csv([(2021, SERANG, L47)] * 2).encode(), 3,
         "instansi_id", SERANG, "galat", "nilai indikator kota-36.73 tahun 2021 sudah ada di baris 2"),
    Case("duplicate-instansi-published", "ganda_pub.csv", lambda: pub(KOTA_SERANG_2024, KOTA_SERANG_2024), 3,
         "nama_instansi", "Pemerintah Kota Serang", "galat", "instansi kota-36.73 tahun 2024 sudah ada di baris 2",
         check=lambda p: len(p.index) == 1 or pytest.fail("second row loaded")),
    Case("incomplete-indicator-set", "kurang.csv", lambda: long_with(drop=(5, 12, 13, 14)), 2, "no_indikator", None,
         "galat", "belum lengkap: indikator 5, 12–14 tidak ada (PermenPANRB 59/2020 punya 47 indikator)",
         check=not_loaded),
    Case("47-indicators-labelled-2019-wide", "2019_lebar.csv", lambda: wide_csv([(2019, SERANG, L47)]).encode(), 2,
         "36", "36", "galat", "tahun 2019 memakai PermenPANRB 5/2018 (35 indikator); indikator 36–47 tidak ada",
         check=not_loaded),
    Case("47-indicators-labelled-2019-long", "2019_panjang.csv", lambda: long_with(tahun=2019), 37, "no_indikator",
         "36", "galat", "tahun 2019 memakai PermenPANRB 5/2018 (35 indikator)", check=not_loaded),
    Case("indicator-split-into-sectors", "sektor.csv",  # a pemda's indicator 35 in 3 sectors: 35-3 missing here
         lambda: long_csv([(2019, SERANG, no, lv) for no, lv in sorted(L35.items())] + [(2019, SERANG, "35-2", 3)]
                          ).encode(), 37, "no_indikator", "35-2", "galat",
         "sektor indikator 35 tidak lengkap: ada 35-2, tidak ada 35-3; PermenPANRB 5/2018 menilai indikator 35 pemda "
         "dalam 3 sektor (35, 35-2, 35-3)", check=not_loaded),
    Case("year-not-numeric", "tahun_teks.csv", lambda: wide_csv([("dua ribu", SERANG, L47)]).encode(), 2, "tahun",
         "dua ribu", "galat", "tahun 'dua ribu' bukan angka tahun; diharapkan tahun evaluasi 2018–2100"),
    Case("year-out-of-range", "tahun_1999.csv", lambda: wide_csv([(1999, SERANG, L47)]).encode(), 2, "tahun", "1999",
         "galat", "tahun 1999 di luar rentang 2018–2100"),
    Case("year-without-instrument", "tahun_2027.csv", lambda: wide_csv([(2027, SERANG, L47)]).encode(), 2, "tahun",
         "2027", "galat", "tidak ada instrumen untuk tahun 2027"),
    Case("year-argument-conflicts-with-file", "tahun_beda.csv", lambda: pub(KOTA_SERANG_2024), 2, "tahun", "2024",
         "galat", "tahun 2024 di berkas berbeda dengan tahun yang dipilih (2023)", kwargs={"tahun": 2023}),
    Case("unknown-instansi-fuzzy-candidate", "srang.csv",
         lambda: pub("2024,Pemerintah Kab Srang,5.0,3.4,2.09,4.13,3.73,Sangat Baik", KOTA_SERANG_2024), 2,
         "nama_instansi", "Pemerintah Kab Srang", "tinjau",
         "nama 'Pemerintah Kab Srang' tidak dikenal; kandidat: Pemerintah Kab. Serang (kemiripan 94)",
         check=lambda p: (list(p.index["instansi_id"]) == [SERANG]
                          and p.matches.set_index("nama_berkas").loc["Pemerintah Kab Srang", "metode"] == "fuzzy")
         or pytest.fail("fuzzy row merged")),
    Case("unknown-instansi-no-candidate", "antah.csv", lambda: pub("2024,Sekretariat Antah Berantah,3,3,3,3,3.00,Baik"),
         2, "nama_instansi", "Sekretariat Antah Berantah", "tinjau", "tidak ada kandidat yang mirip"),
    Case("empty-instansi-name", "tanpa_nama.csv", lambda: pub("2024,,3,3,3,3,3.00,Baik"), 2, "nama_instansi", None,
         "galat", "nama instansi kosong"),
    Case("index-inconsistent-with-domains", "tidak_konsisten.csv",
         lambda: pub("2024,Pemerintah Kota Serang,1.8,1.9,1.0,3.82,2.81,Baik"), 2, "indeks", "2.81", "peringatan",
         "indeks 2,81 ≠ 2,61 dari domain (selisih 0,20",
         check=lambda p: math.isclose(index_of(p, SERANG)["indeks"], 2.81) or pytest.fail("not loaded as published")),
    Case("domain-missing-kept-nan", "d1_kosong.csv",
         lambda: pub("2024,Kementerian Pertanian,,3.5,2.64,4.69,4.00,Sangat Baik"), 2, "d1_kebijakan", "",
         "peringatan", "dibiarkan kosong (bukan 0); konsistensi indeks 4,00 dengan domain tidak dapat diperiksa",
         check=lambda p: math.isnan(p.domains.query("no_domain == 1")["nilai"].iloc[0]) or pytest.fail("D1 not NaN")),
    Case("domain-out-of-range", "d1_06.csv",
         lambda: pub("2024,Pemerintah Provinsi Jawa Timur,0.6,4.4,3.09,4.87,4.43,Memuaskan"), 2, "d1_kebijakan", "0.6",
         "peringatan", "nilai domain D1 (Kebijakan) 0.6 di luar rentang 1–5; dimuat seperti dipublikasikan",
         check=lambda p: p.domains.query("no_domain == 1")["nilai"].iloc[0] == 0.6 or pytest.fail("0.6 changed")),
    Case("domain-not-a-number", "d2_teks.csv",
         lambda: pub("2024,Pemerintah Kota Serang,1.8,n/a,1.0,3.82,2.61,Baik"), 2, "d2_tata_kelola", "n/a", "galat",
         "nilai domain D2 (Tata Kelola) 'n/a' bukan angka"),
    Case("predikat-mismatch", "predikat.csv", lambda: pub("2024,Pemerintah Kota Serang,1.8,1.9,1.0,3.82,2.61,Cukup"),
         2, "predikat", "Cukup", "peringatan", "predikat 'Cukup' tidak sesuai indeks 2,61 (menurut PermenPANRB 59/2020: Baik)",
         check=lambda p: index_of(p, SERANG)["predikat"] == "Cukup" or pytest.fail("predikat not as published")),
    Case("index-missing", "tanpa_indeks.csv", lambda: pub("2024,Pemerintah Kota Serang,1.8,1.9,1.0,3.82,,Baik"), 2,
         "indeks", "", "galat", "indeks kosong; diharapkan Indeks SPBE 1,00–5,00",
         check=lambda p: p.index.empty or pytest.fail("row without index loaded")),
    Case("index-out-of-range", "indeks_62.csv", lambda: pub("2024,Pemerintah Kota Serang,1.8,1.9,1.0,3.82,6.2,Baik"),
         2, "indeks", "6.2", "galat", "indeks 6.2 di luar rentang 1,00–5,00"),
    Case("domain-columns-do-not-fit-instrument", "2019_empat_domain.csv",
         lambda: pub("2019,Pemerintah Kota Serang,1.8,1.9,1.0,3.82,2.61,Baik"), 1, None, None, "galat",
         "kolom domain tidak sesuai instrumen tahun 2019 (PermenPANRB 5/2018, 3 domain"),
    Case("value-in-column-without-header", "koma_desimal.csv", lambda: long_with({6: "2,5"}), 7, None, "5", "galat",
         "berisi nilai di kolom ke-5 yang tidak punya judul kolom"),
    Case("lhe-missing-indicators", "lhe_kurang.txt",
         lambda: lhe_text({k: v for k, v in L47.items() if k not in (5, 40)}).encode(), 12, "No", None, "galat",
         "belum lengkap: indikator 5, 40 tidak ada (PermenPANRB 59/2020 punya 47 indikator)", check=not_loaded),
    Case("lhe-level-6", "lhe_6.txt", lambda: lhe_text({**L47, 2: 6}).encode(), 13, "Nilai Tingkat Kematangan", "6",
         "galat", "level 6 di luar rentang"),
    Case("kab-name-in-kota-row", "kab_di_kota.csv",
         lambda: pub("2024,Kota,Pemerintah Kab. Serang,5.0,3.4,2.09,4.13,3.73,Sangat Baik",
                     head=PUB_HEAD.replace("tahun,", "tahun,kategori,")), 2, "nama_instansi", "Pemerintah Kab. Serang",
         "peringatan", "cocok dengan Pemerintah Kab. Serang (Kabupaten), tetapi baris ini berada di kategori 'Kota'"),
]


def _read(case: Case):
    return read_bytes(case.name, case.data(), master=MASTER, **case.kwargs)


@pytest.mark.parametrize("case", INPUT_ERRORS, ids=lambda c: c.id)
def test_whole_file_problem_raises_input_error(case):
    with pytest.raises(InputError) as exc:
        _read(case)
    issue = exc.value.issue
    assert (issue.berkas, issue.baris, issue.kolom, issue.nilai, issue.tingkat) == (
        case.name, case.baris, case.kolom, case.nilai, case.tingkat)
    assert case.frasa in issue.alasan


@pytest.mark.parametrize("case", ROW_ISSUES, ids=lambda c: c.id)
def test_row_problem_is_reported_exactly(case):
    parsed = _read(case)
    found = [i for i in parsed.report.issues if (i.berkas, i.baris, i.kolom, i.nilai, i.tingkat) == (
        case.name, case.baris, case.kolom, case.nilai, case.tingkat) and case.frasa in i.alasan]
    assert found, parsed.report.format_text()
    assert parsed.report.ok is (case.tingkat == "peringatan")
    if case.check:
        case.check(parsed)


def test_at_least_25_distinct_bad_inputs():
    assert len({c.id for c in INPUT_ERRORS + ROW_ISSUES}) >= 25


def test_file_too_big_is_refused_before_reading(tmp_path):
    path = tmp_path / "besar.csv"
    path.write_bytes(b"\xff" * 500)  # would be a UTF-8 error if it were read
    with pytest.raises(InputError) as exc:
        read_path(path, master=MASTER, max_bytes=100)
    assert "melebihi batas" in exc.value.issue.alasan and exc.value.issue.berkas == "besar.csv"


# --- good inputs that look unusual ---------------------------------------------------------------
def test_decimal_commas_parse_as_numbers():
    data = ("tahun;nama_instansi;d1_kebijakan;d2_tata_kelola;d3_manajemen;d4_layanan;indeks;predikat\n"
            "2024;Pemerintah Kota Serang;1,8;1,9;1,0;3,82;2,61;Baik\n").encode()
    p = read_bytes("koma.csv", data, master=MASTER)
    assert p.report.issues == []
    assert p.index["indeks"].tolist() == [2.61]
    assert p.domains.sort_values("no_domain")["nilai"].tolist() == [1.8, 1.9, 1.0, 3.82]


def test_section_rows_set_context_and_are_not_data():
    p = read_path(PUBLISHED_CSV, master=MASTER, tahun=2024)
    assert p.index["instansi_id"].tolist() == [
        "pusat-kementerian-keuangan", "pusat-kementerian-pertanian", "pusat-badan-pusat-statistik", "prov-35",
        "kab-35.01", "kab-36.04", SERANG]
    assert p.index["baris"].tolist() == [6, 7, 9, 13, 14, 17, 18]


def test_section_context_disambiguates_bare_region_names():
    data = ("Nama;Indeks SPBE\nKABUPATEN;\nSerang;3,73\nKOTA;\nSerang;2,61\n").encode()
    p = read_bytes("serang.csv", data, master=MASTER, tahun=2024)
    assert p.index["instansi_id"].tolist() == ["kab-36.04", SERANG]
    assert not p.report.errors


def test_semicolon_delimited_levels_load():
    p = read_bytes("titikkoma.csv", long_csv(long_rows(2021, SERANG, L47), sep=";").encode(), master=MASTER)
    assert p.report.ok and p.format == "csv-panjang"
    assert dict(zip(p.levels["no_indikator"], p.levels["level"])) == L47


def test_tab_delimited_with_bom_loads():
    text = "\ufeff" + wide_csv([(2021, SERANG, L47)], sep="\t")
    p = read_bytes("tab.tsv", text.encode("utf-8"), master=MASTER)
    assert p.report.ok and p.format == "csv-lebar" and len(p.levels) == 47


def test_rows_of_another_instansi_than_chosen_are_refused():
    data = wide_csv([(2021, SERANG, L47), (2021, "kab-36.04", L47)]).encode()
    p = read_bytes("dua.csv", data, master=MASTER, instansi="Pemerintah Kota Serang")
    [issue] = p.report.errors
    assert (issue.baris, issue.kolom, issue.nilai, issue.tingkat) == (3, "instansi_id", "kab-36.04", "galat")
    assert "bukan instansi yang dipilih (Pemerintah Kota Serang)" in issue.alasan
    assert set(p.levels["instansi_id"]) == {SERANG}
