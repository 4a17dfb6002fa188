"""Evaluation instruments as data.

An instrument is a TOML file (metadata, maturity scales, predikat bands, targets, aspect rules) plus
the CSV of indicators it names (indicator → aspect → domain with weights). Adding an instrument means
adding those two files under ``data/reference/instruments/``; no code changes.

Sector rows: a CSV row with ``sektor_dari`` is sector ``sektor_ke`` of another indicator, assessed
only for the kategori in ``berlaku_untuk`` (PermenPANRB 5/2018: a pemda's indicator 35 in three
sectors, written 35, 35-2, 35-3 — rows 35, 36, 37). ``Instrument.indicators`` are the rows every
instansi has, ``Instrument.sektor`` the sector rows; a level set has all sectors of an indicator or
none. Aspect rule ``rerata`` (TOML ``[[aturan_aspek]]``): the aspect is the mean of the levels of its
rows, each weighing bobot_aspek / number of rows (``domain.scoring.row_weights``).

Predikat: KemenPANRB bands the unrounded index (``Instrument.predikat``, the one place that decides
it; ``Instrument.predikat_printed`` gives the bands a printed 2-decimal index can carry).
"""
from __future__ import annotations

import csv
import math
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
INSTRUMENT_DIR = REFERENCE_DIR / "instruments"

INDICATOR_COLUMNS = (
    "no_indikator", "nama_indikator", "no_aspek", "kode_aspek", "label_aspek", "nama_aspek",
    "bobot_aspek_pct", "no_domain", "kode_domain", "label_domain", "nama_domain",
    "bobot_domain_pct", "bobot_indikator_pct", "skala",
)
OPTIONAL_COLUMNS = ("sektor_dari", "sektor_ke", "berlaku_untuk")  # sector rows (blank on other rows)
ASPECT_RULES = ("rerata",)


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
        return names[level - 1] if 1 <= level <= len(names) else str(level)

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


def _dec(value: str, where: str) -> Decimal:
    try:
        return Decimal(value.strip())
    except Exception as exc:  # noqa: BLE001 - re-raised with context
        raise InstrumentError(f"{where}: '{value}' bukan angka") from exc


