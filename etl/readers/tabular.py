"""Turn the bytes of a CSV or XLSX file into a `RawTable`: header found, rows classified.

What real files hold and this module copes with: a title line above the header, a header over
two rows (merged cells), blank lines, section rows ("KEMENTERIAN", "Provinsi Aceh") that set the
kategori/provinsi of the rows under them, `;` or tab delimiters, UTF-8 with or without BOM.
Every data row keeps the line number a user sees in a text editor or in Excel.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from etl.cells import map_unique
from etl.match import kategori_label, strip_enumeration
from etl.readers.grid_rows import repeated_header_issue, repeated_header_rows, section_columns, stray_cell_issues
from etl.readers.limits import FILE_LIMITS, Limits, columns_error
from etl.readers.workbook import read_sheets
from etl.report import GALAT, InputError, Issue

NOT_A_TABLE = "bukan tabel CSV/XLSX, teks LHE atau PDF"
HEAD_ROWS = 60
MAX_HEADER_ROWS = 3

# --- what kind of file -------------------------------------------------------------------------
_MAGIC = {
    b"\x89PNG": "gambar PNG", b"\xff\xd8\xff": "gambar JPEG", b"GIF8": "gambar GIF",
    b"\xd0\xcf\x11\xe0": "berkas Office lama (.xls/.doc); simpan ulang sebagai .xlsx atau CSV UTF-8",
    b"\x1f\x8b": "arsip gzip", b"Rar!": "arsip RAR", b"7z\xbc\xaf": "arsip 7z",
}


def _fail(berkas: str, alasan: str, baris: int | None = None, nilai: str | None = None, kolom=None):
    raise InputError(Issue(berkas, baris, kolom, nilai, alasan, GALAT))


def sniff_kind(berkas: str, data: bytes) -> str:
    """'pdf' | 'xlsx' | 'text' by content (never by extension); InputError for anything else."""
    if not data.strip():
        _fail(berkas, "berkas kosong; diharapkan tabel CSV/XLSX, teks LHE atau PDF")
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, EOFError, OSError):
            _fail(berkas, f"arsip ZIP/XLSX rusak atau terpotong; {NOT_A_TABLE} — simpan ulang dari Excel")
        if "xl/workbook.xml" in names:
            return "xlsx"
        what = "dokumen Word (DOCX)" if "word/document.xml" in names else "arsip ZIP"
        _fail(berkas, f"{what}: {NOT_A_TABLE}")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            _fail(berkas, f"{what}: {NOT_A_TABLE}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        _fail(berkas, "teks UTF-16; simpan ulang sebagai CSV UTF-8 (Excel: Simpan Sebagai → CSV UTF-8)")
    head = data[:8192]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in head or controls > len(head) * 0.01:
        _fail(berkas, f"berisi data biner: {NOT_A_TABLE}")
    return "text"


def decode_text(berkas: str, data: bytes) -> str:
    """UTF-8 (BOM optional); any other encoding is refused with the byte offset."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        line = data.count(b"\n", 0, exc.start) + 1
        _fail(berkas, f"bukan teks UTF-8: byte 0x{bad:02X} pada posisi {exc.start} (baris {line}) tidak valid; "
                      "simpan ulang berkas sebagai CSV UTF-8 (Excel: Simpan Sebagai → 'CSV UTF-8')",
              baris=line, nilai=f"0x{bad:02X}")
    return text[1:] if text.startswith("\ufeff") else text


# --- header and cell helpers -------------------------------------------------------------------
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_NUMERIC = re.compile(r"^\s*[+-]?\d+(?:[.,]\d+)?\s*$")
_HEADER_WORDS = ("tahun", "instansi", "nama", "indeks", "predikat", "indikator", "level", "kode",
                 "domain", "kebijakan", "kategori", "provinsi", "kelompok", "layanan", "manajemen",
                 "tata kelola", "nilai", "mandiri", "pemda")
_INDICATOR_HEADER = re.compile(r"^(?:i|ind|indikator|indicator)\s?0*(\d{1,3})$")


def norm_header(label: str) -> str:
    return _NON_ALNUM.sub(" ", str(label).casefold()).strip()


