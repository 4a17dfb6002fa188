"""ui.upload: uploaded files are judged by the ETL readers' own rules and turned into plain frames.

Fixtures are built here (no file from ../shared): an LHE text in the layout of a real LHE, the
download templates filled in, and a few bad files.
"""
from __future__ import annotations

import io
import zipfile
from fractions import Fraction

import pandas as pd
import pytest

from domain.guidance import load_guidance
from domain.instrument import load_registry
from domain.scoring import score_levels
from ui import upload

SERANG_2021 = [1, 1, 3, 2, 3, 4, 3, 4, 3, 3, 2, 2, 2, 3, 2, 3, 4, 4, 3, 3, 2, 3, 3, 3, 1, 2, 3, 3,
               1, 1, 1, 4, 3, 3, 4, 3, 2, 3, 3, 3, 3, 3, 3, 4, 5, 5, 4]
SERANG = "kota-36.73"


def ins59():
    return load_registry().by_id("permenpanrb_59_2020")


def lhe_text(levels=SERANG_2021, tahun: int = 2021, nama: str = "PEMERINTAH KOTA SERANG") -> str:
    """An LHE as text: cover with year and instansi, some prose, then the indicator table."""
    rows = "\n".join(f"{i.no}\tTingkat Kematangan {i.nama}\t{lv}" for i, lv in zip(ins59().indicators, levels))
    return (f"LAPORAN HASIL EVALUASI\n\nSistem Pemerintahan Berbasis Elektronik\n\nINDEKS SPBE TAHUN {tahun}\n\n"
            f"{nama}\n\nKATA PENGANTAR\n\nEvaluasi SPBE dilaksanakan dengan instrumen 47 indikator.\n\n"
            "Perolehan Nilai Tingkat Kematangan Indikator\n\n"
            "Target nilai tingkat kematangan untuk setiap indikator adalah 3 (tiga)\n\n"
            f"No\tIndikator\tNilai Tingkat Kematangan\n{rows}\n")


def lhe_bytes(**kw) -> bytes:
    return lhe_text(**kw).encode()


def final_vs_self_csv(final=SERANG_2021, mandiri: dict[int, int] | None = None, tahun: int = 2021) -> bytes:
    """The layout of an agency's own monitoring records: level_final and level_mandiri per indicator."""
    ins = ins59()
    mandiri = mandiri or {}
    lines = ["tahun,no_indikator,nama_indikator,id_aspek,bobot_indikator_pct,level_final,level_mandiri"]
    for i, lv in zip(ins.indicators, final):
        lines.append(f'{tahun},{i.no},"{i.nama}",{i.no_aspek},{i.bobot},{lv},{mandiri.get(i.no, lv)}')
    return ("\n".join(lines) + "\n").encode()


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def long_csv(changes: dict[int, object] | None = None, drop=()) -> bytes:
    levels = {**dict(zip(range(1, 48), SERANG_2021)), **(changes or {})}
    rows = [f"2021,{SERANG},{no},{lv}" for no, lv in sorted(levels.items()) if no not in drop]
    return ("tahun,instansi_id,no_indikator,level\n" + "\n".join(rows) + "\n").encode()


# (name, bytes, read_bytes kwargs): files the ETL refuses, whole-file or row by row
BAD_FILES = {
    "kosong": ("kosong.csv", b"", {}),
    "word": ("nilai.xlsx", docx_bytes(), {}),
    "biner": ("nilai.csv", bytes(range(256)) * 8, {}),
    "bukan-utf8": ("nilai.csv", "tahun,instansi_id,no_indikator,level\n2021,Kota Bekasi \xe9,1,3\n".encode("latin-1"), {}),
    "level-7": ("nilai.csv", long_csv({5: 7}), {}),
    "tanpa-indikator-47": ("nilai.csv", long_csv(drop=(47,)), {}),
    "lhe-tanpa-tabel": ("lhe.txt", b"INDEKS SPBE TAHUN 2021\nPEMERINTAH KOTA SERANG\n"
                        b"Perolehan Nilai Tingkat Kematangan Indikator\ntidak ada tabel\n", {}),
    "lhe-instansi-lain": ("lhe.txt", lhe_bytes(), {"instansi": "kota-32.75"}),
    "kolom-tidak-dikenal": ("nilai.csv", b"a,b,c\n1,2,3\n", {}),
}