def _opt_int(row: dict, key: str, where: str) -> int | None:
    text = (row.get(key) or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise InstrumentError(f"{where}: {key} '{text}' bukan bilangan bulat")
    return int(text)


def _read_rows(csv_path: Path) -> tuple[list[Indicator], dict[int, Aspect], dict[int, Domain]]:
    """Rows of an indicator CSV with the aspects and domains they name (each defined consistently)."""
    with csv_path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in INDICATOR_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InstrumentError(f"{csv_path.name}: kolom hilang {missing}")
        rows = list(reader)
    indicators, aspects, domains = [], {}, {}
    for n, row in enumerate(rows, start=2):
        where = f"{csv_path.name} baris {n}"
        sektor_dari = _opt_int(row, "sektor_dari", where)
        bobot_text = row["bobot_indikator_pct"].strip()
        ind = Indicator(
            no=int(row["no_indikator"]), nama=row["nama_indikator"].strip(),
            no_aspek=int(row["no_aspek"]), no_domain=int(row["no_domain"]),
            bobot=None if sektor_dari and not bobot_text else _dec(bobot_text, where), skala=row["skala"].strip(),
            sektor_dari=sektor_dari, sektor_ke=_opt_int(row, "sektor_ke", where),
            berlaku_untuk=tuple(k.strip() for k in (row.get("berlaku_untuk") or "").split("|") if k.strip()),
        )
        if (ind.sektor_dari is None) != (ind.sektor_ke is None) or (ind.sektor_ke is not None and ind.sektor_ke < 2):
            raise InstrumentError(f"{where}: baris sektor perlu sektor_dari dan sektor_ke (2, 3, …) bersama")
        if ind.berlaku_untuk and not ind.sektor_dari:
            raise InstrumentError(f"{where}: berlaku_untuk hanya untuk baris sektor")
        indicators.append(ind)
        asp = Aspect(ind.no_aspek, row["kode_aspek"], row["label_aspek"], row["nama_aspek"],
                     _dec(row["bobot_aspek_pct"], where), ind.no_domain)
        if aspects.setdefault(asp.no, asp) != asp:
            raise InstrumentError(f"{where}: aspek {asp.no} didefinisikan berbeda dari baris sebelumnya")
        dom = Domain(ind.no_domain, row["kode_domain"], row["label_domain"], row["nama_domain"],
                     _dec(row["bobot_domain_pct"], where))
        if domains.setdefault(dom.no, dom) != dom:
            raise InstrumentError(f"{where}: domain {dom.no} didefinisikan berbeda dari baris sebelumnya")
    if not indicators:
        raise InstrumentError(f"{csv_path.name}: tidak ada indikator")
    if len({i.no for i in indicators}) != len(indicators):
        raise InstrumentError(f"{csv_path.name}: nomor indikator ganda")
    return indicators, aspects, domains


def _aspect_rules(meta: dict, aspects: dict[int, Aspect], name: str) -> frozenset[int]:
    rules = {}
    for rule in meta.get("aturan_aspek", []):
        no, rumus = rule.get("aspek"), rule.get("rumus")
        if no not in aspects or rumus not in ASPECT_RULES:
            raise InstrumentError(f"{name}: aturan_aspek {rule} — aspek harus ada di CSV, rumus salah satu {ASPECT_RULES}")
        rules[no] = rumus
    return frozenset(no for no, rumus in rules.items() if rumus == "rerata")


def _check_rows(name: str, base: list[Indicator], sektor: list[Indicator], aspects: dict[int, Aspect],
                domains: dict[int, Domain], rerata: frozenset[int]) -> None:
    """Weights add up (indicators → aspect → domain → 100); sector rows split an indicator of a 'rerata' aspect."""
    for ind in base:  # the warehouse sums weights ×1000 as integers (exact): 3 decimals at most
        if ind.bobot is None or (ind.bobot * 1000) % 1:
            raise InstrumentError(f"{name}: bobot indikator {ind.no} = {ind.bobot}: paling banyak 3 desimal")
    by_no = {i.no: i for i in base}
    for row in sektor:
        parent = by_no.get(row.sektor_dari)
        if parent is None or parent.no_aspek != row.no_aspek or row.no_aspek not in rerata or row.bobot is not None:
            raise InstrumentError(f"{name}: baris sektor {row.no} harus sektor indikator di aspek yang sama, di aspek "
                                  "dengan rumus rerata, dan tanpa bobot_indikator_pct")
    if len({(r.sektor_dari, r.sektor_ke) for r in sektor}) != len(sektor):
        raise InstrumentError(f"{name}: nomor sektor ganda")
    for asp in aspects.values():
        rows = [i for i in base if i.no_aspek == asp.no]
        total = sum((i.bobot for i in rows), Decimal(0))
        if total != asp.bobot:
            raise InstrumentError(f"{name}: bobot indikator aspek {asp.no} = {total}, bukan {asp.bobot}")
        if asp.no in rerata and len({i.bobot for i in rows}) > 1:
            raise InstrumentError(f"{name}: aspek {asp.no} (rumus rerata) perlu bobot indikator yang sama")
    for dom in domains.values():
        total = sum((a.bobot for a in aspects.values() if a.no_domain == dom.no), Decimal(0))
        if total != dom.bobot:
            raise InstrumentError(f"{name}: bobot aspek domain {dom.no} = {total}, bukan {dom.bobot}")
    if sum(d.bobot for d in domains.values()) != Decimal(100):
        raise InstrumentError(f"{name}: bobot domain tidak berjumlah 100")


def load_instrument(toml_path: Path | str) -> Instrument:
    """Read one instrument (TOML + its indicator CSV) and check that its weights add up."""
    toml_path = Path(toml_path)
    meta = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    csv_path = toml_path.parent / meta["indikator"]
    indicators, aspects, domains = _read_rows(csv_path)
    rerata = _aspect_rules(meta, aspects, toml_path.name)
    base = [i for i in indicators if i.sektor_dari is None]
    sektor = [i for i in indicators if i.sektor_dari is not None]
    _check_rows(csv_path.name, base, sektor, aspects, domains, rerata)
    bands = tuple(
        Band(b["nama"], Decimal(str(b["batas_bawah"])), Decimal(str(b["batas_atas"])))
        for b in sorted(meta["predikat"], key=lambda b: -b["batas_bawah"])
    )
    skala_keys = {i.skala for i in indicators}
    if not skala_keys <= set(meta.get("skala", {})):
        raise InstrumentError(f"{toml_path.name}: skala {sorted(skala_keys - set(meta.get('skala', {})))} tidak didefinisikan")
    return Instrument(
        id=meta["id"], nama=meta["nama"], regulasi=meta.get("regulasi", ""),
        tahun_mulai=int(meta["tahun_mulai"]), tahun_akhir=meta.get("tahun_akhir"),
        level_min=int(meta.get("level_min", 1)), level_max=int(meta.get("level_max", 5)),
        target_level=int(meta.get("target_level", 3)),
        target_indeks=Decimal(str(meta.get("target_indeks", "2.6"))),
        sumber=meta.get("sumber", ""),
        indicators=tuple(sorted(base, key=lambda i: i.no)),
        aspects=tuple(sorted(aspects.values(), key=lambda a: a.no)),
        domains=tuple(sorted(domains.values(), key=lambda d: d.no)),
        bands=bands,
        skala={k: tuple(v) for k, v in meta.get("skala", {}).items()},
        sektor=tuple(sorted(sektor, key=lambda i: i.no)),
        rerata=rerata,
    )


class InstrumentRegistry:
    """All instruments in a directory, looked up by id or by evaluation year."""

    def __init__(self, instruments: list[Instrument]):
        self.instruments = sorted(instruments, key=lambda i: i.tahun_mulai)
        ids = [i.id for i in self.instruments]
        if len(set(ids)) != len(ids):
            raise InstrumentError(f"id instrumen ganda: {ids}")
        for a, b in zip(self.instruments, self.instruments[1:]):
            if a.tahun_akhir is None or a.tahun_akhir >= b.tahun_mulai:
                raise InstrumentError(f"rentang tahun {a.id} dan {b.id} bertumpang tindih")

    def __iter__(self):
        return iter(self.instruments)

    def by_id(self, instrument_id: str) -> Instrument:
        for ins in self.instruments:
            if ins.id == instrument_id:
                return ins
        raise KeyError(f"instrumen '{instrument_id}' tidak dikenal")

    def for_year(self, tahun: int) -> Instrument:
        for ins in self.instruments:
            if ins.covers(tahun):
                return ins
        raise KeyError(f"tidak ada instrumen untuk tahun {tahun}")

    def break_years(self) -> list[int]:
        """First year of every instrument after the first (where series must not be joined)."""
        return [i.tahun_mulai for i in self.instruments[1:]]


@lru_cache(maxsize=8)
def load_registry(directory: Path | str = INSTRUMENT_DIR) -> InstrumentRegistry:
    directory = Path(directory)
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise InstrumentError(f"tidak ada file instrumen (*.toml) di {directory}")
    return InstrumentRegistry([load_instrument(p) for p in files])
