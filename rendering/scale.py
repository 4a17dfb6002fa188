"""What a chart takes from the instrument it shows: the level scale (axis ranges, radar ticks) and
the index's own name (axis titles). Pure helpers over `domain.instrument`; a factory that is given
an instrument (or years) uses it, else every instrument in the registry."""
from __future__ import annotations

from domain.instrument import Instrument, load_registry


def scale_of(instrument: Instrument | None = None, years=None) -> tuple[int, int]:
    """(lowest, highest) level of `instrument`, else spanning the instruments of `years`."""
    return instrument.scale if instrument is not None else load_registry().scale(years)


def index_name(instrument: Instrument | None = None, years=None) -> str:
    """The index's name ("Indeks SPBE"); over several instruments with different names: "Indeks"."""
    if instrument is not None:
        return instrument.nama_indeks
    names = {i.nama_indeks for i in load_registry().covering(years)}
    return names.pop() if len(names) == 1 else "Indeks"


def instrument_for(tahun: int | None) -> Instrument | None:
    """The instrument of a year (None without a year or outside every instrument)."""
    if tahun is None:
        return None
    try:
        return load_registry().for_year(int(tahun))
    except KeyError:
        return None


def radial_range(lo: float, hi: float) -> list[float]:
    """Radar radius: one step below the lowest level (so it is not the centre point) down to 0 at most."""
    return [lo - 1 if lo >= 1 else lo, hi]


def bar_range(lo: float, hi: float, pad: float = 0.4) -> list[float]:
    """Bars start at 0 (or a negative scale's bottom) and leave room for their labels above the top."""
    return [min(0, lo), hi + pad]


def level_ticks(lo: int, hi: int) -> list[int]:
    return list(range(int(lo), int(hi) + 1))
