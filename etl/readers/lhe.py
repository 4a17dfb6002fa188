"""Laporan Hasil Evaluasi (LHE): the instansi's own evaluation report, as text or PDF text.

What is read: the year ("INDEKS SPBE TAHUN 2021"), the instansi named on the next line
("PEMERINTAH KOTA SERANG") and the table after "Perolehan Nilai Tingkat Kematangan Indikator":
one `no  indikator  level` entry per line, tab- or space-separated; a name wrapped over several
lines (as PDF extraction produces) is joined until the line that ends with the level.
"""
from __future__ import annotations

import re

import pandas as pd

from domain.instrument import InstrumentRegistry
from etl.report import GALAT, InputError, Issue, Report
from etl.validate import check_levels, check_row_keys

HEADING = re.compile(r"perolehan\s+nilai\s+tingkat\s+kematangan\s+indikator", re.IGNORECASE)
_YEAR = [re.compile(p, re.IGNORECASE) for p in
         (r"indeks\s+spbe\s+tahun\s+(\d{4})", r"evaluasi\s+spbe\s+tahun\s+(\d{4})", r"spbe\s+tahun\s+(\d{4})")]
_START = re.compile(r"^\s*(\d{1,3})[.)]?(?:\t|\s+)(?=[^\W\d_])")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
KOLOM_NO, KOLOM_LEVEL = "No", "Nilai Tingkat Kematangan"


def looks_like_lhe(text: str) -> bool:
    if "erolehan" not in text and "EROLEHAN" not in text:  # fast substring test before the regex
        return False
    return bool(HEADING.search(text))


def _entries(lines: list[str], start: int, max_no: int) -> list[dict]:
    """Indicator entries after the heading at line index `start`."""
    out: list[dict] = []
    current = None
    for idx in range(start + 1, len(lines)):
        line = lines[idx].rstrip()
        m = _START.match(line)
        if m:
            no = int(m.group(1))
            if (out and no <= out[-1]["no"]) or no > max_no:
                break
            tabbed = "\t" in line
            fields = line.split("\t") if tabbed else line.split()
            closed = len(fields) >= 3 and (tabbed or bool(_NUMBER.match(fields[-1])))
            current = {"no": no, "baris": idx + 1, "level": fields[-1].strip() if closed else "", "closed": closed}
            out.append(current)
        elif current is not None and not current["closed"] and line.strip():
            fields = line.split("\t") if "\t" in line else line.split()
            if ("\t" in line and len(fields) >= 2) or _NUMBER.match(fields[-1]):
                current["level"], current["closed"] = fields[-1].strip(), True
    return out


def _find_year(lines: list[str]) -> tuple[int | None, int | None, int | None]:
    """(year, line index, end of match) of the first year statement."""
    for pattern in _YEAR:
        for i, line in enumerate(lines):
            m = pattern.search(line)
            if m:
                return int(m.group(1)), i, m.end()
    return None, None, None


def _find_name(lines: list[str], year_idx: int | None, year_end: int | None) -> tuple[str | None, int | None]:
    if year_idx is not None:
        rest = lines[year_idx][year_end:].strip(" \t:-–")
        if re.search(r"[^\W\d_]{3}", rest):
            return rest, year_idx + 1
        for j in range(year_idx + 1, min(year_idx + 8, len(lines))):
            if lines[j].strip():
                return lines[j].strip(), j + 1
    for j, line in enumerate(lines[:120]):
        if re.match(r"^\s*pemerintah\s+(kota|kabupaten|kab\.?|provinsi)\s+\S", line, re.IGNORECASE):
            return line.strip(), j + 1
    return None, None


def read_lhe(berkas: str, text: str, *, registry: InstrumentRegistry, matcher, tahun: int | None,
             instansi: str | None, report: Report) -> tuple[pd.DataFrame, pd.DataFrame]:
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    max_no = max(max(i.indicator_numbers) for i in registry)
    heads = [i for i, ln in enumerate(lines) if HEADING.search(ln)]
    entries = max((_entries(lines, h, max_no) for h in heads), key=len, default=[])
    if not entries:
        raise InputError(Issue(berkas, heads[0] + 1 if heads else None, None, None,
                               "tabel 'Perolehan Nilai Tingkat Kematangan Indikator' tidak berisi baris "
                               "'no  indikator  level'; diharapkan satu baris per indikator", GALAT))
    year, year_idx, year_end = _find_year(lines)
    if year is None and tahun is None:
        raise InputError(Issue(berkas, None, None, None, "tahun evaluasi tidak ditemukan di LHE (mis. 'INDEKS SPBE "
                               "TAHUN 2021'); berikan argumen tahun", GALAT))
    name, name_line = _find_name(lines, year_idx, year_end)
    if name is None and not instansi:
        raise InputError(Issue(berkas, None, None, None, "nama instansi tidak ditemukan di LHE (baris sesudah "
                               "'INDEKS SPBE TAHUN …'); berikan argumen instansi", GALAT))
    n = len(entries)
    baris = pd.Series([e["baris"] for e in entries])
    tahun_raw = pd.Series([str(year)] * n) if year is not None else None
    key = instansi or name
    keys = pd.DataFrame({"id": [key] * n, "nama": [key] * n})
    years, ids, matches = check_row_keys(
        baris=baris if year is None else pd.Series([year_idx + 1] * n), tahun_raw=tahun_raw, tahun_arg=tahun,
        kolom_tahun="tahun" if year is not None else None, keys=keys,
        kolom_instansi="instansi", matcher=matcher, registry=registry, berkas=berkas, report=report,
        baris_instansi=pd.Series([name_line or 1] * n))
    if instansi and name:
        named = matcher.resolve(nama=name)
        if named.instansi_id and ids.iloc[0] and named.instansi_id != ids.iloc[0]:
            report.add(Issue(berkas, name_line, "instansi", name,
                             f"LHE ini untuk {name} ({named.instansi_id}), bukan instansi yang dipilih "
                             f"({instansi} → {ids.iloc[0]}); tidak dimuat", GALAT))
            ids[:] = None
    valid = (years.notna() & ids.notna()).to_numpy()
    rows = pd.DataFrame({
        "baris": baris[valid].to_numpy(), "tahun": years[valid].astype("int64").to_numpy(),
        "instansi_id": ids[valid].to_numpy(), "no_raw": [str(e["no"]) for e, v in zip(entries, valid) if v],
        "level_raw": [e["level"] for e, v in zip(entries, valid) if v], "mandiri_raw": None,
        "kolom_no": KOLOM_NO, "kolom_level": KOLOM_LEVEL, "kolom_mandiri": None})
    rows = rows.astype({"no_raw": object, "level_raw": object})
    return check_levels(rows, registry, berkas=berkas, report=report, kolom_lengkap=KOLOM_NO), matches
