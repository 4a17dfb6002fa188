"""Indonesian (id-ID) number formatting: decimal comma, thousands dot, missing shown as missing."""
from __future__ import annotations

import math

import pandas as pd

MISSING = "—"


def is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(isinstance(value, float) and math.isnan(value))
    except TypeError:
        return False


def num(value, decimals: int = 2) -> str:
    """2.605 → '2,61' (half-up like published figures); 1234.5 → '1.234,50'; None → '—'."""
    if is_missing(value):
        return MISSING
    from decimal import ROUND_HALF_UP, Decimal

    q = Decimal(1).scaleb(-decimals) if decimals else Decimal(1)
    d = Decimal(str(float(value))).quantize(q, rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""
    text = f"{abs(d):,.{decimals}f}"  # 1,234.50
    return sign + text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def integer(value) -> str:
    return MISSING if is_missing(value) else num(value, 0)


def year(value) -> str:
    """Years are labels, not quantities: 2024 → '2024' (no thousands dot)."""
    return MISSING if is_missing(value) else str(int(value))


def pct(value, decimals: int = 1) -> str:
    """Percent value already in 0–100: 45.25 → '45,3 %'."""
    return MISSING if is_missing(value) else f"{num(value, decimals)} %"


def signed(value, decimals: int = 2) -> str:
    """Change with an explicit sign: 0.32 → '+0,32'."""
    if is_missing(value):
        return MISSING
    text = num(value, decimals)
    return text if text.startswith("-") or float(value) == 0 else "+" + text


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
