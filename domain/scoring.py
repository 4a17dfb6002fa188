"""Scoring per PermenPANRB 59/2020 section B.4 (same formulas for every instrument).

indeks aspek  = Σ(level × bobot indikator) / bobot aspek
indeks domain = Σ(indeks aspek × bobot aspek) / bobot domain
Indeks SPBE   = Σ(indeks domain × bobot domain) / 100

The weights of a level set come from the instrument data (``row_weights``): an indicator's CSV
weight, or in an aspect with the rule ``rerata`` the aspect's weight shared equally by the rows the
set has there (PermenPANRB 5/2018, aspect 7: a pemda's six rows incl. the sectors 35, 35-2, 35-3 at
20 % / 6 each; a central agency's four rows at 5 %). Sector rows are scored only as complete groups
and only for the kategori they are assessed for.

Arithmetic is exact (Fractions of the decimal weights); published values are rounded to two
decimals half-up. The predikat bands the UNROUNDED index, as KemenPANRB does
(``Instrument.predikat``: 2,596 is "Cukup" although printed 2,60).
"""
from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Iterable, Mapping

from domain.instrument import Instrument, InstrumentRegistry

PEMDA = ("Provinsi", "Kabupaten", "Kota")  # kategori_ringkas of regional governments


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
    predikat: str                # band of the unrounded index

    def aspek_rounded(self) -> dict[int, float]:
        return {k: round2(v) for k, v in self.aspek.items()}

    def domain_rounded(self) -> dict[int, float]:
        return {k: round2(v) for k, v in self.domain.items()}


# --- which rows a level set has, and their weights -------------------------------------------
def row_set_problem(instrument: Instrument, numbers: Iterable[int], kategori: str | None = None) -> str | None:
    """Why the sector rows of a level set cannot be scored (for that kategori), else None.

    A level set has all sectors of an indicator or none; sector rows only for the kategori they are
    assessed for (kategori None: not checked). Unknown or missing indicators are checked elsewhere."""
    present = set(numbers)
    for induk, rows in instrument.sector_groups().items():
        have = [r for r in rows if r.no in present]
        if not have:
            continue
        every = ", ".join([str(induk)] + [r.kode for r in rows])
        if len(have) < len(rows):
            lacking = ", ".join(r.kode for r in rows if r.no not in present)
            return (f"sektor indikator {induk} tidak lengkap: ada {', '.join(r.kode for r in have)}, tidak ada "
                    f"{lacking}; {instrument.nama} menilai indikator {induk} pemda dalam {len(rows) + 1} sektor "
                    f"({every}) — tulis level setiap sektor, atau satu level untuk indikator {induk} saja")
        barred = [r for r in have if kategori is not None and r.berlaku_untuk and kategori not in r.berlaku_untuk]
        if barred:
            return (f"sektor indikator {induk} ({every}) hanya dinilai untuk {', '.join(barred[0].berlaku_untuk)}, "
                    f"bukan {kategori}; tulis satu level untuk indikator {induk}")
    return None


def row_sets(instrument: Instrument) -> list[tuple[frozenset[int], frozenset[str] | None]]:
    """Every set of row numbers the instrument scores, with the kategori it is allowed for (None:
    every instansi): the indicators plus any combination of complete sector groups."""
    base, groups, out = frozenset(instrument.indicator_numbers), list(instrument.sector_groups().values()), []
    for k in range(len(groups) + 1):
        for combo in itertools.combinations(groups, k):
            rows = [r for g in combo for r in g]
            kategori = None
            for r in (r for r in rows if r.berlaku_untuk):
                kategori = frozenset(r.berlaku_untuk) if kategori is None else kategori & frozenset(r.berlaku_untuk)
            out.append((base | {r.no for r in rows}, kategori))
    return out


def row_weights(instrument: Instrument, numbers: Iterable[int] | None = None) -> dict[int, Fraction]:
    """Weight (% of the index) of each row of a level set (default: the indicators every instansi has).
    Rows of a 'rerata' aspect share the aspect's weight equally; the others keep their CSV weight."""
    chosen = set(instrument.indicator_numbers if numbers is None else numbers)
    rows = [r for r in instrument.rows if r.no in chosen]
    count = Counter(r.no_aspek for r in rows)
    return {r.no: Fraction(instrument.aspect(r.no_aspek).bobot) / count[r.no_aspek]
            if r.no_aspek in instrument.rerata else Fraction(r.bobot) for r in rows}


