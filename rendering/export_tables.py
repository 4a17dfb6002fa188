"""Export-ready tables (pure pandas/openpyxl, no Streamlit): `table_csv_excel` / `table_csv` /
`table_xlsx` write the raw numbers of a table. Text cells that a spreadsheet would read as a formula
(leading = + - @, tab, CR) are prefixed with an apostrophe in every format (OWASP "CSV injection");
numbers, including negative ones, stay numbers. Figures: rendering/export.py.

Two CSV forms, offered side by side:
- "CSV" (`table_csv_excel`) for an Indonesian Excel, which reads `;` as the list separator and `,`
  as the decimal mark: UTF-8 with BOM, `;`, decimal comma, no thousands separator, Indonesian
  column headers, and above the header the table's title with the filters used and the source
  (`csv_header_row` says on which line the header is; pandas: ``sep=";", decimal=",",
  skiprows=csv_header_row(...) - 1``).
- "CSV titik desimal" (`table_csv`) for data work (pandas/R/DuckDB): `,`, dot decimals, the
  column keys as in the queries, header on the first line.
"""
from __future__ import annotations

import csv
import io
import math
import re
from datetime import date, datetime

import pandas as pd

from domain.spreadsheet import neutralise, neutralise_frame
from rendering.export import SYNTHETIC_MARK

# --- tables -----------------------------------------------------------------------------------
# the neutraliser (domain/spreadsheet.py) is shared with `python -m etl query --format csv`
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_safe(value):
    """Control characters an XLSX (XML) cannot hold become U+FFFD — visibly, never dropped."""
    return _XML_ILLEGAL.sub("\ufffd", value) if isinstance(value, str) else value


def _safe_frame(df: pd.DataFrame, *, xlsx: bool = False) -> pd.DataFrame:
    """Text neutralised; floats without binary noise (3,45 − 3,12 is 0,33, not 0,33000000000000007)."""
    floats = [i for i, t in enumerate(df.dtypes) if pd.api.types.is_float_dtype(t)]
    if floats:
        df = df.copy()
        for i in floats:  # by position: a table may repeat a column name
            df.isetitem(i, df.iloc[:, i].round(FLOAT_DECIMALS))
    return neutralise_frame(df, clean=_xml_safe if xlsx else None)


FLOAT_DECIMALS = 10  # far below any published figure's precision, far above float noise


# column keys of the queries → headers for a reader; other keys: "rerata_kategori" → "Rerata kategori"
COLUMN_LABELS = {
    "instansi_id": "ID instansi", "nama": "Instansi", "kategori": "Kategori", "kategori_ringkas": "Kategori ringkas",
    "provinsi": "Provinsi", "kode_wilayah": "Kode wilayah", "tahun": "Tahun", "indeks": "Indeks SPBE",
    "predikat": "Predikat", "peringkat": "Peringkat nasional", "peringkat_kategori": "Peringkat kategori",
    "asal": "Asal nilai", "catatan": "Catatan validasi", "instrument_id": "Instrumen", "jenis": "Jenis",
    "kode": "Kode", "label": "Komponen", "nilai": "Nilai", "rerata_nasional": "Rata-rata nasional (dihitung ulang)",
    "rerata_kategori": "Rata-rata kategori (dihitung ulang)",
    "rerata_provinsi": "Rata-rata kab/kota se-provinsi (dihitung ulang)", "resmi": "Angka resmi KemenPANRB",
    "no_indikator": "No. indikator", "nama_indikator": "Indikator", "kode_aspek": "Aspek", "label_aspek": "Nama aspek",
    "kode_domain": "Domain", "label_domain": "Nama domain", "level": "Level", "level_mandiri": "Level mandiri",
    "tingkat_kematangan": "Tingkat kematangan", "tingkat_mandiri": "Tingkat (mandiri)",
    "bobot_indikator": "Bobot indikator (%)", "target_level": "Level target", "kekurangan": "Kekurangan level",
    "biaya_indeks": "Poin indeks yang hilang", "naik_satu_level": "Tambahan indeks per satu level",
    "jumlah_instansi": "Jumlah instansi", "jarak": "Jarak profil", "selisih": "Selisih",
}


