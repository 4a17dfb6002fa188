"""Lembar RPJMD for the RPJMD (issue 13 item 4): the province's kab/kota mean (recomputed) and a year
table, no internal words, a province brief in `etl report --provinsi`, and the page count the README
states (real DuckDB warehouses, real kaleido + chromium, pages counted with pypdf)."""
from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest

from briefs import brief_docx, brief_pdf, build_brief
from briefs.batch import select_instansi

SERANG, PROV, YEAR = "kota-36.73", "prov-36", 2024
TODAY = date(2025, 1, 15)
README = Path(__file__).resolve().parents[2] / "README.md"
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


@pytest.fixture(scope="module")
def wh(demo_warehouse):
    from queries.gateway import Warehouse

    w = Warehouse(demo_warehouse)
    yield w
    w.close()


def _banten_kab_kota_mean(wh) -> tuple[float, int]:
    rank = wh.run("ranking", year=YEAR)
    part = rank[(rank["provinsi"] == "Banten") & rank["kategori"].isin(["Kabupaten", "Kota"]) & rank["indeks"].notna()]
    return float(part["indeks"].mean()), len(part)


def _pdf_text(data: bytes) -> tuple[str, int]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() or "" for p in reader.pages), len(reader.pages)


def _docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture(scope="module")
def serang(wh):
    return build_brief(wh, SERANG, YEAR, today=TODAY)


def test_brief_has_the_province_kab_kota_mean_recomputed_and_labelled(wh, serang):
    mean, count = _banten_kab_kota_mean(wh)
    assert serang.numbers["rerata_provinsi"] == pytest.approx(mean)
    assert serang.numbers["jumlah_kab_kota_provinsi"] == count
    label = f"Rata-rata {count} kab/kota se-Provinsi Banten (dihitung ulang)"
    row = serang.target_table[serang.target_table["Ukuran"] == label]
    assert len(row) == 1 and row["Nilai"].iloc[0] == pytest.approx(mean)
    assert label in _docx_text(brief_docx(serang))


def test_province_government_brief_compares_with_its_own_kab_kota(wh):
    mean, count = _banten_kab_kota_mean(wh)
    brief = build_brief(wh, PROV, YEAR, charts=False, today=TODAY)
    assert brief.numbers["rerata_provinsi"] == pytest.approx(mean)
    assert f"Rata-rata {count} kab/kota di Provinsi Banten (dihitung ulang)" in set(brief.target_table["Ukuran"])


def test_brief_has_a_year_table_from_instansi_trend(wh, serang):
    trend = wh.run("instansi_trend", instansi_ids=[SERANG]).dropna(subset=["indeks"]).sort_values("tahun")
    table = serang.year_table
    assert table["Tahun"].tolist() == trend["tahun"].astype(int).tolist()
    assert table["Indeks SPBE"].tolist() == pytest.approx(trend["indeks"].tolist())
    assert table["Predikat"].tolist() == trend["predikat"].tolist()
    from docx import Document

    headers = [tuple(c.text for c in t.rows[0].cells) for t in Document(io.BytesIO(brief_docx(serang))).tables]
    assert ("Tahun", "Indeks SPBE", "Predikat", "Perubahan", "Instrumen") in headers


def test_brief_has_no_internal_words(serang):
    docx_text = _docx_text(brief_docx(serang)).lower()
    pdf_text, _ = _pdf_text(brief_pdf(serang))
    for text in (docx_text, pdf_text.lower()):
        for word in ("seed", "skala", "warehouse", "snapshot", "query"):
            assert not re.search(rf"\b{word}\b", text), word


def test_report_for_a_province_includes_the_province_government(wh):
    chosen = select_instansi(wh, YEAR, provinsi="Banten")
    assert chosen["instansi_id"].iloc[0] == PROV and chosen["kategori"].iloc[0] == "Provinsi"
    assert set(chosen["kategori"]) == {"Provinsi", "Kabupaten", "Kota"}
    assert select_instansi(wh, YEAR, provinsi="36")["instansi_id"].tolist() == chosen["instansi_id"].tolist()


def test_pdf_brief_has_the_page_count_the_readme_states(official_warehouse, wh):
    from queries.gateway import Warehouse

    readme = README.read_text(encoding="utf-8")
    m = re.search(r"\b(\w+)-page brief", readme)
    assert m, "README names the brief's length ('a N-page brief')"
    promised = WORDS[m.group(1).lower()]
    lhe = re.search(r"(\d+) pages? with indicator levels", readme)
    official = Warehouse(official_warehouse)
    try:
        _, pages = _pdf_text(brief_pdf(build_brief(official, SERANG, YEAR, today=TODAY)))
    finally:
        official.close()
    assert pages == promised
    _, pages_lhe = _pdf_text(brief_pdf(build_brief(wh, SERANG, YEAR, today=TODAY)))  # demo: 47 indicator levels
    assert lhe and pages_lhe <= int(lhe.group(1))
