"""TAUVAL export reader (etl/readers/tauval.py): shapes, D20nn/A20nn mapping, 10-decimal strings,
predikat on the unrounded index, unknown codes refused by name, inconsistent records reported by
name and kept as published."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.readers import InputError, read_bytes, read_path
from etl.readers.published import row_notes
from etl.report import GALAT, PERINGATAN, TINJAU

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "etl" / "tauval"
SERANG = "Pemerintah Kota Serang"


def record(nama: str = SERANG, tahun="2025", kategori: str = "Kota", **nilai) -> dict:
    """A consistent record (every aspect 3 → every domain 3 → index 3), with `nilai` overrides."""
    values = {f"D20{k:02d}": "3.0000000000" for k in range(1, 5)}
    values |= {f"A20{k:02d}": "3.0000000000" for k in range(1, 9)}
    values["indeks"] = "3.0000000000"
    values.update(nilai)
    return {"kode": "9999", "tahun": tahun, "nama_instansi": nama, "kategori": kategori, "daerah": "Daerah",
            "nilai": {k: v for k, v in values.items() if v is not ...}}


def read(doc, name: str = "ekspor.json", **kwargs):
    return read_bytes(name, json.dumps(doc).encode(), **kwargs)


def issues(parsed, tingkat=None):
    return [i for i in parsed.report.issues if tingkat is None or i.tingkat == tingkat]


def test_a_list_maps_codes_to_the_instrument_of_the_year():
    p = read_path(FIXTURES / "tauval_daftar_2025.json")
    assert (p.jenis, p.format) == ("hasil_publikasi", "tauval-json")
    assert p.report.ok and p.levels is None
    assert list(p.index["instansi_id"]) == ["pusat-kementerian-keuangan", "kota-36.73", "prov-35", "kota-32.73"]
    assert list(p.index["baris"]) == [1, 2, 3, 4]
    assert set(p.index["instrument_id"]) == {"permenpanrb_59_2020"}
    kemenkeu = p.domains[p.domains["baris"] == 1].set_index("no_domain")["nilai"]
    assert list(kemenkeu.index) == [1, 2, 3, 4]
    assert kemenkeu[4] == pytest.approx(4.3186813187, abs=1e-12)      # "4.3186813187" as written
    asp = p.aspects[p.aspects["baris"] == 1].set_index("no_aspek")["nilai"]
    assert list(asp.index) == list(range(1, 9)) and asp[8] == 4.5 and asp[7] == 4.2
    assert list(p.aspects.columns) == ["tahun", "instansi_id", "instrument_id", "no_aspek", "nilai", "baris"]
    assert p.index.set_index("baris").loc[1, "indeks"] == 4.375


def test_predikat_is_the_band_of_the_unrounded_index():
    p = read_path(FIXTURES / "tauval_daftar_2025.json")
    serang = p.index.set_index("instansi_id").loc["kota-36.73"]
    assert serang["indeks"] == pytest.approx(2.5996) and serang["predikat"] == "Cukup"   # printed 2,60, still Cukup
    q = read([record(**{"indeks": "2.5996", "D2001": "2.5996", "D2002": "2.5996", "D2003": "2.5996",
                        "D2004": "2.5996"}, **{f"A20{k:02d}": "2.5996" for k in range(1, 9)})])
    assert q.report.ok and q.index.loc[0, "predikat"] == "Cukup"
    assert read([record(indeks="2.6000000000", **{f"D20{k:02d}": "2.6" for k in range(1, 5)},
                        **{f"A20{k:02d}": "2.6" for k in range(1, 9)})]).index.loc[0, "predikat"] == "Baik"


@pytest.mark.parametrize("shape", ["satu", "bungkus", "data-objek", "kunci-lain"])
def test_the_accepted_shapes(shape):
    if shape == "satu":
        p = read_path(FIXTURES / "tauval_satu.json")
        assert list(p.index["instansi_id"]) == ["pusat-kementerian-keuangan"]
        return
    if shape == "bungkus":
        p = read_path(FIXTURES / "tauval_bungkus.json")
        assert list(p.index["instansi_id"]) == ["pusat-kementerian-keuangan", "kota-36.73"]
        return
    doc = {"data": record()} if shape == "data-objek" else {"status": 200, "records": [record()]}
    p = read(doc)
    assert p.report.ok and list(p.index["instansi_id"]) == ["kota-36.73"]


def test_detection_is_by_content_not_by_extension():
    p = read([record()], name="ekspor.csv")
    assert p.format == "tauval-json"
    csv = read_bytes("hasil.json", b"tahun,nama_instansi,indeks\n2024,Pemerintah Kota Serang,2.61\n")
    assert csv.format == "publikasi-csv"


def test_values_as_json_numbers_are_read_exactly():
    doc = json.loads(json.dumps(record()).replace('"3.0000000000"', "3.0000000000"))
    p = read(doc)
    assert p.report.ok and p.index.loc[0, "indeks"] == 3.0 and len(p.aspects) == 8


def test_an_unknown_code_is_refused_naming_the_record_and_the_code():
    p = read_path(FIXTURES / "tauval_kode_asing.json")
    assert not p.report.ok
    (bad,) = issues(p, GALAT)
    assert (bad.baris, bad.instansi, bad.kolom) == (2, SERANG, "nilai.A2009")
    assert "kode 'A2009' tidak dikenal" in bad.alasan and "aspek 9 tidak ada di PermenPANRB 59/2020" in bad.alasan
    assert "tauval_kode_asing.json:2, Pemerintah Kota Serang" in bad.line()
    assert list(p.index["baris"]) == [1]          # the record is not loaded


@pytest.mark.parametrize("key", ["D2005", "A2000", "X1", "D1801", "predikat"])
def test_other_unknown_keys_are_refused_too(key):
    p = read([record(**{key: "3.0"})])
    (bad,) = issues(p, GALAT)
    assert bad.kolom == f"nilai.{key}" and f"kode '{key}' tidak dikenal" in bad.alasan and bad.instansi == SERANG


@pytest.mark.parametrize("value, why", [("tiga", "bukan angka"), ("7.5", "di luar rentang 0–5"),
                                        ("-1", "di luar rentang 0–5"), ("NaN", "bukan angka")])
def test_a_value_that_is_not_a_score_is_refused(value, why):
    p = read([record(A2003=value)])
    (bad,) = issues(p, GALAT)
    assert bad.kolom == "nilai.A2003" and why in bad.alasan and p.index.empty


def test_an_index_missing_or_out_of_range_is_refused():
    for nilai in ({"indeks": ...}, {"indeks": None}, {"indeks": "0.5"}):
        p = read([record(**nilai)])
        (bad,) = issues(p, GALAT)
        assert bad.kolom == "nilai.indeks" and bad.instansi == SERANG and p.index.empty


def test_inconsistent_records_are_reported_by_name_and_kept():
    p = read_path(FIXTURES / "tauval_daftar_2025.json")
    warn = {(i.baris, i.instansi, i.kolom): i.alasan for i in issues(p, PERINGATAN)}
    jatim, bandung = "Pemerintah Provinsi Jawa Timur", "Pemerintah Kota Bandung"
    assert set(warn) == {(3, jatim, "nilai.D2001"), (3, jatim, "nilai.indeks"), (4, bandung, "nilai.D2002")}
    assert "bernilai 0 padahal aspeknya terisi (A2001 4,60)" in warn[(3, jatim, "nilai.D2001")]
    assert "indeks 4,42 ≠ 3,82 dari domain" in warn[(3, jatim, "nilai.indeks")]
    assert "domain D2 (Tata Kelola) 3,00 ≠ 3,40 dari aspeknya" in warn[(4, bandung, "nilai.D2002")]
    assert all("dimuat seperti dipublikasikan" in a for a in warn.values())
    kept = p.domains.set_index(["instansi_id", "no_domain"])["nilai"]
    assert kept[("prov-35", 1)] == 0.0 and kept[("kota-32.73", 2)] == 3.0   # as published, not "fixed"
    notes = row_notes(p.report, p.index)
    assert sorted(zip(notes["instansi_id"], notes["kolom"])) == [
        ("kota-32.73", "nilai.D2002"), ("prov-35", "nilai.D2001"), ("prov-35", "nilai.indeks")]
    assert notes.set_index("kolom").loc["nilai.D2001", "nilai"] == "0.0000000000"


def test_missing_values_are_missing_not_zero():
    p = read([record(D2003=None, A2005="")])
    assert p.report.ok
    texts = [i.alasan for i in issues(p, PERINGATAN)]
    assert any("D2003 (D3 Manajemen) kosong (bukan 0)" in t for t in texts)
    assert any("A2005 (A5 Manajemen) kosong" in t for t in texts)
    d3 = p.domains.set_index("no_domain").loc[3, "nilai"]
    assert d3 != d3                                          # NaN, not 0
    domain_only = read([{**record(), "nilai": {"D2001": "3", "D2002": "3", "D2003": "3", "D2004": "3",
                                                "indeks": "3"}}])
    assert domain_only.report.ok and domain_only.aspects.empty and not issues(domain_only)


def test_matching_year_and_duplicates_name_the_record():
    p = read([record(), record(nama="Pemerintah Kota Serangg"), record(tahun="2031"), record()])
    by_row = {i.baris: i for i in p.report.issues}
    assert by_row[2].tingkat == TINJAU and by_row[2].instansi == "Pemerintah Kota Serangg"
    assert by_row[3].kolom == "tahun" and "tidak ada instrumen untuk tahun 2031" in by_row[3].alasan
    assert by_row[4].tingkat == GALAT and "sudah ada di baris 1" in by_row[4].alasan and by_row[4].instansi == SERANG
    other = read([record()], tahun=2024)
    assert "berbeda dengan tahun yang dipilih (2024)" in issues(other, GALAT)[0].alasan


def test_a_record_that_is_not_an_object_is_named_by_position():
    p = read([record(), "bukan rekaman", {"nama_instansi": SERANG}])
    bad = {i.baris: i for i in issues(p, GALAT)}
    assert set(bad) == {2, 3} and bad[2].instansi == "rekaman ke-2" and bad[3].instansi == SERANG
    assert list(p.index["baris"]) == [1]


@pytest.mark.parametrize("data, expect", [
    (b'{"nilai": {"D2001": "3"', "JSON tidak valid"),
    (b'[{"nama": "x"}]', "bukan ekspor TAUVAL"),
    (b"[]", "kosong"),
    (b'{"a": [1], "b": [2]}', "tepat satu daftar rekaman"),
    (b"[" * 100000, "JSON"),
    (b'[{"nilai": {"indeks": NaN}}]', "JSON"),
])
def test_whole_file_problems_are_refused(data, expect):
    with pytest.raises(InputError) as exc:
        read_bytes("ekspor.json", data)
    assert expect in str(exc.value)
