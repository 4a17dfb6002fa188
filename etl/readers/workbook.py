"""The worksheets of an XLSX as grids of strings, read under the caps of `limits`.

The zip directory is checked first (`check_xlsx_archive`), then openpyxl streams each sheet
(read-only); rows and columns are counted while they stream, so a sheet that claims a cell in
row 1 048 576 or column XFD is refused before a frame of that size exists. The cells become the
strings `pd.read_excel(header=None, dtype=object)` followed by `str` gave before the caps: empty,
error and NA-like cells ('NA', '#N/A', 'null', …) are '', whole numbers lose their '.0', dates
are ISO text.
"""
from __future__ import annotations

import io

import numpy as np
import pandas as pd

from etl.readers.limits import Limits, check_xlsx_archive, columns_error, workbook_rows_error
from etl.report import GALAT, InputError, Issue

# pandas' default NA strings: pd.read_excel turned these cells into NaN, i.e. empty cells
NA_TEXT = frozenset({"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
                     "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"})
_NA = "\x00"  # an NA-like or error cell until the row is trimmed (XML cannot hold NUL, so no cell can)


_NO_CELLS: list[str] = []  # shared by every empty row; never mutated


def cell_text(cell) -> str:
    """'' for an empty cell, `_NA` for an error or NA-like cell, else the value as text."""
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "e":
        return _NA
    if isinstance(value, float):
        if np.isnan(value):
            return _NA
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, str):
        return _NA if value in NA_TEXT and value else value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _sheet(berkas: str, ws, limits: Limits, rows_before: int) -> pd.DataFrame:
    ws.reset_dimensions()  # a declared <dimension> may be wrong (or A1:XFD1048576): count what is there
    rows: list[list[str]] = []
    last = -1
    for number, row in enumerate(ws.iter_rows(), start=1):
        if rows_before + number > limits.rows:
            raise workbook_rows_error(berkas, ws.title, number, limits)
        if not row:  # a row missing from the XML (openpyxl fills the gaps): no new object per row
            rows.append(_NO_CELLS)
            continue
        values = [cell_text(c) for c in row]
        while values and values[-1] == "":  # only truly empty cells: NA-like ones still widen the row
            values.pop()
        if _NA in values:
            values = ["" if v == _NA else v for v in values]
        if number == 1 and values and values[0].startswith("\ufeff"):
            values[0] = values[0][1:]  # as pandas did: a BOM opening A1 (text pasted from a CSV) is dropped
        if len(values) > limits.columns:
            raise columns_error(berkas, len(values), limits, baris=number, lembar=ws.title)
        if values:
            last = number - 1
        rows.append(values)
    rows = rows[:last + 1]
    width = max((len(r) for r in rows), default=0)
    blank = [""] * width
    grid = [r if len(r) == width else blank if not r else r + [""] * (width - len(r)) for r in rows]
    return pd.DataFrame(grid, columns=range(width), dtype=str)


def read_sheets(berkas: str, data: bytes, limits: Limits) -> dict[str, pd.DataFrame]:
    """{sheet name: grid of strings} for every worksheet, in workbook order (trailing empty rows
    and columns dropped; an empty sheet is an empty frame)."""
    check_xlsx_archive(berkas, data, limits)
    from openpyxl import load_workbook  # after the check: importing openpyxl alone takes longer than it
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        try:
            sheets, n_rows = {}, 0
            for ws in book.worksheets:
                sheets[ws.title] = _sheet(berkas, ws, limits, n_rows)
                n_rows += len(sheets[ws.title])
        finally:
            book.close()
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise InputError(Issue(berkas, None, None, None, f"XLSX rusak atau tidak dapat dibaca ({type(exc).__name__}); "
                               "simpan ulang dari Excel", GALAT)) from exc
    return sheets
