"""The instrument model: indicators → aspects → domains with weights, the level scale, predikat
bands (name, bounds, colour) and the index's own name. Read from data by `domain.instrument`
(which re-exports these names); see that module for the files and their rules.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

DEFAULT_INDEX_NAME = "Indeks"


class InstrumentError(ValueError):
    """A reference file that does not describe a consistent instrument."""


@dataclass(frozen=True)
class Indicator:
    no: int
    nama: str
    no_aspek: int
    no_domain: int
    bobot: Decimal | None  # None on a sector row: its weight follows its aspect's rule
    skala: str  # key into Instrument.skala ("proses" / "layanan")
    sektor_dari: int | None = None  # sector row: the indicator it is a sector of
    sektor_ke: int | None = None    # sector number (2, 3, …); the indicator itself is sector 1
    berlaku_untuk: tuple[str, ...] = ()  # kategori_ringkas the row is assessed for; () = every instansi

    @property
    def kode(self) -> str:
        """How records write the row: '35-2' for sector 2 of indicator 35, else its number."""
        return f"{self.sektor_dari}-{self.sektor_ke}" if self.sektor_dari else str(self.no)


@dataclass(frozen=True)
class Aspect:
    no: int
    kode: str
    label: str
    nama: str
    bobot: Decimal
    no_domain: int


@dataclass(frozen=True)
class Domain:
    no: int
    kode: str
    label: str
    nama: str
    bobot: Decimal


@dataclass(frozen=True)
class Band:
    nama: str
    batas_bawah: Decimal
    batas_atas: Decimal
    warna: str | None = None  # "#rrggbb" from the TOML (charts: band fill, legend, bars)


@dataclass(frozen=True)
class Instrument:
    id: str
    nama: str
    regulasi: str
    tahun_mulai: int
    tahun_akhir: int | None
    level_min: int
    level_max: int
    target_level: int
    target_indeks: Decimal
    sumber: str
    indicators: tuple[Indicator, ...]
    aspects: tuple[Aspect, ...]
    domains: tuple[Domain, ...]
    bands: tuple[Band, ...]  # best first
    skala: dict[str, tuple[str, ...]] = field(hash=False, compare=False)
    sektor: tuple[Indicator, ...] = ()  # sector rows, only for some kategori (see module doc)
    rerata: frozenset[int] = frozenset()  # aspects scored as the mean of their rows
    nama_indeks: str = DEFAULT_INDEX_NAME  # the index's own name: "Indeks SPBE"

    @property
    def scale(self) -> tuple[int, int]:
        """(lowest, highest) level; the index and every aspect/domain value lie on the same scale."""
        return self.level_min, self.level_max

    @property
    def predikat_names(self) -> tuple[str, ...]:
        """Band names, best first."""
        return tuple(b.nama for b in self.bands)

    @property
    def predikat_colors(self) -> dict[str, str]:
        """Band name → colour, for the bands that name one."""
        return {b.nama: b.warna for b in self.bands if b.warna}

    # --- lookups -------------------------------------------------------------------------
    @property
    def indicator_numbers(self) -> tuple[int, ...]:
        """The indicators every instansi has (sector rows excluded)."""
        return tuple(i.no for i in self.indicators)

    @property
    def rows(self) -> tuple[Indicator, ...]:
        """Every row, indicators and sector rows, by number."""
        return tuple(sorted(self.indicators + self.sektor, key=lambda i: i.no))

    def indicator(self, no: int) -> Indicator:
        for ind in self.rows:
            if ind.no == no:
                return ind
        raise KeyError(f"indikator {no} tidak ada di instrumen {self.nama}")

    def aspect(self, no: int) -> Aspect:
        return next(a for a in self.aspects if a.no == no)

    def domain(self, no: int) -> Domain:
        return next(d for d in self.domains if d.no == no)

    def covers(self, tahun: int) -> bool:
        return self.tahun_mulai <= tahun and (self.tahun_akhir is None or tahun <= self.tahun_akhir)

    def level_name(self, indicator_no: int, level: int) -> str:
        names = self.skala.get(self.indicator(indicator_no).skala, ())
        k = level - self.level_min
        return names[k] if 0 <= k < len(names) else str(level)

    # --- sector rows and weights ------------------------------------------------------
    def sector_groups(self) -> dict[int, tuple[Indicator, ...]]:
        """Sector rows per indicator they split ({35: (row 36, row 37)})."""
        groups: dict[int, list[Indicator]] = {}
        for row in self.sektor:
            groups.setdefault(row.sektor_dari, []).append(row)
        return {k: tuple(sorted(v, key=lambda r: r.sektor_ke)) for k, v in sorted(groups.items())}

    def sector_row(self, induk: int, ke: int) -> int | None:
        """Row number of sector `ke` of indicator `induk` ('35-2' → 36; '35-1' → 35), else None."""
        rows = self.sector_groups().get(induk, ())
        if rows and ke == 1:
            return induk
        return next((r.no for r in rows if r.sektor_ke == ke), None)

    # --- predikat ------------------------------------------------------------------------
    def predikat(self, indeks) -> str | None:
        """Predikat of an index: the band holding it, batas_bawah <= indeks < batas_atas.

        KemenPANRB bands the UNROUNDED index (2024: Nias Barat 1,80 Kurang, Pacitan 3,50 Baik, Luwu
        2,60 Cukup): pass the exact value (Fraction) whenever it is known; a printed 2-decimal index
        is banded as printed. None (or NaN) gives None."""
        value = _exact(indeks)
        if value is None:
            return None
        for band in self.bands:  # best first; bands are contiguous
            if value >= band.batas_bawah:
                return band.nama
        return self.bands[-1].nama

    def predikat_printed(self, indeks, decimals: int = 2) -> tuple[str, ...]:
        """Every predikat an index printed with `decimals` decimals can carry: the bands of the
        unrounded values that round half-up to it (2,60 → Baik, Cukup: 2,595 <= x < 2,605)."""
        value = _exact(indeks)
        if value is None:
            return ()
        half = Fraction(1, 2 * 10 ** decimals)
        lo, hi = value - half, value + half
        names = []
        for k, band in enumerate(self.bands):
            lower = band.batas_bawah if k < len(self.bands) - 1 else None  # the lowest band takes all below
            upper = band.batas_atas if k > 0 else None                     # the top band takes all above
            if (lower is None or lower < hi) and (upper is None or lo < upper):
                names.append(band.nama)
        return tuple(names)


def _exact(value) -> Fraction | None:
    """An index as an exact number: Fractions and Decimals as they are, floats by their shortest
    decimal form (2.6 → 13/5); None/NaN → None."""
    if value is None:
        return None
    if isinstance(value, (Fraction, int)):
        return Fraction(value)
    if isinstance(value, Decimal):
        return None if value.is_nan() else Fraction(value)
    number = float(value)
    return None if math.isnan(number) else Fraction(repr(number))
