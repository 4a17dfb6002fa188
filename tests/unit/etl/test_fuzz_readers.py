"""Hostile input to the readers and to the exports.

Whatever bytes and whatever name an upload carries, `read_bytes` either rejects the file with
`InputError` (one Issue saying why) or returns a `Parsed` with a `Report` — never another
exception, never a hang (each call runs in a thread with a time limit), never a file written
outside the temp area (an audit hook watches every open-for-writing during the calls). The kind
of file is told by content, not by extension. The exported CSV/XLSX never hand a spreadsheet a
formula. Every case here is listed in docs/RELIABILITY.md.
"""
from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
import threading
import zipfile

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from domain.instrument import load_registry
from etl.readers import InputError, Parsed, load_master, read_bytes
from etl.readers.pdf import WORKER as PDF_WORKER
from etl.report import GALAT, Issue, Report
from tests.fixtures.etl.hostile import HOSTILE

TIMEOUT_S = 30
REGISTRY = load_registry()
_FULL_MASTER = load_master()
# a small master keeps each parse fast (matching cost grows with the master), with the ids used here
MASTER = pd.concat([_FULL_MASTER[_FULL_MASTER["instansi_id"].isin(["kota-36.73", "prov-36", "kab-36.04"])],
                    _FULL_MASTER.head(40)]).drop_duplicates("instansi_id").reset_index(drop=True)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))  # `make fuzz` runs 300
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- watching for writes ------------------------------------------------------------------------
_watching = threading.Event()
_writes: list[str] = []
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


_runs: list[list[str]] = []  # programs started while watching: only the PDF text worker may run


def _audit(event: str, args: tuple) -> None:
    if not _watching.is_set():
        return
    if event == "subprocess.Popen":
        _runs.append([str(a) for a in args[1]])
        return
    if event != "open":
        return
    path, mode, flags = (tuple(args) + (None, None))[:3]
    if isinstance(path, int):  # an already open descriptor (the PDF worker's pipes), not a path
        return
    writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (isinstance(flags, int) and flags & _WRITE_FLAGS)
    if writes and not str(path).startswith(tempfile.gettempdir()):
        _writes.append(str(path))


sys.addaudithook(_audit)  # audit hooks cannot be removed; this one only acts while _watching is set


def bounded(fn, *args, **kwargs):
    """Run fn in a thread; fail the test if it takes longer than TIMEOUT_S (a hang)."""
    box: dict = {}

    def target():
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=target, daemon=True)
    _writes.clear()
    _runs.clear()
    _watching.set()
    try:
        worker.start()
        worker.join(TIMEOUT_S)
    finally:
        _watching.clear()
    if worker.is_alive():
        pytest.fail(f"{getattr(fn, '__name__', fn)} masih berjalan setelah {TIMEOUT_S} s (macet)")
    assert _writes == [], f"berkas ditulis di luar area temp: {_writes[:5]}"
    assert all(run[:3] == [sys.executable, "-I", str(PDF_WORKER)] for run in _runs), f"program dijalankan: {_runs[:3]}"
    if "error" in box:
        raise box["error"]
    return box["value"]


def outcome(name: str, data: bytes, **kwargs) -> str:
    """'ditolak' (InputError carrying one galat Issue) or 'dibaca' (Parsed with a Report)."""
    try:
        parsed = bounded(read_bytes, name, data, registry=REGISTRY, master=MASTER, **kwargs)
    except InputError as exc:
        assert isinstance(exc.issue, Issue) and exc.issue.tingkat == GALAT and exc.issue.alasan.strip()
        assert "/" not in exc.issue.berkas  # the name without directories (a "\\" is only a character on POSIX)
        return "ditolak"
    assert isinstance(parsed, Parsed) and isinstance(parsed.report, Report)
    assert parsed.report.format_text(limit=5) is not None
    for frame in (parsed.levels, parsed.domains, parsed.index):
        if frame is not None and len(frame):
            assert frame["instansi_id"].isin(MASTER["instansi_id"]).all()
    if parsed.levels is not None and len(parsed.levels):
        assert parsed.levels["level"].between(1, 5).all()
    return "dibaca"


# --- inputs -------------------------------------------------------------------------------------
HEADERS = ["tahun", "instansi_id", "nama_instansi", "kode_wilayah", "no_indikator", "level", "level_mandiri",
           "indeks", "predikat", "D1", "D2", "D3", "D4", "I1", "I2", "I3", "1", "2", "3", "Domain Kebijakan",
           "kategori", "provinsi", "", "no"]
