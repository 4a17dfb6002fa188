"""Cells a spreadsheet would run as a formula (OWASP "CSV injection"), neutralised the same way by
every export: the dashboard's CSV/XLSX downloads (rendering/export_tables.py) and `python -m etl query
--format csv`. Text starting with = + - @ (or their full-width forms), tab or CR gets a leading
apostrophe; numbers, including negative ones, stay numbers. Pure pandas, no I/O.
"""
from __future__ import annotations

from typing import Callable

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; anything else is returned as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame, clean: Callable | None = None) -> pd.DataFrame:
    """Copy of `df` whose column names and text cells are neutralised (after `clean`, if given);
    numeric, boolean and datetime columns are left as they are."""
    clean = clean or (lambda v: v)
    out = df.copy()
    out.columns = [neutralise(clean(str(c))) for c in out.columns]
    for col in out.columns:
        s = out[col]
        if not (pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)
                or pd.api.types.is_datetime64_any_dtype(s)):
            out[col] = s.astype(object).map(lambda v: neutralise(clean(v)))
    return out
