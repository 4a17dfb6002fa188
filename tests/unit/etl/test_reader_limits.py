"""The readers' caps (etl/readers/limits.py): at the cap a file is read, one over it is refused,
quickly, with a message that names the file, what was found and the limit (id-ID numbers).

Boundaries are tested with small `Limits` (fast); the real constants with inputs that cross them.
"""
from __future__ import annotations

import io
import math
import struct
import time
import zipfile

import pandas as pd
import pytest

from domain.instrument import load_registry
from etl.readers import FILE_LIMITS, UPLOAD_LIMITS, InputError, Limits, load_master, read_bytes
from etl.readers.limits import (
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UPLOAD_ROWS,
    MAX_UPLOAD_XLSX_UNPACKED_BYTES,
    MAX_XLSX_RATIO,
    MAX_XLSX_UNPACKED_BYTES,
    count,
    size_text,
)
from etl.readers.workbook import read_sheets

REGISTRY = load_registry()
MASTER = load_master()
HEAD = ["tahun", "instansi_id", "no_indikator", "level"]
ROWS = [[2024, "kota-36.73", n, 3] for n in range(1, 48)]
VALID_CSV = ("\n".join(",".join(map(str, r)) for r in [HEAD] + ROWS) + "\n").encode()  # 48 lines
# A refusal is shown by what the reader did: the CSV and zip-directory refusals never reach pandas'
# parser or openpyxl (`no_parse`). The streaming XLSX refusals go through openpyxl, so their bound is
# CPU seconds of the reading thread (`time.thread_time()`: neither other processes' load nor the
# test run's other threads count), 10× the slowest measured: `refused()` around each case, 5 runs,
# at load average 3 and beside two `yes > /dev/null` loops on 2 cores — slowest 0,127 s (a cell at
# A1048576 under the file caps: openpyxl streams a million empty rows; the other cases at most 0,075 s).
QUICK_S = 1.3


class Parsed(BaseException):
    """Raised when a parser is reached; not an Exception, so the readers cannot turn it into a refusal."""


def forbid_parsing(monkeypatch) -> None:
    """From here on, reaching pandas' CSV parser or opening a workbook with openpyxl fails the test."""
    import openpyxl

    def parser(*args, **kwargs):
        raise Parsed("the file was parsed before it was refused")

    monkeypatch.setattr(pd, "read_csv", parser)
    monkeypatch.setattr(openpyxl, "load_workbook", parser)


@pytest.fixture
def no_parse(monkeypatch):
    """The refusal comes before parsing."""
    forbid_parsing(monkeypatch)


def xlsx(rows: list[list], *, sheets: int = 1, cell_at: tuple[int, int] | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for i in range(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = "Data" if i == 0 else f"Data{i + 1}"
        for r in rows:
            ws.append(r)
    if cell_at:
        wb.active.cell(row=cell_at[0], column=cell_at[1], value="x")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


VALID_XLSX = xlsx([HEAD] + ROWS)  # 48 rows


def read(name: str, data: bytes, **kwargs):
    return read_bytes(name, data, registry=REGISTRY, master=MASTER, **kwargs)


def refused(name: str, data: bytes, **kwargs) -> tuple[InputError, float]:
    t0 = time.thread_time()
    with pytest.raises(InputError) as err:
        read(name, data, **kwargs)
    seconds = time.thread_time() - t0
    assert str(err.value).startswith(name)  # the message names the file
    return err.value, seconds


def unpacked(data: bytes) -> int:
    return sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(data)).infolist())


# --- the constants ------------------------------------------------------------------------------
def test_caps_are_the_documented_ones():
    assert (MAX_ROWS, MAX_UPLOAD_ROWS, MAX_COLUMNS) == (1_000_000, 100_000, 500)
    assert (MAX_XLSX_UNPACKED_BYTES, MAX_UPLOAD_XLSX_UNPACKED_BYTES, MAX_XLSX_RATIO) == (100_000_000, 10_000_000, 100)
    assert FILE_LIMITS == Limits(rows=1_000_000, columns=500, xlsx_unpacked_bytes=100_000_000, xlsx_ratio=100,
                                 pdf_pages=1_000, pdf_seconds=120)
    assert UPLOAD_LIMITS == Limits(rows=100_000, columns=500, xlsx_unpacked_bytes=10_000_000, xlsx_ratio=100,
                                   pdf_pages=200, pdf_seconds=20)