def weight_numerator(instrument: Instrument, no: int) -> Decimal:
    """A row's weight before its aspect's division, as the warehouse sums it: the CSV weight, or in a
    'rerata' aspect the aspect's weight (divided there by the number of rows the set has in it)."""
    row = instrument.indicator(no)
    return instrument.aspect(row.no_aspek).bobot if row.no_aspek in instrument.rerata else row.bobot


def weight_scale(registry: InstrumentRegistry) -> int:
    """Integer factor that makes every weighted level sum of the warehouse an exact integer: 1000
    (weights have at most 3 decimals) times what each 'rerata' aspect's weight needs to divide
    exactly by every number of rows it can have (5/2018 aspect 7: 20 % over 4 or 6 rows → 3000)."""
    factor = 1
    for ins in registry:
        for rows, _ in row_sets(ins):
            counts = Counter(ins.indicator(no).no_aspek for no in rows)
            for no_aspek in ins.rerata:
                milli, n = int(ins.aspect(no_aspek).bobot * 1000), counts[no_aspek]
                factor = math.lcm(factor, n // math.gcd(n, milli))
    return 1000 * factor


# --- scoring ---------------------------------------------------------------------------------
def check_levels(instrument: Instrument, levels: Mapping[int, int], kategori: str | None = None) -> None:
    missing = [n for n in instrument.indicator_numbers if n not in levels]
    if missing:
        raise LevelError(f"level indikator belum lengkap untuk {instrument.nama}: tidak ada {missing}")
    extra = sorted(set(levels) - {r.no for r in instrument.rows})
    if extra:
        raise LevelError(f"indikator {extra} tidak ada di {instrument.nama}")
    problem = row_set_problem(instrument, levels, kategori)
    if problem:
        raise LevelError(problem)
    for n, lv in levels.items():
        if not isinstance(lv, int) or isinstance(lv, bool) or not instrument.level_min <= lv <= instrument.level_max:
            raise LevelError(
                f"indikator {n}: level {lv!r} harus bilangan bulat {instrument.level_min}–{instrument.level_max}")


def aspect_values(instrument: Instrument, levels: Mapping[int, int]) -> dict[int, Fraction]:
    weights = row_weights(instrument, levels)
    totals = {asp.no: Fraction(0) for asp in instrument.aspects}
    for row in instrument.rows:
        if row.no in weights:
            totals[row.no_aspek] += Fraction(levels[row.no]) * weights[row.no]
    return {asp.no: totals[asp.no] / Fraction(asp.bobot) for asp in instrument.aspects}


def domain_values(instrument: Instrument, aspek: Mapping[int, Fraction | float]) -> dict[int, Fraction]:
    out = {}
    for dom in instrument.domains:
        total = sum(Fraction(aspek[a.no]) * Fraction(a.bobot) for a in instrument.aspects if a.no_domain == dom.no)
        out[dom.no] = total / Fraction(dom.bobot)
    return out


def index_value(instrument: Instrument, domain: Mapping[int, Fraction | float]) -> Fraction:
    return sum(Fraction(domain[d.no]) * Fraction(d.bobot) for d in instrument.domains) / 100


def score_levels(instrument: Instrument, levels: Mapping[int, int], kategori: str | None = None) -> Scores:
    """Aspect, domain and index values of one complete set of indicator levels (with sector rows
    when the instansi has them; `kategori`, when known, is checked against the sector rows)."""
    check_levels(instrument, levels, kategori)
    aspek = aspect_values(instrument, levels)
    domain = domain_values(instrument, aspek)
    indeks = index_value(instrument, domain)
    return Scores(
        instrument_id=instrument.id,
        aspek={k: float(v) for k, v in aspek.items()},
        domain={k: float(v) for k, v in domain.items()},
        indeks_exact=float(indeks),
        indeks=round2(indeks),
        predikat=instrument.predikat(indeks),
    )


def index_from_domains(instrument: Instrument, domain: Mapping[int, float]) -> float:
    """Index implied by (published) domain values, unrounded; used for consistency checks."""
    return float(index_value(instrument, {k: Fraction(str(v)) for k, v in domain.items()}))


def index_gain(instrument: Instrument, indicator_no: int, steps: int = 1,
               numbers: Iterable[int] | None = None) -> float:
    """Index points added by raising one row by `steps` levels (its weight/100 per level) in the
    level set `numbers` (default: the indicators every instansi has)."""
    return float(row_weights(instrument, numbers)[indicator_no] * steps / 100)
