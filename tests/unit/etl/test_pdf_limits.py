"""PDF text is read in a child process under a page, time and memory cap (etl/readers/pdf.py).

pypdf's extraction has no bound of its own: before the cap, a 35 KB PDF whose page holds 10 MB
of drawing operators took 67 s to be refused. Now such a file is refused when the time is up,
the session that sent it gets the reason, and a normal PDF is still read.
"""
from __future__ import annotations

import io

import pytest

from etl.readers import FILE_LIMITS, UPLOAD_LIMITS, InputError, Limits, load_master, read_bytes
from etl.readers import pdf as pdf_reader
from etl.readers.limits import MAX_PDF_PAGES, MAX_PDF_SECONDS, MAX_UPLOAD_PDF_PAGES, MAX_UPLOAD_PDF_SECONDS
from tests.fixtures.etl.builders import lhe_text, pdf_bytes, pdf_text_line, raw_pdf

MASTER = load_master()
LEVELS = {n: 1 + n % 5 for n in range(1, 48)}
LHE_PDF = pdf_bytes(lhe_text(LEVELS, wrap=True, name="PEMERINTAH KOTA SERANG", year=2021))


def refused(name: str, data: bytes, limits: Limits) -> InputError:
    with pytest.raises(InputError) as err:
        read_bytes(name, data, master=MASTER, limits=limits)
    assert str(err.value).startswith(name)  # the message names the file
    return err.value


def test_caps_are_the_documented_ones():
    assert (MAX_PDF_PAGES, MAX_UPLOAD_PDF_PAGES, MAX_PDF_SECONDS, MAX_UPLOAD_PDF_SECONDS) == (1_000, 200, 120, 20)
    assert (FILE_LIMITS.pdf_pages, FILE_LIMITS.pdf_seconds) == (1_000, 120)
    assert (UPLOAD_LIMITS.pdf_pages, UPLOAD_LIMITS.pdf_seconds) == (200, 20)


def test_an_lhe_pdf_is_read_under_the_upload_caps():
    p = read_bytes("lhe.pdf", LHE_PDF, master=MASTER, limits=UPLOAD_LIMITS)
    assert p.format == "lhe-pdf" and len(p.levels) == 47 and p.report.ok


def test_pages_over_the_cap_are_refused_before_extraction():
    data = raw_pdf(pdf_text_line("halaman"), pages=4)
    assert pdf_reader.pdf_pages_text("ok.pdf", data, Limits(pdf_pages=4)) == ["halaman"] * 4
    err = refused("banyak.pdf", data, Limits(pdf_pages=3))
    assert "PDF berisi 4 halaman, melebihi batas 3 halaman" in err.issue.alasan and err.issue.nilai == "4"


def test_a_pdf_whose_text_takes_too_long_is_refused_at_the_time_cap():
    bomb = raw_pdf(pdf_text_line("Perolehan Nilai Tingkat Kematangan Indikator") * 120_000)  # 6 MB drawn, 22 KB file
    assert len(bomb) < 40_000
    err = refused("bom.pdf", bomb, Limits(pdf_seconds=1))
    assert "teks PDF ini tidak selesai dibaca dalam 1 detik (batas)" in err.issue.alasan
    assert "salinan teks LHE (.txt)" in err.issue.alasan


def test_encrypted_and_broken_pdfs_keep_their_reasons():
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(LHE_PDF))
    writer.encrypt("rahasia")
    buf = io.BytesIO()
    writer.write(buf)
    assert "PDF terkunci (terenkripsi)" in refused("kunci.pdf", buf.getvalue(), UPLOAD_LIMITS).issue.alasan
    assert "PDF rusak atau terpotong" in refused("potong.pdf", LHE_PDF[: len(LHE_PDF) // 2], UPLOAD_LIMITS).issue.alasan


def test_a_worker_that_dies_is_a_refusal_not_a_crash(monkeypatch, tmp_path):
    dead = tmp_path / "worker.py"
    dead.write_text("import sys\nsys.exit(137)\n")
    monkeypatch.setattr(pdf_reader, "WORKER", dead)
    err = refused("mati.pdf", LHE_PDF, UPLOAD_LIMITS)
    assert "terlalu berat untuk dibaca" in err.issue.alasan and "kode 137" in err.issue.alasan