def test_numbers_in_messages_are_id_id():
    assert (count(500_004), count(1_000_000), count(500), count(16_384)) == ("500.004", "1.000.000", "500", "16.384")
    assert (size_text(621_093_929), size_text(10_000_000), size_text(4_500), size_text(7)) == (
        "621,1 MB", "10,0 MB", "4,5 KB", "7 byte")


# --- rows: lines of text ------------------------------------------------------------------------
def test_csv_at_the_row_cap_is_read_and_one_line_more_is_refused(monkeypatch):
    limits = Limits(rows=48)
    assert len(read("x.csv", VALID_CSV, limits=limits).levels) == 47
    forbid_parsing(monkeypatch)
    err, _ = refused("x.csv", VALID_CSV + b"2024,kota-36.73,1,3\n", limits=limits)
    assert err.issue.alasan == ("berkas berisi 49 baris, melebihi batas 48 baris; berkas tidak dibaca — "
                                "pecah berkas per tahun atau per kelompok instansi")
    assert (err.issue.berkas, err.issue.baris, err.issue.nilai) == ("x.csv", None, "49")


def outcome(name: str, data: bytes, **kwargs) -> str:
    try:
        read(name, data, **kwargs)
    except InputError as exc:
        return exc.issue.alasan
    return "dibaca"


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"], ids=["LF", "CRLF", "CR"])
def test_row_cap_counts_lines_by_any_line_end_and_without_a_final_one(ending):
    text = ending.join(VALID_CSV.splitlines())  # 48 lines, no final line end
    assert "berkas berisi 48 baris, melebihi batas 47 baris" in outcome("x.csv", text, limits=Limits(rows=47))
    assert "baris, melebihi batas" not in outcome("x.csv", text, limits=Limits(rows=48))


def test_default_row_cap_refuses_a_million_and_one_lines_before_parsing(no_parse):
    err, _ = refused("x.csv", b"tahun,instansi_id,no_indikator,level\n" + b"\n" * MAX_ROWS)
    assert "berkas berisi 1.000.001 baris, melebihi batas 1.000.000 baris" in err.issue.alasan


def test_upload_row_cap_is_lower(no_parse):
    data = VALID_CSV + b"2024,kota-36.73,1,3\n" * (MAX_UPLOAD_ROWS - 47)  # 100 001 lines
    err, _ = refused("x.csv", data, limits=UPLOAD_LIMITS)
    assert "berkas berisi 100.001 baris, melebihi batas 100.000 baris" in err.issue.alasan


def test_lhe_text_is_held_to_the_row_cap_too():
    lhe = ("INDEKS SPBE TAHUN 2024\nPEMERINTAH KOTA SERANG\nPerolehan Nilai Tingkat Kematangan Indikator\n"
           + "".join(f"{n}\tIndikator {n}\t3\n" for n in range(1, 48)))  # 50 lines
    assert len(read("lhe.txt", lhe.encode(), limits=Limits(rows=50)).levels) == 47
    err, _ = refused("lhe.txt", lhe.encode() + b"\n", limits=Limits(rows=50))
    assert "berkas berisi 51 baris, melebihi batas 50 baris" in err.issue.alasan


# --- columns: CSV ---------------------------------------------------------------------------------
def wide_csv(n_columns: int, title: bool = False) -> bytes:
    head = ",".join(HEAD + [f"k{i}" for i in range(n_columns - len(HEAD))])
    body = "".join(f"2024,kota-36.73,{n},3\n" for n in range(1, 48))
    return (("Hasil Evaluasi SPBE 2024\n" if title else "") + head + "\n" + body).encode()


def test_csv_at_the_column_cap_is_read_and_one_column_more_is_refused(monkeypatch):
    assert len(read("x.csv", wide_csv(MAX_COLUMNS)).levels) == 47
    forbid_parsing(monkeypatch)
    err, _ = refused("x.csv", wide_csv(MAX_COLUMNS + 1))
    assert err.issue.alasan.startswith("baris 1 berisi 501 kolom, melebihi batas 500 kolom; berkas tidak dibaca — ")
    assert (err.issue.baris, err.issue.nilai) == (1, "501")


def test_column_cap_names_the_line_of_the_wide_header(no_parse):
    err, _ = refused("x.csv", wide_csv(MAX_COLUMNS + 1, title=True))
    assert err.issue.baris == 2 and err.issue.alasan.startswith("baris 2 berisi 501 kolom")


def test_csv_of_500_004_columns_is_refused_from_its_header_before_parsing(no_parse):
    err, _ = refused("lebar.csv", wide_csv(500_004), max_bytes=5_000_000)
    assert "500.004 kolom, melebihi batas 500 kolom" in err.issue.alasan