def is_header_word(cell: str) -> bool:
    h = norm_header(cell)
    return bool(h) and len(h) <= 60 and (any(w in h for w in _HEADER_WORDS) or bool(_INDICATOR_HEADER.match(h)))


def detect_header(rows: list[list[str]]) -> tuple[int, int, list[str]] | None:
    """(index of first header row, number of header rows, combined labels) within `rows`."""
    filled = [[c.strip() for c in r] for r in rows]
    counts = [sum(1 for c in r if c) for r in filled]
    multi = [c for c in counts if c > 1]
    if not multi:
        return None
    mode = max(set(multi), key=multi.count)
    start = next((i for i, r in enumerate(filled)
                  if counts[i] >= max(2, mode // 2) and sum(is_header_word(c) for c in r) >= 2), None)
    if start is None:
        start = next(i for i, c in enumerate(counts) if c > 1)
    block = [filled[start]]
    for r in filled[start + 1:start + MAX_HEADER_ROWS]:
        nonempty = [c for c in r if c]
        top = block[0] + [""] * max(0, len(r) - len(block[0]))
        fills_gap = any(c and not top[j] for j, c in enumerate(r))
        if len(nonempty) < 2 or any(_NUMERIC.match(c) for c in nonempty):
            break
        if not (fills_gap or any(is_header_word(c) for c in nonempty)):
            break
        block.append(r)
    width = max(len(r) for r in block)
    block = [r + [""] * (width - len(r)) for r in block]
    labels = list(block[0])
    if len(block) > 1:
        top = list(block[0])
        for j in range(1, width):  # a merged cell spans the blanks to its right that have a sub-label
            if not top[j] and any(r[j] for r in block[1:]):
                top[j] = top[j - 1]
        labels = [" ".join(p for p in [top[j]] + [r[j] for r in block[1:]] if p) for j in range(width)]
    return start, len(block), labels


# --- section rows ------------------------------------------------------------------------------
_PROVINSI_LABEL = re.compile(r"^(?:provinsi|prov)\s+(.+)$")


def section_context(label: str) -> dict | None:
    """Context set by a section row, or None when the text is not a section label."""
    found = kategori_label(label)
    if found is not None:
        return {"kelompok": found[0], "kategori": found[1], "provinsi": None}
    h = norm_header(strip_enumeration(label))
    m = _PROVINSI_LABEL.match(h)
    if m and not h.startswith("pemerintah"):
        return {"provinsi": label.strip().split(None, 1)[1].strip()}
    return None


# --- the table ---------------------------------------------------------------------------------
@dataclass
class RawTable:
    berkas: str
    format: str                  # "csv" | "xlsx"
    labels: list[str]            # combined header label per column position
    header_line: int             # line/row of the first header row
    data: pd.DataFrame           # data rows only, columns 0..n-1, str values
    lines: np.ndarray            # source line per data row
    context: pd.DataFrame        # kelompok / kategori / provinsi set by section rows (None where unset)
    sheet: str | None = None
    issues: list[Issue] = field(default_factory=list)


def _classify(berkas: str, grid: pd.DataFrame, lines: np.ndarray, n_header: int, labels: list[str],
              header_line: int, fmt: str, sheet: str | None) -> RawTable:
    """Split the rows under the header into data rows, section rows, repeated headers and blank lines."""
    first_header = [str(v).strip().casefold() for v in grid.iloc[0].tolist()] if len(grid) else []
    grid = grid.iloc[n_header:].reset_index(drop=True)
    lines = np.asarray(lines[n_header:], dtype=np.int64)
    width = grid.shape[1]
    labels = (list(labels) + [""] * width)[:width]
    filled = {c: map_unique(grid[c], lambda u: (u.astype(str).str.strip() != "").to_numpy()).to_numpy(dtype=bool)
              for c in grid.columns}
    nonempty = np.zeros(len(grid), dtype=np.int32)
    for f in filled.values():
        nonempty += f
    repeat = repeated_header_rows(grid, first_header, nonempty)
    section_ctx = _section_rows(grid, filled, nonempty)
    is_section = np.zeros(len(grid), dtype=bool)
    is_section[list(section_ctx)] = True
    keep = (nonempty > 0) & ~is_section & ~repeat
    issues = stray_cell_issues(berkas, grid, lines, labels, filled, keep)
    if repeat.any():
        issues.append(repeated_header_issue(berkas, lines[repeat]))
    context = section_columns(section_ctx, len(grid))
    data = grid[keep].reset_index(drop=True)
    return RawTable(berkas, fmt, labels, header_line, data, lines[keep],
                    context[keep].reset_index(drop=True), sheet, issues)


def _section_rows(grid: pd.DataFrame, filled: dict, nonempty: np.ndarray) -> dict[int, dict]:
    """Row position -> `section_context` of the rows that are section rows (one filled cell)."""
    # a row with one filled cell may be a section row: its text, column by column (no per-row pandas
    # lookups: 1 000 000 rows of '1' took 89 s that way, 1,5 s now), then section_context once per distinct text
    one = np.flatnonzero(nonempty == 1)
    texts = np.empty(len(one), dtype=object)
    for c in grid.columns:
        hit = filled[c][one]
        if hit.any():
            texts[hit] = grid[c].to_numpy(dtype=object)[one[hit]]
    section_ctx, known = {}, {}
    for i, text in zip(one.tolist(), texts.tolist()):
        text = str(text).strip()
        if text not in known:
            known[text] = section_context(text)
        if known[text] is not None:
            section_ctx[i] = known[text]
    return section_ctx


def _sniff_delimiter(rows_by_delim: dict[str, list[list[str]]]) -> str:
    def score(rows):
        counts = [sum(1 for c in r if c.strip()) for r in rows]
        multi = [c for c in counts if c > 1]
        if not multi:
            return (0, 0, 0)
        mode = max(set(multi), key=multi.count)
        header_words = max(sum(is_header_word(c) for c in r) for r in rows)
        return (min(header_words, 2), multi.count(mode), mode)
    return max(rows_by_delim, key=lambda d: score(rows_by_delim[d]))


def head_text(text: str, n_lines: int = HEAD_ROWS * 2) -> str:
    """The first `n_lines` lines, without splitting the whole (possibly huge) text."""
    pos = -1
    for _ in range(n_lines):
        pos = text.find("\n", pos + 1)
        if pos < 0:
            return text
    return text[:pos]


def _head_records(head: str, delim: str) -> tuple[list[list[str]], list[int]]:
    reader = csv.reader(io.StringIO(head), delimiter=delim)
    rows, starts, prev = [], [], 0
    try:
        for rec in reader:
            rows.append(rec)
            starts.append(prev + 1)
            prev = reader.line_num
            if len(rows) >= HEAD_ROWS:
                break
    except csv.Error:
        pass
    return rows, starts


def read_csv_table(berkas: str, text: str, limits: Limits = FILE_LIMITS) -> RawTable:
    """The table in a CSV text (lines already counted against `limits.rows` by the caller)."""
    if not text.strip():
        _fail(berkas, "berkas kosong; diharapkan tabel dengan baris judul kolom dan baris data")
    head = head_text(text)
    heads = {d: _head_records(head, d) for d in (",", ";", "\t")}
    # sniff on records cut to the column cap, so a 500 000-column header costs no more than a 501-column one
    delim = _sniff_delimiter({d: [r[:limits.columns + 1] for r in h[0]] for d, h in heads.items()})
    rows, starts = heads[delim]
    wide = next((i for i, r in enumerate(rows) if len(r) > limits.columns), None)
    if wide is not None:
        raise columns_error(berkas, len(rows[wide]), limits, baris=starts[wide])
    found = detect_header(rows)
    if found is None:
        _fail(berkas, f"tidak ditemukan baris judul kolom dengan pemisah , ; atau tab: {NOT_A_TABLE}")
    h, n_header, labels = found
    header_line = starts[h]
    width = max(max(len(r) for r in rows[h:]), len(labels))
    try:
        grid = pd.read_csv(io.StringIO(text), sep=delim, header=None, names=range(width), dtype=str,
                           keep_default_na=False, na_filter=False, skip_blank_lines=False, index_col=False,
                           skiprows=header_line - 1, engine="c")
    except pd.errors.ParserError as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if m:
            line = int(m.group(2)) + header_line - 1
            _fail(berkas, f"baris ini punya {m.group(3)} kolom, padahal judul kolom punya {width}; "
                          "periksa pemisah kolom atau tanda kutip", baris=line)
        _fail(berkas, f"CSV tidak dapat dibaca ({exc}); periksa tanda kutip dan pemisah kolom")
    lines = header_line + np.arange(len(grid), dtype=np.int64)
    n_lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if len(grid) != n_lines - header_line + 1:  # a quoted field spans lines: count them exactly
        reader = csv.reader(io.StringIO(text), delimiter=delim)
        starts_all, prev = [], 0
        try:
            for _ in reader:
                starts_all.append(prev + 1)
                prev = reader.line_num
        except csv.Error as exc:  # e.g. a quoted cell larger than the csv module's field limit
            _fail(berkas, f"CSV tidak dapat dibaca di sekitar baris {reader.line_num} ({exc}); "
                          "periksa tanda kutip dan sel yang sangat panjang", baris=reader.line_num or None)
        lines = np.asarray([s for s in starts_all if s >= header_line][:len(grid)], dtype=np.int64)
    return _finish(berkas, grid, lines, n_header, labels, header_line, "csv", None)


def _finish(berkas, grid, lines, n_header, labels, header_line, fmt, sheet) -> RawTable:
    table = _classify(berkas, grid, lines, n_header, labels, header_line, fmt, sheet)
    if table.data.empty:
        _fail(berkas, "hanya berisi judul kolom, tidak ada baris data", baris=header_line)
    return table


def read_xlsx_tables(berkas: str, data: bytes, limits: Limits = FILE_LIMITS) -> tuple[list[RawTable], list[str]]:
    """Every sheet that holds a table (header found and at least one data row), in workbook order,
    and the names of all sheets."""
    sheets = read_sheets(berkas, data, limits)
    tables = []
    for name, grid in sheets.items():
        if grid.empty:
            continue
        found = detect_header(grid.head(HEAD_ROWS).values.tolist())
        if found is None:
            continue
        h, n_header, labels = found
        lines = np.arange(1, len(grid) + 1, dtype=np.int64)[h:]
        table = _classify(berkas, grid.iloc[h:], lines, n_header, labels, h + 1, "xlsx", str(name))
        if not table.data.empty:
            tables.append(table)
    if not tables:
        _fail(berkas, f"tidak ada lembar berisi tabel (judul kolom + baris data) di {len(sheets)} lembar")
    return tables, [str(n) for n in sheets]


# --- column roles shared by every table kind ---------------------------------------------------
COMMON_ROLES = {
    "instansi_id": {"instansi id", "id instansi", "id"},
    "kode": {"kode wilayah", "kode", "kode kemendagri", "kode daerah", "kode pemda", "kode instansi"},
    "nama": {"nama instansi", "instansi", "nama", "nama pemda", "nama daerah", "nama k l", "nama k l pd",
             "instansi pemerintah", "nama instansi pemerintah", "k l pd", "k l pemda", "nama k l pemda",
             "kementerian lembaga pemda", "instansi pusat daerah"},
    "tahun": {"tahun", "thn", "tahun evaluasi", "tahun penilaian", "year"},
    "kelompok": {"kelompok", "kelompok instansi"},
    "kategori": {"kategori", "kategori instansi", "jenis instansi", "jenis"},
    "provinsi": {"provinsi", "prov", "nama provinsi"},
}
IGNORED = {"no", "nomor", "no urut", "peringkat", "ranking", "rank", "keterangan", "ket", "catatan", "",
           # provenance columns of data/official/ (etl.official_report): kept in the file, not loaded
           "dokumen", "tabel", "bagian"}


def common_roles(labels: list[str]) -> dict[str, int]:
    """Position of the tahun / instansi / kategori columns (first match wins)."""
    found: dict[str, int] = {}
    for pos, label in enumerate(labels):
        h = norm_header(label)
        for role, names in COMMON_ROLES.items():
            if role not in found and h in names:
                found[role] = pos
                break
        else:
            if "nama" not in found and h.startswith("nama ") and not any(
                    w in h for w in ("indikator", "aspek", "domain", "provinsi")):
                found["nama"] = pos
    return found


def describe_columns(labels: list[str]) -> str:
    shown = [f"'{x}'" for x in labels if x.strip()]
    return ", ".join(shown[:30]) + (" …" if len(shown) > 30 else "") if shown else "(tidak ada)"