def etl_message(name: str, data: bytes, **kw) -> str:
    """What the ETL itself says about a file (same size limit as the upload)."""
    from etl.readers import InputError, read_bytes

    try:
        parsed = read_bytes(name, data, max_bytes=upload.MAX_UPLOAD_BYTES, **kw)
    except InputError as exc:
        return str(exc)
    assert not parsed.report.ok, "not a bad file"
    return parsed.report.format_text(limit=upload.REPORT_LIMIT)


# --- good files ---------------------------------------------------------------------------------
def test_lhe_text_is_read_and_scored_like_the_etl():
    result = upload.handle_upload("lhe_serang.txt", lhe_bytes())
    assert result.ok and result.format == "lhe-teks" and result.errors == 0
    (a,) = result.assessments
    assert (a.tahun, a.instansi_id, a.kategori_ringkas, a.instrument_id) == (2021, SERANG, "Kota", "permenpanrb_59_2020")
    assert a.levels == dict(zip(range(1, 48), SERANG_2021)) and a.mandiri == {}
    assert upload.scores(a, ins59()).indeks == 2.97


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_filled_template_round_trips(fmt):
    ins = ins59()
    blank = upload.template_frame(ins, 2024, SERANG, "Kota Serang")
    assert list(blank.columns) == upload.TEMPLATE_COLUMNS and len(blank) == 47
    write = upload.template_csv if fmt == "csv" else upload.template_xlsx
    rejected = upload.handle_upload(f"templat.{fmt}", write(blank))
    assert not rejected.ok and "level kosong" in rejected.text
    mandiri = {1: 2, 25: 3, 45: 4}
    filled = blank.assign(level=SERANG_2021, level_mandiri=[mandiri.get(n, "") for n in range(1, 48)])
    result = upload.handle_upload(f"templat.{fmt}", write(filled))
    assert result.ok, result.text
    (a,) = result.assessments
    assert a.tahun == 2024 and a.instansi_id == SERANG and a.levels == dict(zip(range(1, 48), SERANG_2021))
    assert a.mandiri == mandiri
    # by name only (no id): the master resolves it
    by_name = upload.handle_upload(f"templat.{fmt}", write(filled.assign(instansi_id="")))
    assert by_name.ok and by_name.assessments[0].instansi_id == SERANG


def test_self_assessment_difference_costs_index_points():
    ins = ins59()
    mandiri = {1: 3, 2: 2, 29: 2, 45: 4, 11: 3}
    result = upload.handle_upload("pemantauan.csv", final_vs_self_csv(mandiri=mandiri), instansi=SERANG)
    assert result.ok, result.text
    (a,) = result.assessments
    diff = upload.self_vs_final(a, ins)
    assert list(diff["no_indikator"]) == sorted(mandiri)
    assert list(diff["selisih_level"]) == [mandiri[n] - SERANG_2021[n - 1] for n in sorted(mandiri)]
    expected = sum(Fraction(ins.indicator(n).bobot) * (m - SERANG_2021[n - 1]) / 100 for n, m in mandiri.items())
    assert float(expected) == pytest.approx(diff["selisih_indeks"].sum(), abs=1e-12)
    final, own = upload.scores(a, ins), upload.scores(a, ins, mandiri=True)
    assert own.indeks_exact - final.indeks_exact == pytest.approx(float(expected), abs=1e-12)
    assert own.indeks == score_levels(ins, {**a.levels, **mandiri}).indeks


def test_file_with_two_years_gives_two_assessments():
    data = final_vs_self_csv(tahun=2022) + final_vs_self_csv(tahun=2023).split(b"\n", 1)[1]
    result = upload.handle_upload("dua_tahun.csv", data, instansi=SERANG)
    assert result.ok and [a.tahun for a in result.assessments] == [2022, 2023]


