"""Indonesian (id-ID) number formatting for the dashboard and briefs: decimal comma, thousands dot, missing
shown as missing, half-up rounding (domain.numbers); plus column-name conventions for whole tables."""
from __future__ import annotations

import pandas as pd

# The formatter and its rounding rule live in domain/numbers.py (domain and etl format with it too);
# this module adds what needs pandas: years as labels and whole-frame formatting by column name.
from domain.numbers import MISSING, amount, integer, is_missing, num, pct, round_half_up, signed

__all__ = ["MISSING", "amount", "column_format", "format_frame", "integer", "is_missing", "num", "pct",
           "round_half_up", "signed", "year"]


def year(value) -> str:
    """Years are labels, not quantities: 2024 → '2024' (no thousands dot)."""
    return MISSING if is_missing(value) else str(int(value))


def column_format(column: str):
    """Formatter chosen from a column name's suffix/prefix (Evidence-style conventions)."""
    c = column.lower()
    if c.endswith("_pct"):
        return pct
    if c.startswith("tahun"):
        return year
    if c.startswith(("jumlah", "peringkat")) or c.endswith(("_count", "_n")):
        return integer
    return num


def format_frame(df: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """Return a display copy with numeric columns formatted as id-ID strings."""
    out = df.copy()
    for col in columns or [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]:
        fmt = column_format(col)
        out[col] = df[col].map(fmt)
    return out
