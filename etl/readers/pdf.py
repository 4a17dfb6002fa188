"""A PDF's text, read under a time, page and memory cap (etl/readers/pdf_worker.py does the work).

pypdf is pure Python and its text extraction has no bound of its own: a 35 KB PDF whose one
page holds a 10 MB content stream (1 MB compresses to a few KB) took 67 s to be refused, and a
page can draw the same form thousands of times. So the extraction runs in a child process that
is killed when `limits.pdf_seconds` are up, refuses more than `limits.pdf_pages` pages before it
extracts anything, and may use at most `PDF_MEMORY_BYTES` of address space. The session that
uploaded the file gets a clear refusal; the server's own threads never run the extraction.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from domain.numbers import num
from etl.readers.limits import Limits, count
from etl.report import GALAT, InputError, Issue

WORKER = Path(__file__).with_name("pdf_worker.py")
PDF_MEMORY_BYTES = 1_500_000_000


def _refuse(berkas: str, alasan: str, nilai: str | None = None) -> InputError:
    return InputError(Issue(berkas, None, None, nilai, alasan, GALAT))


def pdf_pages_text(berkas: str, data: bytes, limits: Limits) -> list[str]:
    """The text of each page; InputError (naming the file and the cap) when the PDF is encrypted,
    broken, has too many pages, or its text takes longer than the cap or too much memory."""
    heavy = "; simpan ulang sebagai PDF biasa (teks) atau unggah salinan teks LHE (.txt)"
    try:
        done = subprocess.run([sys.executable, "-I", str(WORKER), str(limits.pdf_pages), str(PDF_MEMORY_BYTES)],
                              input=data, capture_output=True, timeout=limits.pdf_seconds, check=False)
    except subprocess.TimeoutExpired:
        raise _refuse(berkas, f"teks PDF ini tidak selesai dibaca dalam {count(limits.pdf_seconds)} detik "
                              f"(batas) — berkas tidak dibaca{heavy}") from None
    try:
        out = json.loads(done.stdout or b"{}")
    except ValueError:
        out = {}
    error = out.get("error")
    if "texts" in out:
        return out["texts"]
    if error == "encrypted":
        raise _refuse(berkas, "PDF terkunci (terenkripsi); buka kuncinya dulu")
    if error == "pages":
        raise _refuse(berkas, f"PDF berisi {count(out['detail'])} halaman, melebihi batas {count(limits.pdf_pages)} "
                              "halaman; LHE berisi beberapa puluh halaman — berkas tidak dibaca", str(out["detail"]))
    if error == "broken":
        raise _refuse(berkas, f"PDF rusak atau terpotong ({out.get('detail')}); simpan ulang PDF-nya")
    # out of memory (answered, or killed by the cap) or the worker died
    memory = f"{num(PDF_MEMORY_BYTES / 1e9, 1)} GB"
    raise _refuse(berkas, f"PDF ini terlalu berat untuk dibaca (memori melebihi batas {memory}, atau proses "
                          f"pembaca berhenti dengan kode {done.returncode}) — berkas tidak dibaca{heavy}")