def test_commas_inside_cells_of_a_semicolon_csv_are_not_columns():
    """The cap applies to the delimiter the file uses: 600 commas in a ';' file's cell are text."""
    note = "," * 600
    data = ("tahun;instansi_id;no_indikator;level;keterangan\n"
            + "".join(f"2024;kota-36.73;{n};3;{note}\n" for n in range(1, 48))).encode()
    assert len(read("x.csv", data).levels) == 47


# --- columns and rows: XLSX -----------------------------------------------------------------------
def test_xlsx_at_the_column_cap_is_read_and_one_column_more_is_refused():
    pad = [f"k{i}" for i in range(MAX_COLUMNS - len(HEAD))]
    assert len(read("x.xlsx", xlsx([HEAD + pad] + ROWS)).levels) == 47
    err, _ = refused("x.xlsx", xlsx([HEAD + pad + ["k"]] + ROWS))
    assert err.issue.alasan.startswith("lembar 'Data' baris 1 berisi 501 kolom, melebihi batas 500 kolom")


def test_one_cell_in_column_xfd_is_refused_before_any_frame_is_built():
    err, seconds = refused("x.xlsx", xlsx([HEAD] + ROWS, cell_at=(5, 16_384)))
    assert err.issue.alasan.startswith("lembar 'Data' baris 5 berisi 16.384 kolom, melebihi batas 500 kolom")
    assert err.issue.baris == 5 and seconds < QUICK_S


def test_xlsx_at_the_row_cap_is_read_and_one_row_more_is_refused():
    limits = Limits(rows=48)
    assert len(read("x.xlsx", VALID_XLSX, limits=limits).levels) == 47
    err, _ = refused("x.xlsx", xlsx([HEAD] + ROWS + [ROWS[0]]), limits=limits)
    assert err.issue.alasan.startswith("buku kerja berisi lebih dari 48 baris (terlampaui di lembar 'Data' baris 49; "
                                       "baris kosong ikut dihitung), melebihi batas 48 baris")
    assert err.issue.baris == 49


def test_xlsx_row_cap_counts_every_sheet():
    err, _ = refused("x.xlsx", xlsx([HEAD] + ROWS, sheets=2), limits=Limits(rows=95))
    assert "terlampaui di lembar 'Data2' baris 48" in err.issue.alasan


@pytest.mark.parametrize("limits,row", [(FILE_LIMITS, 1_000_001), (UPLOAD_LIMITS, 100_001)], ids=["file", "upload"])
def test_one_cell_far_below_the_table_is_refused_quickly(limits, row):
    """openpyxl fills the rows missing between the table and a cell at A1048576 (a 6 KB file):
    they are counted as they stream, without a frame of a million rows being built first."""
    err, seconds = refused("x.xlsx", xlsx([HEAD] + ROWS, cell_at=(1_048_576, 1)), limits=limits)
    assert f"lebih dari {count(limits.rows)} baris (terlampaui di lembar 'Data' baris {row};" in err.issue.alasan
    assert seconds < QUICK_S


# --- XLSX archive: unpacked size and expansion ------------------------------------------------------
def test_xlsx_at_the_unpacked_cap_is_read_and_one_byte_more_is_refused(monkeypatch):
    size = unpacked(VALID_XLSX)
    assert len(read("x.xlsx", VALID_XLSX, limits=Limits(xlsx_unpacked_bytes=size)).levels) == 47
    forbid_parsing(monkeypatch)
    err, _ = refused("x.xlsx", VALID_XLSX, limits=Limits(xlsx_unpacked_bytes=size - 1))
    assert err.issue.alasan == (f"isi XLSX ini {size_text(size)} setelah dibuka (berkasnya {size_text(len(VALID_XLSX))}), "
                                f"melebihi batas {size_text(size - 1)}; berkas tidak dibaca — pecah berkas per tahun "
                                "atau per kelompok instansi")
    assert err.issue.nilai == str(size)


def test_xlsx_at_the_expansion_cap_is_read_and_above_it_refused(monkeypatch):
    ratio = unpacked(VALID_XLSX) / len(VALID_XLSX)
    assert len(read("x.xlsx", VALID_XLSX, limits=Limits(xlsx_ratio=math.ceil(ratio))).levels) == 47
    forbid_parsing(monkeypatch)
    err, _ = refused("x.xlsx", VALID_XLSX, limits=Limits(xlsx_ratio=math.floor(ratio)))
    assert f"mengembang {round(ratio)}× saat dibuka" in err.issue.alasan
    assert f"melebihi batas {math.floor(ratio)}×" in err.issue.alasan


