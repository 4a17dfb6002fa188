"""Scoring per PermenPANRB 59/2020 section B.4 (same formulas for every instrument).

indeks aspek  = Σ(level × bobot indikator) / bobot aspek
indeks domain = Σ(indeks aspek × bobot aspek) / bobot domain
Indeks SPBE   = Σ(indeks domain × bobot domain) / 100

Arithmetic is exact (Fractions of the decimal weights); published values are rounded to two
decimals half-up, and the predikat follows the rounded index, as in the official tables.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Mapping

from domain.instrument import Instrument


class LevelError(ValueError):
    """Levels that cannot be scored (missing indicator, value outside the scale)."""


def round2(value: Fraction | float | Decimal) -> float:
    """Round half-up to two decimals the way published figures are."""
    if isinstance(value, Fraction):
        dec = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        dec = Decimal(str(value))
    return float(dec.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Scores:
    instrument_id: str
    aspek: dict[int, float]      # exact values as floats
    domain: dict[int, float]
    indeks_exact: float
    indeks: float                # rounded to 2 decimals
    predikat: str

    def aspek_rounded(self) -> dict[int, float]:
        return {k: round2(v) for k, v in self.aspek.items()}

    def domain_rounded(self) -> dict[int, float]:
        return {k: round2(v) for k, v in self.domain.items()}


def check_levels(instrument: Instrument, levels: Mapping[int, int]) -> None:
    missing = [n for n in instrument.indicator_numbers if n not in levels]
    if missing:
        raise LevelError(f"level indikator belum lengkap untuk {instrument.nama}: tidak ada {missing}")
    extra = sorted(set(levels) - set(instrument.indicator_numbers))
    if extra:
        raise LevelError(f"indikator {extra} tidak ada di {instrument.nama}")
    for n, lv in levels.items():
        if not isinstance(lv, int) or isinstance(lv, bool) or not instrument.level_min <= lv <= instrument.level_max:
            raise LevelError(
                f"indikator {n}: level {lv!r} harus bilangan bulat {instrument.level_min}–{instrument.level_max}")


def aspect_values(instrument: Instrument, levels: Mapping[int, int]) -> dict[int, Fraction]:
    out = {}
    for asp in instrument.aspects:
        total = sum(Fraction(levels[i.no]) * Fraction(i.bobot) for i in instrument.indicators if i.no_aspek == asp.no)
        out[asp.no] = total / Fraction(asp.bobot)
    return out


def domain_values(instrument: Instrument, aspek: Mapping[int, Fraction | float]) -> dict[int, Fraction]:
    out = {}
    for dom in instrument.domains:
        total = sum(Fraction(aspek[a.no]) * Fraction(a.bobot) for a in instrument.aspects if a.no_domain == dom.no)
        out[dom.no] = total / Fraction(dom.bobot)
    return out


def index_value(instrument: Instrument, domain: Mapping[int, Fraction | float]) -> Fraction:
    return sum(Fraction(domain[d.no]) * Fraction(d.bobot) for d in instrument.domains) / 100


def score_levels(instrument: Instrument, levels: Mapping[int, int]) -> Scores:
    """Aspect, domain and index values of one complete set of indicator levels."""
    check_levels(instrument, levels)
    aspek = aspect_values(instrument, levels)
    domain = domain_values(instrument, aspek)
    indeks = index_value(instrument, domain)
    rounded = round2(indeks)
    return Scores(
        instrument_id=instrument.id,
        aspek={k: float(v) for k, v in aspek.items()},
        domain={k: float(v) for k, v in domain.items()},
        indeks_exact=float(indeks),
        indeks=rounded,
        predikat=instrument.predikat(rounded),
    )


def index_from_domains(instrument: Instrument, domain: Mapping[int, float]) -> float:
    """Index implied by (published) domain values, unrounded; used for consistency checks."""
    return float(index_value(instrument, {k: Fraction(str(v)) for k, v in domain.items()}))


def index_gain(instrument: Instrument, indicator_no: int, steps: int = 1) -> float:
    """Index points added by raising one indicator by `steps` levels (bobot/100 per level)."""
    return float(Fraction(instrument.indicator(indicator_no).bobot) * steps / 100)
