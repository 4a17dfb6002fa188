"""Caps on the work one input file may cause, each checked before the expensive parse.

The byte limit (`max_bytes`: 20 MB for files, 5 MB for uploads) does not bound the work on its
own. Before these caps, under 5 MB: a CSV with 500 000 columns was still being parsed after
60 s at 1,4 GB; an XLSX "bomb" (3 MB holding 621 MB of sheet XML) took 46 s at 2,2 GB; a
6 KB XLSX with one cell in A1048576 took 14 s, one with a cell in column XFD 21 s. So every read
also runs under these caps:

| cap | files (`FILE_LIMITS`, default; the CLI) | uploads (`UPLOAD_LIMITS`) | checked |
|---|---|---|---|
| lines of text (CSV, LHE, PDF text) / sheet rows (XLSX, all sheets together) | `MAX_ROWS` 1 000 000 | `MAX_UPLOAD_ROWS` 100 000 | text: one count of line ends after decoding; XLSX: while rows stream from openpyxl, before any frame exists |
| columns | `MAX_COLUMNS` 500 | 500 | CSV: the first 60 records, before delimiter sniffing and the pandas parse; XLSX: each row as it streams |
| XLSX unpacked size (all zip members) | `MAX_XLSX_UNPACKED_BYTES` 100 MB | `MAX_UPLOAD_XLSX_UNPACKED_BYTES` 10 MB | the zip directory, before openpyxl is imported |
| XLSX expansion (unpacked ÷ file size) | `MAX_XLSX_RATIO` 100× | 100× | the zip directory |
| PDF pages | `MAX_PDF_PAGES` 1 000 | `MAX_UPLOAD_PDF_PAGES` 200 | the page tree, before any text is extracted (etl/readers/pdf.py) |
| PDF text extraction time | `MAX_PDF_SECONDS` 120 s | `MAX_UPLOAD_PDF_SECONDS` 20 s | a child process, killed when the time is up (and capped at 1,5 GB of memory) |

Why these numbers (runs recorded in docs/RELIABILITY.md):
- rows: a national year in long form is 640 instansi × 47 indicators = 30 080 rows; 1 000 000
  holds thirty such years. An upload serves one instansi's self-assessment; 100 000 rows is just
  above what 5 MB of long-form CSV holds (three national years, 90 240 rows).
- columns: the wide template has 47 indicator columns plus a few id columns, published tables
  about 10; 500 is ten times the widest real table.
- unpacked size: openpyxl reads 0,9–1,6 MB of sheet XML per second here (a national year as XLSX:
  8,7 MB unpacked, 5,6 s; five years: 43,9 MB, 33 s; 97 MB: 102 s). 100 MB keeps every year so
  far in one workbook; an upload gets 10 MB (one national year) so that one upload costs a
  worker seconds, not minutes.
- PDF: an LHE is a few dozen pages; the test LHE PDF (47 indicators) is read in 0,39–0,42 s,
  child process included (`bench/pdf_caps.py`); a 35 KB PDF with one 10 MB content stream took
  67 s before the cap. Page count and time are the only bounds that hold: a page can draw the same form
  any number of times, so no size read from the file bounds the work.
- expansion: workbooks of real shapes (long, wide, one row repeated 30 000 times) unpack 11–15×;
  bombs of repeated bytes 200× and more.

The zip directory's sizes are upper bounds that can be trusted: Python's zipfile stops
decompressing a member at its declared size and then fails its CRC check, so a member that
under-declares gets the file refused as broken, never parsed past the declared size.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from domain.numbers import integer, num
from etl.report import GALAT, InputError, Issue

MAX_ROWS = 1_000_000
MAX_UPLOAD_ROWS = 100_000
MAX_COLUMNS = 500
MAX_XLSX_UNPACKED_BYTES = 100_000_000
MAX_UPLOAD_XLSX_UNPACKED_BYTES = 10_000_000
MAX_XLSX_RATIO = 100
MAX_PDF_PAGES = 1_000
MAX_UPLOAD_PDF_PAGES = 200
MAX_PDF_SECONDS = 120
MAX_UPLOAD_PDF_SECONDS = 20

SPLIT_ADVICE = "pecah berkas per tahun atau per kelompok instansi"


@dataclass(frozen=True)
class Limits:
    """The caps one read runs under; `FILE_LIMITS` by default, `UPLOAD_LIMITS` for uploads."""
    rows: int = MAX_ROWS
    columns: int = MAX_COLUMNS
    xlsx_unpacked_bytes: int = MAX_XLSX_UNPACKED_BYTES
    xlsx_ratio: int = MAX_XLSX_RATIO
    pdf_pages: int = MAX_PDF_PAGES
    pdf_seconds: int = MAX_PDF_SECONDS


FILE_LIMITS = Limits()
UPLOAD_LIMITS = Limits(rows=MAX_UPLOAD_ROWS, xlsx_unpacked_bytes=MAX_UPLOAD_XLSX_UNPACKED_BYTES,
                       pdf_pages=MAX_UPLOAD_PDF_PAGES, pdf_seconds=MAX_UPLOAD_PDF_SECONDS)


count = integer  # a count in id-ID form: 500004 → '500.004' (domain/numbers.py)


def size_text(n: int) -> str:
    """A byte size in id-ID form: 5200000 → '5,2 MB'."""
    if n >= 1_000_000:
        return f"{num(n / 1e6, 1)} MB"
    if n >= 1_000:
        return f"{num(n / 1e3, 1)} KB"
    return f"{n} byte"


def _refuse(berkas: str, alasan: str, *, baris: int | None = None, nilai: int | None = None):
    raise InputError(Issue(berkas, baris, None, None if nilai is None else str(nilai), alasan, GALAT))


def check_lines(berkas: str, text: str, limits: Limits) -> None:
    """Refuse a text with more lines than `limits.rows` (CR-only line ends counted too, as the
    CSV parser splits on them); one pass over the text, no parsing."""
    ends = max(text.count("\n"), text.count("\r"))
    lines = ends + (0 if text.endswith(("\n", "\r")) else 1)
    if lines > limits.rows:
        _refuse(berkas, f"berkas berisi {count(lines)} baris, melebihi batas {count(limits.rows)} baris; "
                        f"berkas tidak dibaca — {SPLIT_ADVICE}", nilai=lines)


def columns_error(berkas: str, n: int, limits: Limits, *, baris: int, lembar: str | None = None) -> InputError:
    where = f"lembar '{lembar}' baris {baris}" if lembar is not None else f"baris {baris}"
    return InputError(Issue(
        berkas, baris, None, str(n),
        f"{where} berisi {count(n)} kolom, melebihi batas {count(limits.columns)} kolom; berkas tidak dibaca — "
        "tabel nilai berisi paling banyak 47 kolom indikator dan beberapa kolom identitas (periksa pemisah kolom)",
        GALAT))


def workbook_rows_error(berkas: str, lembar: str, baris: int, limits: Limits) -> InputError:
    return InputError(Issue(
        berkas, baris, None, None,
        f"buku kerja berisi lebih dari {count(limits.rows)} baris (terlampaui di lembar '{lembar}' baris "
        f"{baris}; baris kosong ikut dihitung), melebihi batas {count(limits.rows)} baris; berkas tidak "
        f"dibaca — {SPLIT_ADVICE}", GALAT))


def check_xlsx_archive(berkas: str, data: bytes, limits: Limits) -> None:
    """Refuse an XLSX whose zip members unpack to more than `limits.xlsx_unpacked_bytes` in all,
    or more than `limits.xlsx_ratio` times the file's size — from the zip directory alone."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        return  # a broken archive is refused as broken by the XLSX reader
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.xlsx_unpacked_bytes:
        _refuse(berkas, f"isi XLSX ini {size_text(unpacked)} setelah dibuka (berkasnya {size_text(len(data))}), "
                        f"melebihi batas {size_text(limits.xlsx_unpacked_bytes)}; berkas tidak dibaca — {SPLIT_ADVICE}",
                nilai=unpacked)
    ratio = unpacked / max(len(data), 1)
    if ratio > limits.xlsx_ratio:
        _refuse(berkas, f"isi XLSX ini mengembang {count(round(ratio))}× saat dibuka ({size_text(len(data))} → "
                        f"{size_text(unpacked)}), melebihi batas {count(limits.xlsx_ratio)}×; buku kerja biasa "
                        "mengembang 11–15×, ini bukan buku kerja biasa (bom zip?) — berkas tidak dibaca",
                nilai=unpacked)