def column_label(key) -> str:
    """Header for a column key: COLUMN_LABELS, else the key in words ('_pct' → ' (%)'); a header
    that is already text (not a snake_case key) is kept."""
    key = str(key)
    if key in COLUMN_LABELS:
        return COLUMN_LABELS[key]
    if not re.fullmatch(r"[a-z0-9_]+", key):
        return key
    pct = key.endswith("_pct")
    words = (key[:-4] if pct else key).replace("_", " ").strip()
    text = (words[:1].upper() + words[1:]) if words else key
    return text + (" (%)" if pct else "")


def table_title(name: str, filters: dict | None = None) -> str:
    """'Peringkat 2024 · kategori: Kota · provinsi: Banten' — the table's name in words and the
    filters used (empty filters are left out; a list is joined with commas)."""
    head = column_label(re.sub(r"[^0-9a-z_]+", "_", str(name).lower()).strip("_")) if name else "Tabel"
    parts = [head]
    for key, value in (filters or {}).items():
        if value is None or value == "" or (isinstance(value, (list, tuple, set)) and not value):
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, (list, tuple, set)) else str(value)
        parts.append(f"{key}: {shown}")
    return " · ".join(parts)


def _prelude(title: str | None, synthetic: bool, source: str | None) -> list[str]:
    lines = [title] if title else []
    if synthetic:
        lines.append(f"{SYNTHETIC_MARK}: angka per instansi dibangkitkan kode untuk demo, bukan hasil evaluasi KemenPANRB.")
    if source:
        lines.append(source)
    return lines


def csv_header_row(title: str | None = None, synthetic: bool = False, source: str | None = None) -> int:
    """1-based line of the header in a `table_csv_excel` file (notes, a blank line, then the header)."""
    n = len(_prelude(title, synthetic, source))
    return n + 2 if n else 1


