"""Lembar RPJMD: a printable per-instansi brief (DOCX/PDF) built from the dashboard's named queries.

    from briefs import build_brief, brief_docx, brief_pdf
    brief = build_brief(Warehouse(root), "kota-36.73", 2024)
    Path("serang.pdf").write_bytes(brief_pdf(brief))
    brief = with_assessment(brief, uploaded, plan_section(plan, instrument, guidance))  # own levels + plan

No Streamlit here: the CLI (`python -m etl report`) and the dashboard use the same code.
"""
from briefs.assessment import comparison_year, with_assessment
from briefs.brief import Brief, BriefError, OwnAssessment, build_brief
from briefs.docx_writer import brief_docx
from briefs.pdf_writer import brief_pdf

__all__ = ["Brief", "BriefError", "OwnAssessment", "build_brief", "brief_docx", "brief_pdf", "comparison_year",
           "with_assessment"]
