"""Pieces of `etl.readers.tabular._classify` that look at the rows under a header: repeated header
rows, values in columns without a header, and the kelompok / kategori / provinsi each row inherits
from the section rows above it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from etl.cells import map_unique
from etl.report import GALAT, PERINGATAN, Issue

STRAY_CAP = 1000


def repeated_header_rows(grid: pd.DataFrame, first_header: list[str], nonempty: np.ndarray) -> np.ndarray:
    """Rows with more than one filled cell whose every titled column repeats the first header row."""
    repeat = nonempty > 1
    for c, h in zip(grid.columns, first_header):
        if h:
            repeat &= map_unique(grid[c], lambda u, h=h: (u.astype(str).str.strip().str.casefold() == h)
                                 .to_numpy()).to_numpy(dtype=bool)
    return repeat


def stray_cell_issues(berkas: str, grid: pd.DataFrame, lines: np.ndarray, labels: list[str],
                      filled: dict, keep: np.ndarray) -> list[Issue]:
    """A galat per kept row with a value in a column without a header (the first `STRAY_CAP`, then
    one summary issue)."""
    issues: list[Issue] = []
    unlabeled = [c for c, lab in zip(grid.columns, labels) if not str(lab).strip()]
    if unlabeled:
        stray = np.logical_or.reduce([filled[c] for c in unlabeled]) & keep
        for i in np.flatnonzero(stray)[:STRAY_CAP]:
            c = next(c for c in unlabeled if filled[c][i])
            issues.append(Issue(berkas, int(lines[i]), None, str(grid[c].iat[i]).strip(),
                                f"baris ini berisi nilai di kolom ke-{c + 1} yang tidak punya judul kolom; "
                                "periksa pemisah kolom (koma desimal di CSV berpemisah koma?) dan tanda kutip", GALAT))
        if stray.sum() > STRAY_CAP:
            issues.append(Issue(berkas, int(lines[np.flatnonzero(stray)[STRAY_CAP]]), None, None,
                                f"… dan {int(stray.sum()) - STRAY_CAP} baris lain berisi nilai tanpa judul kolom", GALAT))
    return issues


def repeated_header_issue(berkas: str, rep_lines: np.ndarray) -> Issue:
    """The peringatan listing the lines (first 10) that repeat the header and are skipped."""
    return Issue(berkas, int(rep_lines[0]), None, None,
                 f"judul kolom berulang di baris {', '.join(map(str, rep_lines[:10]))}"
                 f"{' …' if len(rep_lines) > 10 else ''}; baris itu bukan data dan dilewati", PERINGATAN)


def section_columns(section_ctx: dict[int, dict], n_rows: int) -> pd.DataFrame:
    """kelompok / kategori / provinsi of each of `n_rows` rows, set by the section rows above it
    (section_ctx: row position -> `section_context` of a section row; None where nothing is set)."""
    states, state = [], {"kelompok": None, "kategori": None, "provinsi": None}
    codes = np.full(n_rows, -1, dtype=np.int64)
    for n, i in enumerate(sorted(section_ctx)):
        ctx = section_ctx[i]
        if "kelompok" in ctx:
            keep_prov = ctx["kategori"] in ("Kabupaten", "Kota")
            state = {"kelompok": ctx["kelompok"], "kategori": ctx["kategori"],
                     "provinsi": state["provinsi"] if keep_prov else None}
        else:  # a province section is regional: a central kategori above it no longer applies
            regional = state["kategori"] in ("Provinsi", "Kabupaten", "Kota")
            state = {"kelompok": "Pemerintah Daerah", "kategori": state["kategori"] if regional else None,
                     "provinsi": ctx["provinsi"]}
        states.append(dict(state))
        codes[i] = n
    codes = pd.Series(codes).replace(-1, np.nan).ffill().fillna(-1).astype(np.int64).to_numpy()
    return pd.DataFrame({
        k: pd.Series(np.array([None] + [st[k] for st in states], dtype=object)[codes + 1], dtype=object)
        for k in ("kelompok", "kategori", "provinsi")})
