"""Exports (rendering.export_tables table_csv / table_xlsx): hostile text never becomes a spreadsheet formula,
control characters never break a download. Split from tests/unit/etl/test_fuzz_readers.py;
part of `make fuzz` (FUZZ_EXAMPLES=300).
"""
from __future__ import annotations

import csv
import io
import os
import re

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fixtures.etl.hostile import HOSTILE

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))  # `make fuzz` runs 300


# --- exports: hostile text never becomes a spreadsheet formula -------------------------------------
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _export():
    from rendering import export_tables as export
    return export


def _hostile_frame(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"nama": texts, "=kolom": texts, "indeks": [-1.5 + i for i in range(len(texts))],
                         "jumlah": list(range(-2, len(texts) - 2))})


def _check_csv(df: pd.DataFrame, data: bytes, *, sep: str = ",", skip: int = 0) -> None:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=sep))
    assert all(not cell.startswith(FORMULA_START) for row in rows[:skip] for cell in row)  # title/source lines
    header, body = rows[skip], rows[skip + 1:]
    assert all(not h.startswith(FORMULA_START) for h in header)
    for row in body:
        for h, cell in zip(header, row):
            if h in ("indeks", "jumlah", "Indeks SPBE", "Jumlah"):
                float(cell.replace(",", ".") if sep == ";" else cell)  # numbers, negative ones included, stay numbers
            else:
                assert not cell.startswith(FORMULA_START), cell


def _check_xlsx(data: bytes) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula: {c.value!r}"
                if isinstance(c.value, str):
                    assert not c.value.startswith(FORMULA_START), f"{ws.title}!{c.coordinate}: {c.value!r}"


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters an XLSX (XML) cannot hold


def test_exports_neutralise_every_hostile_string():
    export = _export()
    texts = [t for t in HOSTILE if not CONTROL.search(t)]
    df = _hostile_frame(texts + ["=1+1", "+62 812", "-", "@", "=IMPORTXML(\"http://x\",\"//a\")", "\uff1d1"])
    _check_csv(df, export.table_csv(df))
    _check_csv(df, export.table_csv_excel(df, title="=judul", source="@sumber", synthetic=True), sep=";",
               skip=export.csv_header_row(title="=judul", source="@sumber", synthetic=True) - 1)
    _check_xlsx(export.table_xlsx(df, title="=judul", source="@sumber", synthetic=True))
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(export.table_xlsx(df))).active
    header = [c.value for c in ws[1]]
    assert ws.cell(row=2, column=header.index("Indeks SPBE") + 1).value == -1.5  # numbers stay numbers


def test_csv_export_keeps_control_characters_as_text():
    export = _export()
    df = _hostile_frame(["a\x00b", "\x1b[31m", "=\x07"])
    _check_csv(df, export.table_csv(df))


def test_xlsx_export_of_text_with_control_characters():
    """A value holding a control character (a NUL, an escape) that reached a table: the download
    still works (before ed40cd4 openpyxl raised IllegalCharacterError) and shows U+FFFD."""
    from openpyxl import load_workbook

    export = _export()
    df = _hostile_frame(["a\x00b", "\x1b[31m", "=\x07"])
    data = export.table_xlsx(df, title="judul\x00")
    _check_xlsx(data)
    values = [c.value for row in load_workbook(io.BytesIO(data))["Data"].iter_rows() for c in row]
    assert "a\ufffdb" in values and "\ufffd[31m" in values and "'=\ufffd" in values


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True)
@given(texts=st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20)).map(lambda t: CONTROL.sub("", t)),
                      min_size=1, max_size=8))
def test_exports_never_start_a_text_cell_with_a_formula_trigger(texts):
    export = _export()
    df = _hostile_frame(texts)
    _check_csv(df, export.table_csv(df))
    _check_xlsx(export.table_xlsx(df))
