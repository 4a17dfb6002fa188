"""Planner inputs written by people: yearly RPJMD index targets and effort numbers.

    targets_from_spec(ins, "2025=2,8; 2029=Sangat Baik")      # CLI form → {2025: 2.8, 2029: 3.5}
    target_rows(ins, [("2025", "3,3"), ...], start_index=2.97, first_year=2022)   # the page's table

Both accept a decimal comma or point ("3,3" and "3.3" are 3,30) and refuse, BEFORE any planning,
with an Indonesian message naming the year and the value: values outside the instrument's index
range, more than two decimals (the index is published with two), and — in the page's table — a
target below the starting index (a plan cannot lower the index: such a value is a typo, e.g.
"2,3" for "3,2"). "Target" here is always the analyst's own yearly RPJMD index target; the
national annual target and the Baik threshold have their own names (see domain.plan_report).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from domain.instrument import Instrument
from domain.numbers import is_missing, num


class PlanError(ValueError):
    """Planner input that cannot be used (bad targets, locks, effort weights, step)."""


def exact(value, what: str) -> Fraction:
    """A number (int, Decimal, Fraction, float taken as its shortest decimal, numeric str)."""
    if isinstance(value, bool):
        raise PlanError(f"{what}: {value!r} bukan angka")
    if isinstance(value, (int, Fraction, Decimal)):
        return Fraction(value)
    text = str(float(value)) if isinstance(value, float) else str(value).strip().replace(",", ".")
    try:
        dec = Decimal(text)
    except InvalidOperation:
        raise PlanError(f"{what}: '{value}' bukan angka") from None
    if not dec.is_finite():
        raise PlanError(f"{what}: '{value}' bukan angka yang sah")
    return Fraction(dec)


_NUMBER = re.compile(r"\s*[-+]?\d+([.,]\d+)?\s*")


def resolve_target(instrument: Instrument, value) -> Fraction:
    """A target index: a number, or a predikat name (its band's lower bound)."""
    if isinstance(value, str) and not _NUMBER.fullmatch(value):
        name = " ".join(value.split()).casefold()
        for band in instrument.bands:
            if band.nama.casefold() == name:
                return Fraction(band.batas_bawah)
        names = ", ".join(b.nama for b in instrument.bands)
        raise PlanError(f"target '{value.strip()}' tidak dikenali: isi angka indeks (mis. 2,80) "
                        f"atau nama predikat ({names})")
    return exact(value, "target")


def _check_value(instrument: Instrument, year: int, raw, value: Fraction) -> None:
    lo, hi = instrument.level_min, instrument.level_max
    shown = str(raw).strip()
    if not lo <= value <= hi:
        raise PlanError(f"target {year} = {shown} di luar rentang indeks {num(lo)}–{num(hi)}")
    if (value * 100).denominator != 1:
        raise PlanError(f"target {year} = {shown}: indeks ditulis dengan paling banyak dua desimal (mis. 3,35)")


_ENTRY = re.compile(r"(?:^|[,;])\s*(\d{4})\s*[=:]")


def _year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise PlanError(f"tahun {year} tidak masuk akal untuk target SPBE")
    return year


def targets_from_spec(instrument: Instrument, spec: str) -> dict[int, float]:
    """Parse "2025=2.8, 2026=3,0; 2029=Sangat Baik" into {year: target index}.

    Entries are ``tahun=nilai`` separated by commas or semicolons; a value is an index
    (decimal point or decimal comma) or a predikat name of the instrument. Raises ValueError
    (PlanError) with an Indonesian message for anything else."""
    if spec is None or not str(spec).strip():
        raise PlanError("target kosong: tulis mis. 2025=2,80; 2026=3,00 atau 2029=Sangat Baik")
    text = str(spec).strip()
    matches = list(_ENTRY.finditer(text))
    if not matches or text[:matches[0].start()].strip():
        raise PlanError(f"format target '{text}' tidak dikenali: tulis tahun=nilai, "
                        "mis. 2025=2,80; 2026=3,00 atau 2029=Sangat Baik")
    out: dict[int, float] = {}
    for m, nxt in zip(matches, matches[1:] + [None]):
        year = int(m.group(1))
        raw = text[m.end(): nxt.start() if nxt else len(text)].strip()
        if not raw:
            raise PlanError(f"tahun {year}: nilai target kosong")
        if _year(year) in out:
            raise PlanError(f"tahun {year} disebut lebih dari sekali")
        value = resolve_target(instrument, raw)
        _check_value(instrument, year, raw, value)
        out[year] = float(value)
    return dict(sorted(out.items()))


def _row_year(raw, first_year: int) -> int:
    text = str(raw).strip()
    if not re.fullmatch(r"\d{4}(\.0+)?", text):
        raise PlanError(f"tahun '{text}' tidak dikenali: tulis empat angka, mis. {first_year}")
    year = _year(int(float(text)))
    if year < first_year:
        raise PlanError(f"tahun {year} sebelum tahun pertama rencana {first_year}")
    return year


def target_rows(instrument: Instrument, rows, *, start_index, first_year: int) -> dict[int, float]:
    """The page's target table → {year: target}: rows of (tahun, target) as typed (text or numbers).

    Empty rows are skipped; "3,3" and "3.3" are 3,30. Refused (PlanError naming the year and the
    value): a year that is not four digits or lies before ``first_year``, a year given twice, a
    value that is not a number, outside the index range, with more than two decimals, or below
    ``start_index`` (the index the plan starts from)."""
    out: dict[int, float] = {}
    start = Fraction(Decimal(str(start_index)))
    for raw_year, raw_value in rows:
        if all(is_missing(v) or not str(v).strip() for v in (raw_year, raw_value)):
            continue
        if is_missing(raw_year) or not str(raw_year).strip():
            raise PlanError(f"target {str(raw_value).strip()} tanpa tahun: isi kolom Tahun")
        year = _row_year(raw_year, first_year)
        if is_missing(raw_value) or not str(raw_value).strip():
            raise PlanError(f"tahun {year}: nilai target kosong")
        if year in out:
            raise PlanError(f"tahun {year} disebut lebih dari sekali")
        text = str(raw_value).strip()
        if not _NUMBER.fullmatch(text) and not isinstance(raw_value, (int, float)):
            raise PlanError(f"target {year} = {text} bukan angka indeks: tulis mis. 3,30")
        value = exact(raw_value, f"target {year}")
        _check_value(instrument, year, num(value) if isinstance(raw_value, float) else text, value)
        if value < start:
            raise PlanError(f"target {year} = {num(value)} di bawah indeks awal {num(start)}: rencana tidak "
                            "menurunkan indeks (salah ketik? mis. 2,3 untuk 3,2)")
        out[year] = float(value)
    if not out:
        raise PlanError("tabel target kosong: isi paling sedikit satu tahun dan targetnya")
    return dict(sorted(out.items()))