def table_csv_excel(df: pd.DataFrame, *, title: str | None = None, synthetic: bool = False,
                    source: str | None = None) -> bytes:
    """CSV an Indonesian Excel opens into columns with numbers as numbers: UTF-8 with BOM, `;`
    separator, decimal comma, Indonesian headers; title/filters, DATA SINTETIS and source lines
    (one cell each) and a blank line above the header."""
    buf = io.StringIO()
    notes = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    lines = _prelude(title, synthetic, source)
    for line in lines:
        notes.writerow([neutralise(line)])
    if lines:
        notes.writerow([])
    safe = _safe_frame(df.rename(columns=column_label))
    safe.to_csv(buf, index=False, sep=";", decimal=",", lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")


def table_csv(df: pd.DataFrame) -> bytes:
    """CSV for data work ("CSV titik desimal"): UTF-8 with BOM, comma separator, dot decimals,
    the column keys of the queries as headers, empty cell for missing values. An Indonesian Excel
    would misread "2.61": `table_csv_excel` (or the XLSX) is the one for spreadsheets."""
    return _safe_frame(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _is_index_like(name: str, series: pd.Series) -> bool:
    return pd.api.types.is_float_dtype(series) and not str(name).lower().endswith("_pct")


def _cell(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()  # numpy scalar → Python
        except (AttributeError, ValueError):
            pass
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (list, tuple, set, dict)):
        return neutralise(", ".join(map(str, value)) if not isinstance(value, dict) else str(value))
    if isinstance(value, (int, float, bool, str, datetime, date)):
        return value
    return neutralise(str(value))


def table_xlsx(df: pd.DataFrame, *, title: str | None = None, synthetic: bool = False,
               source: str | None = None) -> bytes:
    """One-sheet workbook ("Data"): Indonesian headers (`column_label`); optional title (with the
    filters used: `table_title`) and DATA SINTETIS rows above a bold, frozen
    header row with an auto-filter; numbers stay numbers (floats '#,##0.00', *_pct '0.0',
    integers '0'); missing values are empty cells. A "Keterangan" sheet repeats the notes."""
    from openpyxl import Workbook

    safe = _safe_frame(df.rename(columns=column_label), xlsx=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    notes, header_row = _xlsx_prelude(ws, title=title, synthetic=synthetic, source=source)
    _xlsx_header(ws, safe.columns, header_row)
    _xlsx_rows(ws, safe, _xlsx_formats(safe, df), header_row)
    _xlsx_layout(ws, safe, header_row)
    _xlsx_keterangan(wb, notes, header_row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_prelude(ws, *, title: str | None, synthetic: bool, source: str | None) -> tuple[list[tuple[str, str]], int]:
    """Title, DATA SINTETIS and source rows above the table (and a blank line after them, if any).
    Returns (notes for the Keterangan sheet, 1-based header row)."""
    from openpyxl.styles import Font

    notes: list[tuple[str, str]] = []
    row = 1
    if title:
        ws.cell(row=row, column=1, value=neutralise(_xml_safe(title))).font = Font(bold=True, size=13)
        notes.append(("Judul", title))
        row += 1
    if synthetic:
        text = (f"{SYNTHETIC_MARK}: angka per instansi dibangkitkan kode untuk demo, "
                "bukan hasil evaluasi KemenPANRB.")
        ws.cell(row=row, column=1, value=text).font = Font(bold=True, color="D55E00")
        notes.append(("Status data", text))
        row += 1
    if source:
        ws.cell(row=row, column=1, value=neutralise(_xml_safe(source))).font = Font(italic=True, color="52606D")
        notes.append(("Sumber", source))
        row += 1
    if row > 1:
        row += 1  # blank line between notes and the table
    return notes, row


def _xlsx_header(ws, columns, header_row: int) -> None:
    """The bold, shaded, wrapped header row."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    fill = PatternFill("solid", fgColor="DCE6F0")
    thin = Side(style="thin", color="9AA5B1")
    for j, col in enumerate(columns, start=1):
        c = ws.cell(row=header_row, column=j, value=col)
        c.font = Font(bold=True)
        c.fill = fill
        c.border = Border(bottom=thin)
        c.alignment = Alignment(vertical="center", wrap_text=True)


def _xlsx_formats(safe: pd.DataFrame, df: pd.DataFrame) -> dict[int, str]:
    """Number format per 1-based column: *_pct '0.0', index-like '#,##0.00', integers '0'."""
    formats = {}
    for j, (_col, orig) in enumerate(zip(safe.columns, df.columns), start=1):
        s = df[orig]
        if pd.api.types.is_bool_dtype(s):
            continue
        if str(orig).lower().endswith("_pct") and pd.api.types.is_numeric_dtype(s):
            formats[j] = "0.0"
        elif _is_index_like(orig, s):
            formats[j] = "#,##0.00"
        elif pd.api.types.is_integer_dtype(s):
            formats[j] = "0"
    return formats


def _xlsx_rows(ws, safe: pd.DataFrame, formats: dict[int, str], header_row: int) -> None:
    """The data rows below the header; numbers get their column's format."""
    for i, values in enumerate(safe.itertuples(index=False, name=None), start=header_row + 1):
        for j, v in enumerate(values, start=1):
            c = ws.cell(row=i, column=j, value=_cell(v))
            if j in formats and isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                c.number_format = formats[j]


def _xlsx_layout(ws, safe: pd.DataFrame, header_row: int) -> None:
    """Column widths (from the first 200 rows), frozen header, auto-filter."""
    from openpyxl.utils import get_column_letter

    for j, col in enumerate(safe.columns, start=1):
        longest = max([len(str(col))] + [len(str(v)) for v in safe.iloc[:200, j - 1].tolist() if v is not None])
        ws.column_dimensions[get_column_letter(j)].width = min(max(8, longest + 2), 60)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if len(safe.columns):
        last = get_column_letter(len(safe.columns))
        ws.auto_filter.ref = f"A{header_row}:{last}{header_row + max(len(safe), 1)}"


def _xlsx_keterangan(wb, notes: list[tuple[str, str]], header_row: int) -> None:
    """The "Keterangan" sheet: the notes above the table, where the data starts, how to read it."""
    from openpyxl.styles import Font

    info = wb.create_sheet("Keterangan")
    info.append(["Keterangan", ""])
    info["A1"].font = Font(bold=True)
    for k, v in notes + [("Baris data mulai", f"baris {header_row + 1} lembar 'Data' (tajuk di baris {header_row})"),
                         ("Angka", "disimpan sebagai angka; tampilan desimal mengikuti pengaturan bahasa Excel"),
                         ("Nilai kosong", "tidak ada data (bukan nol)")]:
        info.append([k, neutralise(_xml_safe(v))])
    info.column_dimensions["A"].width = 20
    info.column_dimensions["B"].width = 90


def xlsx_header_row(title: str | None = None, synthetic: bool = False, source: str | None = None) -> int:
    """1-based row of the header in a `table_xlsx` workbook (for readers: header=row-1 in pandas)."""
    n = int(bool(title)) + int(bool(synthetic)) + int(bool(source))
    return n + 2 if n else 1
