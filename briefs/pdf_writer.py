"""Lembar RPJMD as PDF (fpdf2, A4 portrait, DejaVu Sans for full Unicode: —, →, ≥, …)."""
from __future__ import annotations

import io
import struct
from datetime import datetime, timezone
from datetime import time as dtime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from briefs.brief import Brief
from briefs.layout import TITLE, Block, assessment_line, blocks, cover_lines, header_text, key_figures

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/local/share/fonts"), Path("/Library/Fonts"))
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
PRIMARY, GREY, RED, TEXT = (0, 114, 178), (82, 96, 109), (213, 94, 0), (31, 41, 51)
MARGIN = 16
MAX_IMAGE_H = 100  # mm: a square radar 10 × 10 cm, the trend ≈ 12 cm wide


def font_dir() -> Path:
    for d in FONT_DIRS:
        if all((d / f).is_file() for f in FONT_FILES.values()):
            return d
    raise FileNotFoundError("font DejaVu Sans tidak ditemukan; pasang dengan `apt-get install -y fonts-dejavu-core` "
                            f"(dicari di {', '.join(map(str, FONT_DIRS))})")


class _BriefPDF(FPDF):
    def __init__(self, brief: Brief):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.brief = brief
        d = font_dir()
        for style, name in FONT_FILES.items():
            self.add_font("DejaVu", style, str(d / name))
        self.set_margins(MARGIN, 14, MARGIN)
        self.set_auto_page_break(True, margin=24)
        self.set_title(f"{TITLE}: {brief.nama} {brief.tahun}")
        self.set_author("Dasbor SPBE Bappeda")
        self.set_subject("DATA SINTETIS" if brief.synthetic else "Indeks SPBE")
        self.set_creation_date(datetime.combine(brief.dibuat, dtime(), tzinfo=timezone.utc))  # same brief, same bytes

    def header(self):
        if self.page_no() == 1:
            return
        self.set_font("DejaVu", "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 5, header_text(self.brief), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*GREY)
        self.line(MARGIN, self.get_y(), self.w - MARGIN, self.get_y())
        self.ln(4)

    def footer(self):
        self.set_y(-18)
        self.set_draw_color(*GREY)
        self.line(MARGIN, self.get_y(), self.w - MARGIN, self.get_y())
        self.ln(1)
        if self.brief.synthetic:
            self.set_font("DejaVu", "B", 8)
            self.set_text_color(*RED)
            self.cell(0, 4, self.brief.synthetic_line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("DejaVu", "", 7)
        self.set_text_color(*GREY)
        self.cell(self.epw - 25, 4, f"Sumber: KemenPANRB, Evaluasi SPBE {self.brief.tahun}; diolah dasbor SPBE")
        self.cell(25, 4, f"Halaman {self.page_no()}/{{nb}}", align="R")


def _boxed(pdf: _BriefPDF, text: str, fill: tuple[int, int, int], color: tuple[int, int, int]) -> None:
    pdf.set_fill_color(*fill)
    pdf.set_draw_color(*color)
    pdf.set_text_color(*color)
    pdf.set_font("DejaVu", "B", 9.5)
    pdf.multi_cell(0, 6, text, border=1, fill=True, align="C", padding=(1, 2), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _fit_font(pdf: _BriefPDF, text: str, style: str, size: float, width: float, smallest: float) -> None:
    """Set the largest font size (down to ``smallest``) at which ``text`` fits ``width``."""
    pdf.set_font("DejaVu", style, size)
    while pdf.get_string_width(text) > width and size > smallest:
        size -= 0.5
        pdf.set_font("DejaVu", style, size)


def _cover(pdf: _BriefPDF, brief: Brief) -> None:
    pdf.set_font("DejaVu", "B", 9)
    pdf.set_text_color(*PRIMARY)
    pdf.cell(0, 5, TITLE.upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "B", 18)
    pdf.set_text_color(*TEXT)
    pdf.multi_cell(0, 8.5, brief.nama, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 9)
    pdf.set_text_color(*GREY)
    for line in cover_lines(brief):
        pdf.multi_cell(0, 4.8, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    if brief.synthetic:
        _boxed(pdf, brief.synthetic_line, (253, 236, 225), RED)
    if brief.assessment:
        _boxed(pdf, assessment_line(brief), (225, 238, 248), PRIMARY)
    # key figures: one box each
    figures = key_figures(brief)
    n = len(figures)
    gap = 3
    w = (pdf.epw - gap * (n - 1)) / n
    y = pdf.get_y()
    pdf.set_draw_color(200, 208, 216)
    for i, (label, value) in enumerate(figures):
        x = MARGIN + i * (w + gap)
        pdf.rect(x, y, w, 17)
        pdf.set_xy(x + 2, y + 1.5)
        _fit_font(pdf, label, "", 7.5, w - 4, 6)
        pdf.set_text_color(*GREY)
        pdf.cell(w - 4, 4, label)
        pdf.set_xy(x + 2, y + 6.5)
        _fit_font(pdf, value, "B", 12.5, w - 4, 7)
        pdf.set_text_color(*TEXT)
        pdf.cell(w - 4, 8, value)
    pdf.set_xy(MARGIN, y + 20)


def _image_size(pdf: _BriefPDF, png: bytes) -> tuple[float, float]:
    px_w, px_h = struct.unpack(">II", png[16:24])  # PNG IHDR
    w = pdf.epw
    h = w * px_h / px_w
    if h > MAX_IMAGE_H:  # tall charts (radar with its legend): cap the height, keep the aspect ratio
        h, w = MAX_IMAGE_H, MAX_IMAGE_H * px_w / px_h
    return w, h


def _heading(pdf: _BriefPDF, text: str, following: Block | None = None) -> None:
    # keep a heading with what follows it: a whole chart, or a few lines of anything else
    need = 12 + (_image_size(pdf, following.image)[1] if following and following.kind == "image" and following.image
                 else 30)
    if pdf.get_y() + need > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 11.5)
    pdf.set_text_color(*PRIMARY)
    pdf.cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*TEXT)


def _image(pdf: _BriefPDF, png: bytes) -> None:
    w, h = _image_size(pdf, png)
    if pdf.get_y() + h > pdf.page_break_trigger:
        pdf.add_page()
    pdf.image(io.BytesIO(png), x=MARGIN + (pdf.epw - w) / 2, y=pdf.get_y(), w=w)
    pdf.set_y(pdf.get_y() + h + 2)


def _table(pdf: _BriefPDF, b: Block) -> None:
    pdf.set_font("DejaVu", "", 8)
    pdf.set_text_color(*TEXT)
    pdf.set_draw_color(200, 208, 216)
    heading = FontFace(emphasis="BOLD", color=TEXT, fill_color=(220, 230, 240))
    with pdf.table(col_widths=b.widths, text_align=b.align, headings_style=heading, line_height=4.6,
                   padding=(1, 1.5), width=pdf.epw, align="LEFT") as table:
        row = table.row()
        for h in b.header:
            row.cell(h, align="L")
        for values in b.rows:
            row = table.row()
            for v in values:
                row.cell(v)
    pdf.ln(1.5)


def _block(pdf: _BriefPDF, b: Block, following: Block | None = None) -> None:
    if b.kind == "heading":
        _heading(pdf, b.text, following)
    elif b.kind == "para":
        pdf.set_font("DejaVu", "B" if "bold" in b.items else "", 9.5)
        pdf.set_text_color(*TEXT)
        pdf.multi_cell(0, 5, b.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.2)
    elif b.kind == "note":
        pdf.set_font("DejaVu", "I", 7.8)
        pdf.set_text_color(*GREY)
        pdf.multi_cell(0, 3.9, b.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(0.8)
    elif b.kind == "bullets":
        pdf.set_font("DejaVu", "", 8.8)
        pdf.set_text_color(*TEXT)
        for item in b.items:
            pdf.set_x(MARGIN + 2)
            pdf.cell(4, 4.6, "•")
            pdf.multi_cell(pdf.epw - 6, 4.6, item, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(0.8)
        pdf.ln(1)
    elif b.kind == "image" and b.image:
        _image(pdf, b.image)
    elif b.kind == "table":
        _table(pdf, b)
    elif b.kind == "pagebreak":
        pdf.add_page()


def brief_pdf(brief: Brief) -> bytes:
    """The brief as PDF bytes."""
    pdf = _BriefPDF(brief)
    pdf.add_page()
    _cover(pdf, brief)
    content = blocks(brief)
    for b, following in zip(content, content[1:] + [None]):
        _block(pdf, b, following)
    return bytes(pdf.output())