def _bomb(text_bytes: int) -> bytes:
    """VALID_XLSX with one more row: an inline string of `text_bytes` 'A's (deflates ~1000×)."""
    src, out = zipfile.ZipFile(io.BytesIO(VALID_XLSX)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                big = f'<row r="49"><c r="A49" t="inlineStr"><is><t>{"A" * text_bytes}</t></is></c></row>'
                body = body.replace(b"</sheetData>", big.encode() + b"</sheetData>")
            z.writestr(item, body)
    return out.getvalue()


def test_zip_bomb_under_the_unpacked_cap_is_refused_by_its_expansion(no_parse):
    data = _bomb(9_000_000)  # 9 MB of XML: under both unpacked caps, in a ~20 KB file
    assert unpacked(data) < MAX_UPLOAD_XLSX_UNPACKED_BYTES
    for limits in (FILE_LIMITS, UPLOAD_LIMITS):
        err, _ = refused("bom.xlsx", data, limits=limits)
        assert "melebihi batas 100×" in err.issue.alasan and "bom zip" in err.issue.alasan


def test_real_workbooks_expand_far_less_than_the_cap():
    """The ratio cap leaves room: workbooks of real shapes (long, wide, repetitive) expand 11–15×."""
    wide = [["tahun", "instansi_id"] + [f"I{n}" for n in range(1, 48)]] + [[2024, f"x-{i}"] + [3] * 47 for i in range(640)]
    same = [HEAD] + [[2024, "kota-36.73", 1, 3]] * 30_000
    for data in (xlsx(wide), xlsx(same), VALID_XLSX):
        assert unpacked(data) / len(data) < MAX_XLSX_RATIO / 5


def _declare_size(data: bytes, member: str, size: int) -> bytes:
    """`data` with the central directory's uncompressed size of `member` set to `size`."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", out, at + 28)[0]
        if out[at + 46:at + 46 + name_len].decode() == member:
            struct.pack_into("<I", out, at + 24, size)
            return bytes(out)
        at = out.find(b"PK\x01\x02", at + 4)
    raise AssertionError(member)


def test_a_zip_that_under_declares_its_size_is_refused_as_broken_not_read_further():
    """The unpacked cap trusts the zip directory: a member that declares fewer bytes than it holds is
    cut at the declared size by zipfile and fails its CRC check, so nothing past the cap is parsed."""
    data = _declare_size(_bomb(9_000_000), "xl/worksheets/sheet1.xml", 2_000)
    assert unpacked(data) < 100_000
    err, seconds = refused("bom.xlsx", data)
    assert "XLSX rusak atau tidak dapat dibaca" in err.issue.alasan and seconds < QUICK_S


# --- the XLSX grid is what pd.read_excel gave before the caps ------------------------------------------
def _old_grid(data: bytes) -> dict[str, pd.DataFrame]:
    import numpy as np

    def cell_str(v) -> str:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return v.isoformat() if hasattr(v, "isoformat") else str(v)

    frames = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine="openpyxl")
    return {k: f.map(cell_str).astype(str).set_axis(range(f.shape[1]), axis=1) for k, f in frames.items()}


def test_xlsx_grid_is_unchanged_from_pandas_read_excel():
    import datetime

    rows = [["\ufefftahun", "instansi_id", "no_indikator", "level", None],
            [2024, "kota-36.73", 1.0, 3, "NA"],
            [2024.0, "N/A", 2, 2.5, "null"],
            [None, None, None, None, None],
            [datetime.datetime(2024, 1, 2, 3, 4), True, "#N/A", " ", ""],
            ["x", None, None, None, "None"]]
    data = xlsx(rows, sheets=2, cell_at=(9, 3))
    new = read_sheets("x.xlsx", data, FILE_LIMITS)
    old = _old_grid(data)
    assert list(new) == list(old)
    for name in old:
        pd.testing.assert_frame_equal(new[name], old[name])


# --- the upload page uses the upload caps --------------------------------------------------------
def test_upload_page_refuses_by_the_upload_caps():
    from ui.upload import handle_upload

    data = VALID_CSV + b"2024,kota-36.73,1,3\n" * (MAX_UPLOAD_ROWS - 47)  # 100 001 lines, 2 MB
    result = handle_upload("unggahan.csv", data, registry=REGISTRY)
    assert not result.ok and "100.001 baris, melebihi batas 100.000 baris" in result.text
