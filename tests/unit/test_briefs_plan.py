"""Lembar RPJMD with the analyst's own assessment and RPJMD plan: the DOCX/PDF print exactly the
scores of the uploaded levels and the plan's numbers; without them the brief is as before.

The upload is an LHE text generated in tests/unit/test_upload.py, read by ui.upload.handle_upload
(the ETL readers); the warehouse is the demo fixture (real DuckDB, never mocked).
"""
from __future__ import annotations

import io
import re
from datetime import date

import pandas as pd
import pytest

from briefs import BriefError, brief_docx, brief_pdf, build_brief, comparison_year, with_assessment
from briefs.layout import key_figures
from domain.guidance import load_guidance
from domain.plan_report import plan_section
from domain.planner import make_plan
from rendering.format import num
from tests.unit.test_upload import SERANG, ins59, lhe_bytes
from ui import upload

TODAY = date(2025, 1, 15)
HEADING = "Rencana pencapaian target (RPJMD)"
YEAR_HEADER = ["Tahun", "Target", "Indeks", "Predikat", "Tercapai", "Indikator dinaikkan"]
RAISE_HEADER = ["Tahun", "No", "Indikator", "Level", "+ Indeks", "Syarat level berikutnya"]
TARGETS = {2025: 3.05, 2026: 3.15, 2027: 3.25, 2028: 3.35, 2029: 3.50}


@pytest.fixture(scope="module")
def wh(demo_warehouse):
    from queries.gateway import Warehouse

    w = Warehouse(demo_warehouse)
    yield w
    w.close()


def uploaded(tahun: int = 2021):
    result = upload.handle_upload(f"lhe_uji_kota_serang_{tahun}.txt", lhe_bytes(tahun=tahun))
    assert result.ok, result.text
    return result.assessments[0]


@pytest.fixture(scope="module")
def serang():
    a = uploaded()
    plan = make_plan(ins59(), a.levels, TARGETS, jadwal="merata")
    return a, plan, plan_section(plan, ins59(), load_guidance(ins59().id))


@pytest.fixture(scope="module")
def base(wh):
    return build_brief(wh, SERANG, 2021, charts=False, today=TODAY)


@pytest.fixture(scope="module")
def with_plan(base, serang):
    a, _, sec = serang
    return with_assessment(base, a, sec)


