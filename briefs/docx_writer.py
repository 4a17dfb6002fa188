"""Lembar RPJMD as DOCX (python-docx): editable, for pasting into RPJMD/Renstra drafts."""
from __future__ import annotations

import io
import struct

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from briefs.brief import Brief
from briefs.layout import TITLE, Block, assessment_line, blocks, cover_lines, header_text, key_figures

PRIMARY, GREY, RED = RGBColor(0x00, 0x72, 0xB2), RGBColor(0x52, 0x60, 0x6D), RGBColor(0xD5, 0x5E, 0x00)
ALIGN = {"L": WD_ALIGN_PARAGRAPH.LEFT, "R": WD_ALIGN_PARAGRAPH.RIGHT, "C": WD_ALIGN_PARAGRAPH.CENTER}


def _run(par, text: str, *, bold=False, italic=False, size=None, color=None):
    r = par.add_run(text)
    r.bold, r.italic = bold, italic
    if size:
        r.font.size = Pt(size)
    if color is not None:
        r.font.color.rgb = color
    return r


def _field(par, instr: str, *, size=None, color=None) -> None:
    """A Word field (PAGE, NUMPAGES) updated by Word when the document is opened/printed."""
    r = par.add_run()
    if size:
        r.font.size = Pt(size)
    if color is not None:
        r.font.color.rgb = color
    for tag, attr in (("w:fldChar", {"w:fldCharType": "begin"}), ("w:instrText", None),
                      ("w:fldChar", {"w:fldCharType": "separate"}), ("w:t", None), ("w:fldChar", {"w:fldCharType": "end"})):
        el = OxmlElement(tag)
        if attr:
            for k, v in attr.items():
                el.set(qn(k), v)
        if tag == "w:instrText":
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instr} "
        if tag == "w:t":
            el.text = "1"
        r._r.append(el)


def _shade(cell, hex_fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_fill)
    tc_pr.append(shd)


def _header_footer(doc, brief: Brief) -> None:
    sec = doc.sections[0]
    hp = sec.header.paragraphs[0]
    _run(hp, header_text(brief), size=8, color=GREY)
    fp = sec.footer.paragraphs[0]
    if brief.synthetic:
        _run(fp, brief.synthetic_line, bold=True, size=8, color=RED)
        fp = sec.footer.add_paragraph()
    _run(fp, f"Sumber: KemenPANRB, Evaluasi SPBE {brief.tahun}; diolah dasbor SPBE · Halaman ", size=7, color=GREY)
    _field(fp, "PAGE", size=7, color=GREY)
    _run(fp, "/", size=7, color=GREY)
    _field(fp, "NUMPAGES", size=7, color=GREY)


def _boxed(doc, text: str, fill: str, color) -> None:
    t = doc.add_table(rows=1, cols=1)
    t.style = "Table Grid"
    c = t.cell(0, 0)
    _shade(c, fill)
    c.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(c.paragraphs[0], text, bold=True, size=10, color=color)
    doc.add_paragraph()


def _cover(doc, brief: Brief) -> None:
    p = doc.add_paragraph()
    _run(p, TITLE.upper(), bold=True, size=9, color=PRIMARY)
    h = doc.add_heading(level=0)
    _run(h, brief.nama, bold=True, size=20)
    for line in cover_lines(brief):
        _run(doc.add_paragraph(), line, size=9, color=GREY)
    if brief.synthetic:
        _boxed(doc, brief.synthetic_line, "FDECE1", RED)
    if brief.assessment:
        _boxed(doc, assessment_line(brief), "E1EEF8", PRIMARY)
    figures = key_figures(brief)
    t = doc.add_table(rows=2, cols=len(figures))
    t.style = "Table Grid"
    for i, (label, value) in enumerate(figures):
        _run(t.cell(0, i).paragraphs[0], label, size=8, color=GREY)
        _run(t.cell(1, i).paragraphs[0], value, bold=True, size=13)
    doc.add_paragraph()


def _table(doc, b: Block) -> None:
    t = doc.add_table(rows=1, cols=len(b.header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    total = sum(b.widths) or 1
    widths = [Cm(17.0 * w / total) for w in b.widths]
    for j, h in enumerate(b.header):
        c = t.rows[0].cells[j]
        _shade(c, "DCE6F0")
        _run(c.paragraphs[0], h, bold=True, size=8.5)
    for values in b.rows:
        cells = t.add_row().cells
        for j, v in enumerate(values):
            cells[j].paragraphs[0].alignment = ALIGN.get(b.align[j] if j < len(b.align) else "L")
            _run(cells[j].paragraphs[0], v, size=8.5)
    for row in t.rows:
        for j, c in enumerate(row.cells):
            c.width = widths[j]
    # repeat the header row on every page
    tr_pr = t.rows[0]._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)
    doc.add_paragraph()


def _block(doc, b: Block) -> None:
    if b.kind == "heading":
        h = doc.add_heading(level=2)
        _run(h, b.text, color=PRIMARY)
    elif b.kind == "para":
        _run(doc.add_paragraph(), b.text, bold="bold" in b.items, size=10)
    elif b.kind == "note":
        _run(doc.add_paragraph(), b.text, italic=True, size=8, color=GREY)
    elif b.kind == "bullets":
        for item in b.items:
            _run(doc.add_paragraph(style="List Bullet"), item, size=9)
    elif b.kind == "image" and b.image:
        px_w, px_h = struct.unpack(">II", b.image[16:24])  # PNG IHDR
        width = min(17.0, 12.5 * px_w / px_h)  # tall charts: at most 12.5 cm high
        doc.add_picture(io.BytesIO(b.image), width=Cm(width))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif b.kind == "table":
        _table(doc, b)
    elif b.kind == "pagebreak":
        doc.add_page_break()


def brief_docx(brief: Brief) -> bytes:
    """The brief as DOCX bytes."""
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.0)
    sec.top_margin, sec.bottom_margin = Cm(1.8), Cm(1.8)
    style = doc.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10)
    title = f"{TITLE}: {brief.nama} {brief.tahun}"
    doc.core_properties.title = title if len(title) <= 255 else title[:254] + "…"  # OOXML limit; a long name is data
    doc.core_properties.subject = "DATA SINTETIS" if brief.synthetic else "Indeks SPBE"
    doc.core_properties.author = "Dasbor SPBE Bappeda"
    _header_footer(doc, brief)
    _cover(doc, brief)
    for b in blocks(brief):
        _block(doc, b)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