CELL = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=24), st.integers(-10, 3000).map(str),
                 st.floats(allow_nan=True).map(str))
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-16", "latin-1", "cp1252", "utf-32"]
NAMES = ["x.csv", "hasil.xlsx", "../../etc/passwd", "..\\..\\windows\\system32\\x.csv", "a\x00b.csv", "",
         ".", "/", "x" * 5000, "con", "lhe.pdf", "лист.csv", "name\nwith\nnewlines.csv", "/dev/zero", "~/x.csv"]


@st.composite
def csv_like(draw) -> bytes:
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8))
    rows = draw(st.lists(st.lists(CELL, min_size=0, max_size=len(header) + 2), max_size=12))
    delim = draw(st.sampled_from([",", ";", "\t", "|"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delim, lineterminator=newline, quoting=draw(st.sampled_from([0, 1, 3])),
                        escapechar="\\")
    if draw(st.booleans()):
        out.write(draw(st.sampled_from(["Hasil Evaluasi SPBE 2024", "", "INDEKS SPBE TAHUN 2023"])) + newline)
    try:
        writer.writerow(header)
        writer.writerows(rows)
    except csv.Error:  # QUOTE_NONE cannot write a record of one empty field: not an input, draw another
        assume(False)
    return out.getvalue().encode(draw(st.sampled_from(ENCODINGS)), errors="replace")


@st.composite
def lhe_like(draw) -> bytes:
    year = draw(st.sampled_from(["2019", "2021", "2024", "20x4", "1999", "99999"]))
    name = draw(st.sampled_from(["PEMERINTAH KOTA SERANG", "PEMERINTAH PROVINSI BANTEN", "=cmd|x", "", "\x00"]))
    lines = [f"INDEKS SPBE TAHUN {year}", name, "Perolehan Nilai Tingkat Kematangan Indikator"]
    for _ in range(draw(st.integers(0, 50))):
        no = draw(st.integers(-1, 60))
        level = draw(st.one_of(st.integers(-1, 7).map(str), st.sampled_from(["", "3,5", "x", "=1"])))
        sep = draw(st.sampled_from(["\t", "  ", " "]))
        lines.append(f"{no}{sep}{draw(st.sampled_from(['Kebijakan Internal', 'x', '']))}{sep}{level}")
    return "\n".join(lines).encode("utf-8")


def xlsx_bytes(rows: list[list], sheet: str = "Data", cell_at: tuple[int, int] | None = None) -> bytes:
    """A real workbook (control characters XML cannot hold are dropped, as Excel itself must);
    `cell_at` (row, column) adds one more cell holding 'x' there."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in r])
    if cell_at:
        ws.cell(row=cell_at[0], column=cell_at[1], value="x")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


VALID_XLSX = xlsx_bytes([["tahun", "instansi_id", "no_indikator", "level"]]
                        + [[2024, "kota-36.73", n, 3] for n in range(1, 48)])
VALID_CSV = ("tahun,instansi_id,no_indikator,level\n"
             + "".join(f"2024,kota-36.73,{n},3\n" for n in range(1, 48))).encode()


# --- property tests -----------------------------------------------------------------------------
@FUZZ
@given(data=st.binary(max_size=4096), name=st.sampled_from(NAMES))
def test_random_bytes_are_rejected_or_reported(data, name):
    outcome(name, data)


@FUZZ
@given(prefix=st.sampled_from([b"PK\x03\x04", b"%PDF-1.4\n", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf",
                               b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"tahun,instansi_id,level\n"]),
       rest=st.binary(max_size=2048))
def test_random_bytes_behind_a_magic_prefix_are_rejected_or_reported(prefix, rest):
    outcome("x.xlsx", prefix + rest)


@FUZZ
@given(data=csv_like(), name=st.sampled_from(NAMES))
def test_csv_like_text_in_any_encoding_is_rejected_or_reported(data, name):
    outcome(name, data)


@FUZZ
@given(data=lhe_like())
def test_lhe_like_text_is_rejected_or_reported(data):
    outcome("lhe.txt", data)


@FUZZ
@given(cut=st.integers(0, len(VALID_XLSX) - 1))
def test_truncated_xlsx_is_rejected(cut):
    assert outcome("hasil.xlsx", VALID_XLSX[:cut]) == "ditolak"


@FUZZ
@given(positions=st.lists(st.integers(0, len(VALID_XLSX) - 1), min_size=1, max_size=8), value=st.integers(0, 255))
def test_xlsx_with_overwritten_bytes_is_rejected_or_reported(positions, value):
    data = bytearray(VALID_XLSX)
    for p in positions:
        data[p] = value
    outcome("hasil.xlsx", bytes(data))


@FUZZ
@given(cells=st.lists(CELL, min_size=1, max_size=6))
def test_xlsx_with_hostile_cells_is_rejected_or_reported(cells):
    outcome("hasil.xlsx", xlsx_bytes([["tahun", "nama_instansi", "no_indikator", "level"], [2024, *cells]]))


# --- named cases (each row of the table in docs/RELIABILITY.md) -------------------------------------
MB = 1_000_000
BIG = "x" * MB


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in entries.items():
            z.writestr(k, v)
    return buf.getvalue()


CASES = {
    # case id: (name, bytes, expected outcome)
    "kosong": ("x.csv", b"", "ditolak"),
    "hanya spasi/baris baru": ("x.csv", b" \n\r\n\t\n", "ditolak"),
    "PNG bernama .csv": ("hasil.csv", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "ditolak"),
    "JPEG": ("x.xlsx", b"\xff\xd8\xff\xe0" + b"\0" * 100, "ditolak"),
    "Office lama (OLE, .xls)": ("x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "ditolak"),
    "gzip": ("x.csv.gz", b"\x1f\x8b\x08" + b"\0" * 50, "ditolak"),
    "ZIP bukan XLSX": ("x.xlsx", _zip({"a.txt": b"hello"}), "ditolak"),
    "DOCX": ("x.docx", _zip({"word/document.xml": b"<w/>"}), "ditolak"),
    "XLSX terpotong separuh": ("x.xlsx", VALID_XLSX[: len(VALID_XLSX) // 2], "ditolak"),
    "XLSX: workbook.xml ada, lembar rusak": ("x.xlsx", _zip({"xl/workbook.xml": b"<not xml", "[Content_Types].xml": b""}),
                                             "ditolak"),
    "PDF rusak": ("lhe.pdf", b"%PDF-1.4\n" + b"\x00garbage" * 50, "ditolak"),
    "PDF terpotong": ("lhe.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog", "ditolak"),
    "UTF-16 LE dengan BOM": ("x.csv", "\ufefftahun,instansi_id\n2024,x\n".encode("utf-16-le"), "ditolak"),
    "UTF-16 tanpa BOM": ("x.csv", VALID_CSV.decode().encode("utf-16-le"), "ditolak"),
    "UTF-32": ("x.csv", VALID_CSV.decode().encode("utf-32"), "ditolak"),
    "latin-1 (é)": ("x.csv", "tahun,nama_instansi,no_indikator,level\n2024,Kota Sérang,1,3\n".encode("latin-1"),
                    "ditolak"),
    "campuran UTF-8 + latin-1": ("x.csv", VALID_CSV + "2024,Kota Sérang,1,3\n".encode("latin-1"), "ditolak"),
    "CR saja (Mac lama)": ("x.csv", VALID_CSV.replace(b"\n", b"\r"), "ditolak"),
    "sel 1 MB (CSV)": ("x.csv", VALID_CSV + f"2024,kota-36.73,1,{BIG}\n".encode(), "dibaca"),
    "judul kolom 1 MB (CSV)": ("x.csv", f"tahun,{BIG},no_indikator,level\n2024,x,1,3\n".encode(), "ditolak"),
    "sel 1 MB (XLSX)": ("x.xlsx", xlsx_bytes([["tahun", "instansi_id", "no_indikator", "level"],
                                               [2024, "kota-36.73", 1, BIG[:32000]] ] + [[2024, "kota-36.73", 2, 3]]),
                        "dibaca"),
    "500 kolom (batas)": ("x.csv", (",".join(["tahun", "instansi_id", "no_indikator", "level"] + [f"k{i}" for i in range(496)])
                                     + "\n2024,kota-36.73,1,3\n").encode(), "dibaca"),
    "1.000 kolom": ("x.csv", (",".join(["tahun", "instansi_id", "no_indikator", "level"] + [f"k{i}" for i in range(1_000)])
                               + "\n2024,kota-36.73,1,3\n").encode(), "ditolak"),
    "XLSX: satu sel di kolom XFD (16.384)": ("x.xlsx", xlsx_bytes([["tahun", "instansi_id", "no_indikator", "level"],
                                                                    [2024, "kota-36.73", 1, 3]], cell_at=(1, 16_384)),
                                             "ditolak"),
    "XLSX: satu sel di baris 1.048.576": ("x.xlsx", xlsx_bytes([["tahun", "instansi_id", "no_indikator", "level"],
                                                                 [2024, "kota-36.73", 1, 3]], cell_at=(1_048_576, 1)),
                                          "ditolak"),
    "baris 1 juta + 1 (CSV, baris kosong)": ("x.csv", b"tahun,instansi_id,no_indikator,level\n" + b"\n" * 1_000_000,
                                             "ditolak"),
    "formula di sel (=cmd|…, @, +, -)": ("x.csv", ("tahun,nama_instansi,no_indikator,level\n"
                                                   "2024,=cmd|' /C calc'!A0,1,3\n2024,@SUM(1+1),2,+3\n"
                                                   "2024,-2+3,3,=1+2\n").encode(), "dibaca"),
    "SQL di sel": ("x.csv", ("tahun,instansi_id,no_indikator,level\n2024,x' or 1=1 --,1,3\n"
                             "2024,'; drop view indeks; --,2,3\n").encode(), "dibaca"),
    "tanda kutip tidak tertutup": ("x.csv", b'tahun,instansi_id,no_indikator,level\n"2024,kota-36.73,1,3\n', "ditolak"),
    "baris compang-camping": ("x.csv", b"tahun,instansi_id,no_indikator,level\n2024,kota-36.73,1,3,4,5\n2024\n",
                              "dibaca"),
    "NUL di tengah teks": ("x.csv", VALID_CSV[:60] + b"\x00" + VALID_CSV[60:], "ditolak"),
    "teks LHE tanpa tabel": ("lhe.txt", b"INDEKS SPBE TAHUN 2024\nPEMERINTAH KOTA SERANG\n"
                                        b"Perolehan Nilai Tingkat Kematangan Indikator\n", "ditolak"),
}
NAME_CASES = ["../../etc/passwd", "..\\..\\windows\\win.ini", "a\x00b.csv", "/etc/shadow", "x" * 5000,
              "name\nwith\nnewlines.csv", "", "~/.bashrc", "/dev/zero", "con"]


@pytest.mark.parametrize("case", list(CASES))
def test_named_hostile_input(case):
    name, data, expected = CASES[case]
    assert outcome(name, data) == expected


@pytest.mark.parametrize("name", NAME_CASES, ids=repr)
def test_path_like_names_are_only_labels(name, tmp_path, monkeypatch):
    """The upload's name is a label: nothing is opened or created at that path; the file still
    parses by its content, and the report names the file without its directories."""
    monkeypatch.chdir(tmp_path)
    parsed = bounded(read_bytes, name, VALID_CSV, registry=REGISTRY, master=MASTER)
    assert parsed.report.ok and len(parsed.levels) == 47
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InputError) as err:
        bounded(read_bytes, name, b"\x89PNG\r\n\x1a\n", registry=REGISTRY, master=MASTER)
    assert "/" not in err.value.issue.berkas


def test_quoted_multiline_cell_over_128_kb_is_rejected_not_a_csv_error():
    """A quoted cell with a line break, larger than Python's csv field limit (128 KB): before
    ed40cd4 a bare `_csv.Error` escaped the reader."""
    data = VALID_CSV + f'2024,kota-36.73,1,"{BIG}\nx"\n'.encode()
    assert outcome("x.csv", data) == "ditolak"


# --- limits ---------------------------------------------------------------------------------------
def test_size_limit_is_checked_before_parsing():
    with pytest.raises(InputError, match="melebihi batas"):
        bounded(read_bytes, "x.csv", VALID_CSV, registry=REGISTRY, master=MASTER, max_bytes=len(VALID_CSV) - 1)
    assert outcome("x.csv", VALID_CSV, max_bytes=len(VALID_CSV)) == "dibaca"


def test_default_upload_limits():
    from etl.readers import DEFAULT_MAX_BYTES
    from ui.upload import MAX_UPLOAD_BYTES

    assert DEFAULT_MAX_BYTES == 20 * MB
    assert MAX_UPLOAD_BYTES <= DEFAULT_MAX_BYTES
    with pytest.raises(InputError, match="melebihi batas"):
        read_bytes("x.csv", b"0" * (MAX_UPLOAD_BYTES + 1), max_bytes=MAX_UPLOAD_BYTES)


def test_many_rows_within_the_size_limit_parse_in_bounded_time():
    """100 000 rows (≈3 MB, under the 5 MB upload limit; under the 1 000 000-row cap of FILE_LIMITS)
    are read, within the harness' time limit."""
    rows = "".join(f"2024,kota-36.73,{n % 47 + 1},3\n" for n in range(100_000))
    assert outcome("x.csv", b"tahun,instansi_id,no_indikator,level\n" + rows.encode()) == "dibaca"


@pytest.mark.parametrize("name,data,fmt", [
    ("hasil.xlsx", VALID_CSV, "csv-panjang"),     # CSV named .xlsx
    ("hasil.csv", VALID_XLSX, "xlsx-panjang"),    # XLSX named .csv
    ("hasil.pdf", VALID_CSV, "csv-panjang"),      # CSV named .pdf
    ("hasil", VALID_XLSX, "xlsx-panjang"),        # no extension
], ids=["csv-as-xlsx", "xlsx-as-csv", "csv-as-pdf", "no-extension"])
def test_type_is_told_by_content_not_extension(name, data, fmt):
    parsed = bounded(read_bytes, name, data, registry=REGISTRY, master=MASTER)
    assert parsed.format == fmt and parsed.report.ok