def test_gap_table_lists_indicators_below_target_with_next_level_requirement():
    ins = ins59()
    a = upload.handle_upload("lhe.txt", lhe_bytes()).assessments[0]
    gaps = upload.gap_table(a, ins, load_guidance(ins.id))
    below = [n for n, lv in zip(range(1, 48), SERANG_2021) if lv < 3]
    assert sorted(gaps["no_indikator"]) == below
    assert list(gaps["biaya_indeks"]) == sorted(gaps["biaya_indeks"], reverse=True)
    total = sum(Fraction(ins.indicator(n).bobot) * (3 - SERANG_2021[n - 1]) / 100 for n in below)
    assert gaps["biaya_indeks"].sum() == pytest.approx(float(total))
    guidance = load_guidance(ins.id)
    for row in gaps.itertuples():
        assert row.syarat == guidance[(row.no_indikator, row.level + 1)]


def test_components_carry_national_and_category_means():
    ins = ins59()
    a = upload.handle_upload("lhe.txt", lhe_bytes()).assessments[0]
    means = pd.DataFrame({"kategori": ["Nasional", "Kota", "Kabupaten"], "komponen": ["A1", "A1", "A1"],
                          "jenis": ["aspek"] * 3, "nilai": [2.0, 2.5, 9.0]})
    comp = upload.components(a, ins, means)
    assert len(comp) == len(ins.domains) + len(ins.aspects)
    a1 = comp[(comp["jenis"] == "aspek") & (comp["kode"] == "A1")].iloc[0]
    assert (a1["rerata_nasional"], a1["rerata_kategori"]) == (2.0, 2.5)
    assert a1["nilai"] == pytest.approx(score_levels(ins, a.levels).aspek[1])
    assert comp.loc[comp["kode"] != "A1", "rerata_nasional"].isna().all()  # missing stays missing


def test_means_year_prefers_the_upload_year_then_latest_on_the_same_instrument():
    reg = load_registry()
    a = upload.handle_upload("lhe.txt", lhe_bytes()).assessments[0]
    assert upload.means_year(a, [2019, 2021, 2024], reg) == 2021
    assert upload.means_year(a, [2019, 2022, 2024], reg) == 2024
    assert upload.means_year(a, [2019, 2020], reg) is None


# --- bad files: the ETL's own messages ----------------------------------------------------------
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_rejected_with_the_etl_message(case):
    name, data, kw = BAD_FILES[case]
    result = upload.handle_upload(name, data, **kw)
    assert not result.ok and not result.assessments
    assert result.text == etl_message(name, data, **kw)
    assert result.text and result.reason is None


def test_size_is_checked_before_parsing(monkeypatch):
    import etl.readers

    def no_parsing(*a, **k):
        raise AssertionError("parsed a file over the size limit")

    monkeypatch.setattr(etl.readers, "sniff_kind", no_parsing)
    data = b"tahun,instansi_id,no_indikator,level\n" + b"2021,kota-36.73,1,3\n" * 300_000
    assert len(data) > upload.MAX_UPLOAD_BYTES
    result = upload.handle_upload("besar.csv", data)
    assert not result.ok and f"melebihi batas {upload.MAX_UPLOAD_MB}" in result.text
    assert result.text == etl_message("besar.csv", data)  # the ETL's message for the same limit


def test_unsupported_type_and_published_results_are_refused_with_a_reason():
    docx = upload.handle_upload("laporan.docx", docx_bytes())
    assert not docx.ok and ".docx" in docx.reason
    published = ("tahun,nama_instansi,d1_kebijakan,d2_tata_kelola,d3_manajemen,d4_layanan,indeks,predikat\n"
                 "2024,Pemerintah Kota Serang,1.8,1.9,1.0,3.82,2.61,Baik\n").encode()
    result = upload.handle_upload("hasil.csv", published)
    assert not result.ok and "hasil publikasi" in result.reason and not result.assessments


def test_template_xlsx_is_a_single_sheet_workbook():
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(upload.template_xlsx(upload.template_frame(ins59(), 2024))))
    assert wb.sheetnames == ["Nilai indikator"]
    assert [c.value for c in wb.active[1]] == upload.TEMPLATE_COLUMNS and wb.active.max_row == 48
