"""Column values of read tables, computed once per distinct value: text to numbers (decimal comma
accepted), stripped text. Used by the readers (etl/readers/) and the published-result checks
(etl/validate_published.py), below both so neither imports the other.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def map_unique(values: pd.Series, fn) -> pd.Series:
    """Apply a vectorised `fn` to the distinct values only (codes -> uniques -> take): columns of
    levels, years or indicator numbers hold a handful of distinct strings among millions of rows."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.asarray(fn(pd.Series(uniques, dtype=object)))
    if (codes < 0).any():
        mapped = np.append(mapped, fn(pd.Series([""], dtype=object)))
    return pd.Series(mapped[codes] if len(mapped) else np.empty(len(codes), dtype=mapped.dtype), index=values.index)


def _to_number_small(s: pd.Series) -> np.ndarray:
    t = s.astype(str).str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(t, errors="coerce").astype("float64").to_numpy()


def to_number(values: pd.Series) -> pd.Series:
    """Strings to floats; decimal commas accepted ('2,61'); anything else becomes NaN."""
    return map_unique(values, _to_number_small).astype("float64")


def strip(values: pd.Series) -> pd.Series:
    """Whitespace-stripped strings as object values (via distinct values)."""
    return map_unique(values, lambda u: u.astype(str).str.strip().to_numpy(dtype=object)).astype(object)
