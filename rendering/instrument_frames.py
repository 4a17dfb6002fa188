"""Long-form domain values (queries/domain_values.sql) as columns, one per domain of the instrument:
the pivot is the instrument's, never a fixed d1..d4. Pure pandas, no Streamlit."""
from __future__ import annotations

import pandas as pd

from domain.instrument import Instrument


def domain_columns(instrument: Instrument) -> dict[str, str]:
    """Column → label for each domain of the instrument: {"d1": "D1 Kebijakan Internal SPBE", …}."""
    return {f"d{d.no}": f"{d.kode} {d.label}" for d in instrument.domains}


def with_domains(frame: pd.DataFrame, long: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """`frame` (one row per instansi_id) with a column per domain of `instrument` (values of `long`:
    instansi_id, instrument_id, no_domain, nilai; missing stays missing), row order kept."""
    cols = [f"d{d.no}" for d in instrument.domains]
    mine = long[long["instrument_id"] == instrument.id] if len(long) else long
    wide = (mine.pivot_table(index="instansi_id", columns="no_domain", values="nilai", aggfunc="max", dropna=False)
            if len(mine) else pd.DataFrame(index=pd.Index([], name="instansi_id")))
    wide.columns = [f"d{int(c)}" for c in wide.columns]
    wide = wide.reindex(columns=cols).astype("float64")
    out = frame.drop(columns=[c for c in cols if c in frame.columns]).join(wide, on="instansi_id")
    return out