def docx_parts(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    from docx import Document

    doc = Document(io.BytesIO(data))
    return [p.text for p in doc.paragraphs], [[[c.text for c in r.cells] for r in t.rows] for t in doc.tables]


def table_with(tables, header: list[str]) -> list[list[str]]:
    return next(t[1:] for t in tables if t[0] == header)


def pdf_text(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [re.sub(r"\s+", " ", pg.extract_text()) for pg in PdfReader(io.BytesIO(data)).pages]


def _id(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def test_brief_numbers_hold_the_upload_scores_and_the_plan(with_plan, serang):
    a, plan, sec = serang
    sc = upload.scores(a, ins59())
    n = with_plan.numbers
    assert n["penilaian_sendiri_indeks"] == sc.indeks == 2.97 and n["penilaian_sendiri_tahun"] == 2021
    assert all(n[f"penilaian_sendiri_aspek_{x.kode}"] == sc.aspek[x.no] for x in ins59().aspects)
    assert n["rencana_indeks_awal"] == plan.start_index and n["rencana_jumlah_kenaikan"] == len(sec["kenaikan"])
    for y in plan.years:
        assert (n[f"rencana_{y.year}_indeks"], n[f"rencana_{y.year}_target"]) == (y.index, y.target)
        assert n[f"rencana_{y.year}_jumlah_kenaikan"] == sum(y.steps.values())


def test_docx_with_plan_prints_the_plans_years_indices_and_raised_indicators(with_plan, serang):
    _, plan, sec = serang
    paras, tables = docx_parts(brief_docx(with_plan))
    assert HEADING in paras and sec["ringkasan"] in paras
    rows = table_with(tables, YEAR_HEADER)
    assert [int(r[0]) for r in rows] == [y.year for y in plan.years]
    for r, y in zip(rows, plan.years):
        assert r[2] == num(y.index) and _id(r[2]) == y.index == with_plan.numbers[f"rencana_{y.year}_indeks"]
        assert _id(r[1]) == y.target and r[3] == y.predikat and r[4] == ("ya" if y.met else "tidak")
        raised = [int(part.split()[0]) for part in r[5].split("; ")] if r[5] != "—" else []
        assert raised == y.raise_
    assert sum(len(y.raise_) for y in plan.years) > 0
    ups = table_with(tables, RAISE_HEADER)
    assert [(int(r[0]), int(r[1]), r[3], r[4], r[5]) for r in ups] == [
        (k["tahun"], k["no_indikator"], f"{k['dari_level']} → {k['ke_level']}", "+" + num(k["tambah_indeks"], 3),
         k["syarat"]) for k in sec["kenaikan"]]
    assert not any(r[2].startswith("Tingkat Kematangan") for r in ups)  # short names
    assert sec["catatan"] and all(t in paras for t in sec["catatan"])  # e.g. the instrument's validity


def test_docx_cover_puts_the_own_assessment_next_to_the_warehouse_figure(with_plan, base):
    paras, tables = docx_parts(brief_docx(with_plan))
    cover = " ".join(c for t in tables[:3] for r in t for c in r)
    assert "LHE RESMI KEMENPANRB" in cover and "lhe_uji_kota_serang_2021.txt" in cover and "tidak dipublikasikan" in cover
    figures = dict(key_figures(with_plan))
    assert figures["Indeks SPBE 2021"] == num(base.indeks) and figures["LHE resmi KemenPANRB 2021"] == "2,97 (Baik)"
    labels = [label for label, _ in key_figures(with_plan)]
    assert labels.index("LHE resmi KemenPANRB 2021") == labels.index("Predikat") + 1
    compare = table_with(tables, ["Komponen", "Gudang data 2021", "LHE resmi KemenPANRB 2021", "Selisih"])
    assert compare[0][:3] == ["Indeks SPBE", num(base.indeks), "2,97"]
    sc = upload.scores(uploaded(), ins59())
    aspek = {r[0].split()[0]: r[2] for r in compare if r[0][:1] == "A"}
    assert aspek == {x.kode: num(sc.aspek[x.no]) for x in ins59().aspects}


def test_pdf_with_plan_has_the_plan_section_and_the_cover_notice(with_plan, serang):
    _, plan, sec = serang
    pages = pdf_text(brief_pdf(with_plan))
    text = " ".join(pages)
    assert "LHE RESMI KEMENPANRB" in pages[0] and "LHE resmi KemenPANRB 2021" in pages[0]
    assert HEADING in text and "Kenaikan level dan syarat level berikutnya" in text
    assert re.sub(r"\s+", " ", sec["ringkasan"]) in text
    assert all(f"{y.year} {num(y.target)} {num(y.index)} {y.predikat}" in text for y in plan.years)
    assert all("memuat lhe resmi kemenpanrb" in p for p in pages[1:])


def test_brief_without_assessment_has_no_plan_section_and_is_not_changed(base, with_plan, serang):
    paras, tables = docx_parts(brief_docx(base))
    text = " ".join(paras + [c for t in tables for r in t for c in r])
    assert HEADING not in text and "LHE RESMI KEMENPANRB" not in text and "LHE resmi KemenPANRB" not in text
    assert HEADING not in " ".join(pdf_text(brief_pdf(base)))
    assert base.assessment is None and base.plan is None and key_figures(base) == base.key_figures
    assert not any(k.startswith(("rencana_", "penilaian_sendiri_")) for k in base.numbers)  # copy, not mutated
    only_scores = with_assessment(base, serang[0])
    paras, _ = docx_parts(brief_docx(only_scores))
    assert "LHE resmi KemenPANRB dibanding gudang data" in paras and HEADING not in paras


def test_upload_year_missing_from_the_warehouse_compares_with_the_latest_year(wh):
    a = uploaded(2025)
    trend = wh.run("instansi_trend", instansi_ids=[SERANG])
    year = comparison_year(trend, a.tahun, a.instrument_id)
    assert year == 2024 == max(trend.loc[trend["instrument_id"] == a.instrument_id, "tahun"])
    brief = with_assessment(build_brief(wh, SERANG, year, charts=False, today=TODAY), a)
    paras, _ = docx_parts(brief_docx(brief))
    said = " ".join(paras)
    assert "Tahun 2025 tidak ada di gudang data" in said and "pembanding memakai tahun terakhir yang ada (2024)" in said
    assert dict(key_figures(brief)).keys() >= {"Indeks SPBE 2024", "LHE resmi KemenPANRB 2025"}


def test_comparison_year_prefers_the_same_instrument():
    trend = pd.DataFrame({"tahun": [2019, 2020, 2021, 2022], "instrument_id": ["lama", "lama", "baru", "baru"]})
    assert comparison_year(trend, 2021, "baru") == 2021
    assert comparison_year(trend, 2024, "baru") == 2022
    assert comparison_year(trend, 2024, "lain") == 2022   # different instrument: latest year, brief says so
    assert comparison_year(trend.iloc[:0], 2021, "baru") is None


def test_assessment_of_another_instansi_or_plan_from_other_levels_is_refused(wh, serang):
    a, _, sec = serang
    other = build_brief(wh, "kota-32.75", 2021, charts=False, today=TODAY)
    with pytest.raises(BriefError):
        with_assessment(other, a)
    higher = make_plan(ins59(), {**a.levels, 1: 4}, TARGETS)
    with pytest.raises(ValueError):
        with_assessment(build_brief(wh, SERANG, 2021, charts=False, today=TODAY), a,
                        plan_section(higher, ins59(), {}))


def test_page_download_callable_builds_the_brief_with_the_plan(wh, serang):
    from ui import downloads

    a, plan, sec = serang
    paras, tables = docx_parts(downloads._plan_brief_file(wh.snapshot_id, SERANG, 2021, "docx", wh, a, sec))
    assert HEADING in paras
    assert [r[2] for r in table_with(tables, YEAR_HEADER)] == [num(y.index) for y in plan.years]
    assert downloads._plan_brief_file(wh.snapshot_id, SERANG, 2021, "pdf", wh, a, sec)[:5] == b"%PDF-"
    export = downloads.plan_export_frame(sec)
    assert len(export) == len(sec["kenaikan"]) + sum(not y.raise_ for y in plan.years) and "syarat" in export.columns


def test_an_uploaded_kemenpanrb_lhe_is_never_called_a_self_assessment_but_a_template_is(base, serang):
    from dataclasses import replace as dc_replace

    from briefs.layout import assessment_line, own_label

    brief = with_assessment(base, serang[0])
    assert brief.assessment.sumber.startswith("LHE resmi KemenPANRB")
    assert own_label(brief.assessment) == "LHE resmi KemenPANRB" and "PENILAIAN SENDIRI" not in assessment_line(brief)
    template = dc_replace(brief, assessment=dc_replace(brief.assessment, sumber="penilaian mandiri (unggahan sesi ini)"))
    assert own_label(template.assessment) == "Penilaian sendiri"
    assert "PENILAIAN SENDIRI" in assessment_line(template)
