"""Lembar RPJMD: numbers come from the named queries, DOCX/PDF open and say what the queries say,
the batch CLI makes one file per kab/kota (real DuckDB warehouse, real kaleido + chromium)."""
from __future__ import annotations

import io
import re
import shutil
from datetime import date

import pandas as pd
import pytest

from briefs import BriefError, brief_docx, brief_pdf, build_brief

SERANG, YEAR = "kota-36.73", 2024
TODAY = date(2025, 1, 15)
NUMBER = re.compile(r"\d+(?:\.\d{3})*(?:,\d+)?")


@pytest.fixture(scope="module")
def wh(demo_warehouse):
    from queries.gateway import Warehouse

    w = Warehouse(demo_warehouse)
    yield w
    w.close()


@pytest.fixture(scope="module")
def serang(wh):
    return build_brief(wh, SERANG, YEAR, today=TODAY)


@pytest.fixture(scope="module")
def serang_docx_text(serang):
    from docx import Document

    doc = Document(io.BytesIO(brief_docx(serang)))
    body = [p.text for p in doc.paragraphs]
    footer = [p.text for p in doc.sections[0].footer.paragraphs]
    return body, footer


def _id(text: str) -> float:
    """'1.234,56' → 1234.56"""
    return float(text.replace(".", "").replace(",", "."))


def _decimals(token: str) -> int:
    return len(token.split(",")[1]) if "," in token else 0


def test_brief_numbers_equal_the_query_results(wh, serang):
    p = wh.run("instansi_profile", year=YEAR, instansi_id=SERANG).iloc[0]
    cats = wh.run("category_averages", year=YEAR).set_index("kategori")
    nat = wh.run("national_trend").set_index("tahun")
    gaps = wh.run("indicator_gaps", year=YEAR, instansi_id=SERANG)
    n = serang.numbers
    assert n["indeks"] == p["indeks"] == serang.indeks and serang.predikat == p["predikat"]
    official = cats.loc[p["kategori_ringkas"], "resmi"]
    assert n["rerata_kategori"] == (official if pd.notna(official) else cats.loc[p["kategori_ringkas"], "indeks"])
    assert n["target_nasional"] == nat.loc[YEAR, "target"]
    assert n["indeks_sebelumnya"] == p["indeks_sebelumnya"] and n["tahun_sebelumnya"] == p["tahun_sebelumnya"]
    assert n["selisih_tahun_sebelumnya"] == pytest.approx(abs(p["selisih"]))
    for key in ("peringkat_kategori", "jumlah_kategori", "peringkat_provinsi", "jumlah_provinsi"):
        assert n[key] == p[key]
    below = gaps[gaps["kekurangan"] > 0]
    assert n["jumlah_indikator"] == len(gaps) == 47
    if len(below):
        assert n["indikator_di_bawah_target"] == len(below)
        assert n["poin_tutup_kesenjangan"] == pytest.approx(below["biaya_indeks"].sum())
    assert serang.has_indicators and serang.synthetic and serang.synthetic_own


def test_docx_narrative_numbers_parse_back_to_the_query_results(wh, serang, serang_docx_text):
    body, _ = serang_docx_text
    p = wh.run("instansi_profile", year=YEAR, instansi_id=SERANG).iloc[0]
    narrative = [t for t in body if t in serang.narrative]
    assert narrative == serang.narrative  # the DOCX carries the whole narrative, in order
    first = narrative[0]
    m = re.search(r"tahun (\d{4}) sebesar (\d+,\d{2}) \(([^)]+)\)", first)
    assert m and int(m.group(1)) == YEAR and _id(m.group(2)) == p["indeks"] and m.group(3) == p["predikat"]
    m = re.search(r"rata-rata kota (\d+,\d{2})", first)
    assert m and _id(m.group(1)) == pytest.approx(serang.numbers["rerata_kategori"], abs=0.005)
    m = re.search(r"Peringkat (\d+) dari (\d+) kota", " ".join(narrative))
    assert m and (int(m.group(1)), int(m.group(2))) == (p["peringkat_kategori"], p["jumlah_kategori"])
    # every number written in the narrative is one of the recorded query numbers, as rounded in the text
    values = [v for v in serang.numbers.values() if v is not None]
    for token in NUMBER.findall(" ".join(narrative)):
        t, d = _id(token), _decimals(token)
        assert any(abs(float(v) - t) <= 0.5 * 10 ** -d + 1e-9 for v in values), token


def test_docx_marks_synthetic_data_on_cover_and_footer(serang_docx_text):
    body, footer = serang_docx_text
    assert any("Pemerintah Kota Serang" == t for t in body)
    assert any("DATA SINTETIS" in t for t in footer)
    assert "15 Januari 2025" in " ".join(body)


