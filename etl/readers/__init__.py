"""Read an input file (CSV, XLSX, LHE text or PDF, TAUVAL JSON) into validated frames plus a report.

    parsed = read_path("hasil_2024.csv")            # or read_bytes(name, data) for uploads
    if parsed.report.ok: publish(parsed.levels / parsed.domains / parsed.index)
    print(parsed.report.format_text())

The kind of file is detected from its content, never from its extension. Besides `max_bytes`,
every read runs under `limits` (rows, columns, XLSX unpacked size and expansion; see
`etl.readers.limits`): `FILE_LIMITS` by default, `UPLOAD_LIMITS` for uploads. Whole-file problems
raise `InputError` (carrying `.issue`); row problems are Issues in `parsed.report`. Issue.berkas
is the file's name; Parsed.berkas the path (or upload name) as given.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from domain.instrument import REFERENCE_DIR, InstrumentRegistry, load_registry
from etl.match import MASTER_COLUMNS, Matcher
from etl.readers import levels, lhe, published, tauval
from etl.readers.limits import FILE_LIMITS, UPLOAD_LIMITS, Limits, check_lines, size_text
from etl.readers.pdf import pdf_pages_text
from etl.readers.tabular import (
    NOT_A_TABLE,
    RawTable,
    decode_text,
    describe_columns,
    read_csv_table,
    read_xlsx_tables,
    sniff_kind,
)
from etl.report import GALAT, PERINGATAN, InputError, Issue, Report

__all__ = ["Parsed", "read_path", "read_bytes", "load_master", "InputError", "Report", "Issue", "Limits",
           "FILE_LIMITS", "UPLOAD_LIMITS"]

DEFAULT_MASTER = REFERENCE_DIR / "instansi.csv"
DEFAULT_MAX_BYTES = 20_000_000


@dataclass
class Parsed:
    berkas: str
    jenis: str                      # "nilai_indikator" | "hasil_publikasi"
    format: str                     # "csv-lebar" | "csv-panjang" | "xlsx-lebar" | "xlsx-panjang" | "lhe-teks"
                                    # | "lhe-pdf" | "publikasi-csv" | "publikasi-xlsx" | "tauval-json"
    levels: pd.DataFrame | None     # tahun, instansi_id, instrument_id, no_indikator, level, level_mandiri, baris
    domains: pd.DataFrame | None    # tahun, instansi_id, instrument_id, no_domain, nilai, baris
    index: pd.DataFrame | None      # tahun, instansi_id, instrument_id, indeks, predikat, baris
    report: Report
    matches: pd.DataFrame           # nama_berkas, instansi_id, metode, kemiripan, kandidat
    catatan: list[str] = field(default_factory=list)  # LHE: where the year/instansi were read, printed-figure check
    aspects: pd.DataFrame | None = None  # published aspects (TAUVAL): tahun, instansi_id, instrument_id, no_aspek, nilai, baris


def load_master(path: str | Path | None = None) -> pd.DataFrame:
    """The instansi master (default data/reference/instansi.csv) as strings."""
    path = Path(path) if path else DEFAULT_MASTER
    if not path.exists():
        raise FileNotFoundError(f"master instansi {path} belum ada; tanpa master nama instansi tidak dapat dicocokkan")
    master = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("instansi_id", "nama") if c not in master.columns]
    if missing:
        raise ValueError(f"{path}: kolom {missing} tidak ada; diharapkan {', '.join(MASTER_COLUMNS)}")
    dup = master["instansi_id"][master["instansi_id"].duplicated()]
    if len(dup):
        raise ValueError(f"{path}: instansi_id ganda: {', '.join(dup.unique()[:10])}")
    return master


def _too_big(berkas: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise InputError(Issue(berkas, None, None, str(size),
                               f"berkas {size_text(size)} melebihi batas {size_text(max_bytes)}; berkas tidak dibaca — "
                               "pecah berkas per tahun atau per kelompok instansi", GALAT))


def read_path(path, *, registry: InstrumentRegistry | None = None, master: pd.DataFrame | None = None,
              tahun: int | None = None, instansi: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
              limits: Limits = FILE_LIMITS) -> Parsed:
    path = Path(path)
    if not path.is_file():
        raise InputError(Issue(path.name, None, None, None, f"berkas {path} tidak ditemukan", GALAT))
    _too_big(path.name, path.stat().st_size, max_bytes)
    return _read(str(path), path.name, path.read_bytes(), registry=registry, master=master, tahun=tahun,
                 instansi=instansi, max_bytes=max_bytes, limits=limits)


def read_bytes(name: str, data: bytes, *, registry: InstrumentRegistry | None = None,
               master: pd.DataFrame | None = None, tahun: int | None = None, instansi: str | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES, limits: Limits = FILE_LIMITS) -> Parsed:
    return _read(name, Path(name).name, data, registry=registry, master=master, tahun=tahun, instansi=instansi,
                 max_bytes=max_bytes, limits=limits)


def _read(shown: str, berkas: str, data: bytes, *, registry, master, tahun, instansi, max_bytes, limits) -> Parsed:
    _too_big(berkas, len(data), max_bytes)
    kind = sniff_kind(berkas, data)
    # the whole-file checks and the raw parse (under `limits`) come before the reference data loads,
    # so a file refused for its size or shape is refused in milliseconds
    text, pages, tables, sheets, records = None, None, None, [], None
    if kind == "pdf":
        text, pages = _pdf_text(berkas, data, limits)
        check_lines(berkas, text, limits)
        if not lhe.looks_like_lhe(text):
            raise InputError(Issue(berkas, None, None, None, "PDF ini bukan LHE SPBE: tidak ada tabel 'Perolehan "
                                   f"Nilai Tingkat Kematangan Indikator'; {NOT_A_TABLE} yang dikenal", GALAT))
    elif kind == "text":
        text = decode_text(berkas, data)
        check_lines(berkas, text, limits)
        records = tauval.sniff(berkas, text, limits)  # JSON (TAUVAL export) when it starts with { or [
        if records is None and not lhe.looks_like_lhe(text):
            tables = [read_csv_table(berkas, text, limits)]
    else:
        tables, sheets = read_xlsx_tables(berkas, data, limits)
    registry = registry or load_registry()
    matcher = Matcher(master if master is not None else load_master())
    tahun = int(tahun) if tahun is not None else None
    report = Report()
    common = {"registry": registry, "matcher": matcher, "tahun": tahun, "instansi": instansi, "report": report}
    if records is not None:
        index, domains, aspects, matches = tauval.read_tauval(berkas, records, **common)
        return Parsed(shown, "hasil_publikasi", "tauval-json", None, domains, index, report, matches, aspects=aspects)
    if tables is None:  # LHE, as text or as PDF text
        lv, matches, notes = lhe.read_lhe(berkas, text, **common)
        catatan = [_note_text(t, baris, pages) for t, baris in notes]
        if pages is None:
            return Parsed(shown, "nilai_indikator", "lhe-teks", lv, None, None, report, matches, catatan)
        report.issues = [_with_page(i, pages) for i in report.issues]
        return Parsed(shown, "nilai_indikator", "lhe-pdf", lv, None, None, report, matches, catatan)
    fmt = "csv" if kind == "text" else "xlsx"
    for table in tables:
        lroles = levels.level_roles(table.labels)
        proles = {} if lroles else published.published_roles(table.labels, registry)
        if not (lroles or proles):
            continue
        report.extend(table.issues)
        if len(sheets) > 1:
            report.add(Issue(berkas, None, None, table.sheet,
                             f"buku kerja berisi {len(sheets)} lembar ({', '.join(sheets)}); yang dibaca lembar "
                             f"'{table.sheet}' (lembar pertama yang berisi tabel data)", PERINGATAN))
        if lroles:
            lv, matches = levels.read_levels(table, lroles, **common)
            return Parsed(shown, "nilai_indikator", f"{fmt}-{lroles['bentuk']}", lv, None, None, report, matches)
        index, domains, matches = published.read_published(table, proles, **common)
        return Parsed(shown, "hasil_publikasi", f"publikasi-{fmt}", None, domains, index, report, matches)
    first: RawTable = tables[0]
    raise InputError(Issue(berkas, first.header_line, None, None,
                           f"kolom wajib tidak ditemukan{' di lembar ' + repr(first.sheet) if first.sheet else ''}. "
                           f"Kolom yang ditemukan: {describe_columns(first.labels)}. Diharapkan untuk "
                           f"{levels.EXPECTED}; atau untuk {published.EXPECTED}", GALAT))


def _pdf_text(berkas: str, data: bytes, limits: Limits) -> tuple[str, list[int]]:
    """Text of all pages and, per text line, its page number (extracted under `limits`, etl.readers.pdf)."""
    texts = pdf_pages_text(berkas, data, limits)
    if not any(t.strip() for t in texts):
        raise InputError(Issue(berkas, None, None, None, "PDF tidak berisi teks (hasil pindai?); "
                               "diperlukan PDF dengan teks atau salinan teks LHE", GALAT))
    pages: list[int] = []
    for p, t in enumerate(texts, start=1):
        pages.extend([p] * len(t.split("\n")))
    return "\n".join(texts), pages


def _note_text(text: str, baris: int | None, pages: list[int] | None) -> str:
    if baris is None:
        return text
    if pages is None or not 1 <= baris <= len(pages):
        return f"{text} (baris {baris})"
    return f"{text} (teks PDF baris {baris}, halaman {pages[baris - 1]})"


def _with_page(issue: Issue, pages: list[int]) -> Issue:
    if issue.baris is None or not 1 <= issue.baris <= len(pages):
        return issue
    return replace(issue, alasan=f"{issue.alasan} (teks PDF baris {issue.baris}, halaman {pages[issue.baris - 1]})")


