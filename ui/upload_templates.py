"""The level template offered on *Penilaian mandiri & rencana* (moved out of ui/upload.py, which
re-exports it): one row per indicator, levels blank, in the layout the ETL reads as a 'long' table."""
from __future__ import annotations

import io

import pandas as pd

from domain.instrument import Instrument

TEMPLATE_COLUMNS = ["instansi_id", "nama_instansi", "tahun", "no_indikator", "nama_indikator",
                    "level", "level_mandiri"]


def template_frame(instrument: Instrument, tahun: int, instansi_id: str = "", nama: str = "") -> pd.DataFrame:
    """One row per indicator, levels blank: the layout the ETL reads as a 'long' levels table."""
    return pd.DataFrame({"instansi_id": instansi_id, "nama_instansi": nama, "tahun": int(tahun),
                         "no_indikator": list(instrument.indicator_numbers),
                         "nama_indikator": [i.nama for i in instrument.indicators],
                         "level": "", "level_mandiri": ""}, columns=TEMPLATE_COLUMNS)


def template_csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def template_xlsx(df: pd.DataFrame) -> bytes:
    """One sheet only (the reader warns when a workbook has several tables)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Nilai indikator"
    ws.append(list(df.columns))
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in df.itertuples(index=False):
        ws.append([None if v == "" else v for v in row])
    for col, width in zip("ABCDEFG", (26, 30, 8, 13, 70, 8, 14)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