def test_docx_tables_hold_gaps_and_next_level_requirements(serang):
    from docx import Document

    from domain.guidance import load_guidance

    doc = Document(io.BytesIO(brief_docx(serang)))
    header_rows = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    assert ["Ukuran", "Nilai", "Selisih indeks"] in header_rows
    text = "\n".join(p.text for p in doc.paragraphs)
    guidance = load_guidance(serang.instrument_id)
    steps = [s for a in serang.weakest for s in a.steps]
    assert steps and all(s.syarat == guidance[(s.no_indikator, s.level + 1)] for s in steps)
    assert all(s.syarat in text for s in steps)


def test_pdf_brief_has_pages_with_the_name_and_the_synthetic_footer(serang):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(brief_pdf(serang)))
    pages = [pg.extract_text() for pg in reader.pages]
    assert len(pages) >= 1
    assert "Pemerintah Kota Serang" in pages[0]
    assert all("DATA SINTETIS" in t for t in pages)
    assert "3,88" in pages[0] or f"{serang.indeks:.2f}".replace(".", ",") in pages[0]


def test_charts_are_rendered_into_the_brief(serang):
    for png in (serang.radar_png, serang.trend_png):
        assert png and png[:8] == b"\x89PNG\r\n\x1a\n"


def test_instansi_without_a_score_that_year_raises(wh):
    with pytest.raises(BriefError):
        build_brief(wh, "tidak-ada", YEAR, charts=False)


@pytest.fixture(scope="module")
def domain_only(demo_warehouse, tmp_path_factory):
    """A copy of the demo warehouse where Kota Serang 2024 comes from a published (domain-only)
    table: D1 1.80, D2 1.90, D3 1.00, D4 3.82, index 2.61 Baik (KemenPANRB 2024 results)."""
    from etl.publish import Source, publish
    from queries.gateway import Warehouse

    root = tmp_path_factory.mktemp("wh_domain") / "wh"
    shutil.copytree(demo_warehouse, root)
    ins = "permenpanrb_59_2020"
    domains = pd.DataFrame({"tahun": YEAR, "instansi_id": SERANG, "instrument_id": ins, "no_domain": [1, 2, 3, 4],
                            "nilai": [1.8, 1.9, 1.0, 3.82]})
    index = pd.DataFrame({"tahun": [YEAR], "instansi_id": [SERANG], "instrument_id": [ins], "indeks": [2.61],
                          "predikat": ["Baik"]})
    publish(root, source=Source("uji-publikasi-2024", "Hasil publikasi 2024 (uji)", "publikasi", False, "uji"),
            domains=domains, index=index)
    w = Warehouse(root)
    yield w
    w.close()


def test_domain_only_instansi_says_indicator_detail_is_unavailable(domain_only):
    from docx import Document

    brief = build_brief(domain_only, SERANG, YEAR, today=TODAY)
    assert not brief.has_indicators and brief.numbers["indeks"] == 2.61
    assert "Sebesar 2,61".lower() in brief.narrative[0].lower()
    assert "di bawah rata-rata kota" in brief.narrative[0]
    text = "\n".join(p.text for p in Document(io.BytesIO(brief_docx(brief))).paragraphs)
    assert "Rincian per indikator tidak tersedia" in text
    assert all(a.jenis == "domain" and not a.steps for a in brief.weakest)
    assert list(brief.gap_table.columns)[:2] == ["Domain", "Nilai"]
    # own values are real, comparison means are synthetic: said so, not hidden
    assert brief.synthetic and not brief.synthetic_own and "pembanding" in brief.synthetic_line


def test_report_cli_writes_one_file_per_kab_kota_and_the_province_government(wh, demo_warehouse, tmp_path, capsys):
    import json

    from etl.cli import main

    provinsi = "DI Yogyakarta"
    lst = wh.run("instansi_list")
    kabkota = lst[(lst["provinsi"] == provinsi) & lst["kategori_ringkas"].isin(["Provinsi", "Kabupaten", "Kota"])]
    scored = wh.run("instansi_trend", instansi_ids=list(kabkota["instansi_id"]))
    expected = set(scored.loc[scored["tahun"] == YEAR, "instansi_id"])
    assert len(expected) >= 5 and any(i.startswith("prov-") for i in expected)

    out = tmp_path / "lembar"
    code = main(["--warehouse", str(demo_warehouse), "report", "--year", str(YEAR), "--provinsi", provinsi,
                 "--out", str(out), "--format", "pdf"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    files = sorted(out.glob("*.pdf"))
    assert len(files) == len(expected)
    assert {f.stem for f in files} == {f"lembar_rpjmd_{i.replace('-', '_').replace('.', '_')}_{YEAR}" for i in expected}
    summary = json.loads(captured.out.strip().splitlines()[-1])
    assert summary["instansi"] == len(expected) and summary["gagal"] == 0
    assert f"{len(expected)}/{len(expected)}" in captured.err  # progress bar on stderr


def test_report_cli_fails_clearly_when_nothing_matches(demo_warehouse, tmp_path, capsys):
    from etl.cli import main

    code = main(["--warehouse", str(demo_warehouse), "report", "--year", str(YEAR), "--provinsi", "Atlantis",
                 "--out", str(tmp_path / "x")])
    assert code == 1
    assert "Atlantis" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
