"""THE number formatting of every output (screen, brief, export, CLI, reader messages): id-ID
notation (decimal comma, thousands dot) and one rounding rule, half-up as the published figures.

    num(2.605) → '2,61'    num(1234.5) → '1.234,50'    signed(0.32) → '+0,32'    pct(45.25) → '45,3 %'
    integer(500004) → '500.004'    amount(7.5) → '7,5'    num(None) → '—'

A float is rounded as the decimal it prints as (its shortest repr: 2.605 is 2.605, not
2.60499…); an int, Decimal or Fraction exactly. Comparisons that a reader checks against printed
numbers use ``round_half_up`` so the words never contradict the digits. Stdlib only: domain,
etl, briefs and rendering (``rendering.format`` adds the DataFrame helpers) all use this module.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

MISSING = "—"


def is_missing(value) -> bool:
    """None, NaN, and pandas' NA / NaT (recognised by type name: no pandas import here)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def _decimal(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return Decimal(str(float(value)))


def round_half_up(value, decimals: int = 2) -> Decimal:
    """2.605 → Decimal('2.61'), 2.675 → Decimal('2.68'), -0.005 → Decimal('-0.01')."""
    q = Decimal(1).scaleb(-decimals) if decimals else Decimal(1)
    return _decimal(value).quantize(q, rounding=ROUND_HALF_UP)


def num(value, decimals: int = 2) -> str:
    """2.605 → '2,61' (half-up like published figures); 1234.5 → '1.234,50'; None → '—'."""
    if is_missing(value):
        return MISSING
    d = round_half_up(value, decimals)
    sign = "-" if d < 0 else ""
    text = f"{abs(d):,.{decimals}f}"  # 1,234.50
    return sign + text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def integer(value) -> str:
    """500004 → '500.004'."""
    return MISSING if is_missing(value) else num(value, 0)


def pct(value, decimals: int = 1) -> str:
    """Percent value already in 0–100: 45.25 → '45,3 %'."""
    return MISSING if is_missing(value) else f"{num(value, decimals)} %"


def signed(value, decimals: int = 2) -> str:
    """Change with an explicit sign: 0.32 → '+0,32'."""
    if is_missing(value):
        return MISSING
    text = num(value, decimals)
    return text if text.startswith("-") or float(value) == 0 else "+" + text


def amount(value, decimals: int = 2) -> str:
    """Up to ``decimals``, trailing zeros dropped: 19.0 → '19', 7.5 → '7,5', 0.125 → '0,13'."""
    text = num(value, decimals)
    return text.rstrip("0").rstrip(",") if "," in text else text
