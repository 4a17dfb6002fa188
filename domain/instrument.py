"""Evaluation instruments as data.

An instrument is a TOML file (metadata, maturity scales, predikat bands, targets) plus the CSV
of indicators it names (indicator → aspect → domain with weights). Adding an instrument means
adding those two files under ``data/reference/instruments/``; no code changes.
"""
from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
INSTRUMENT_DIR = REFERENCE_DIR / "instruments"

INDICATOR_COLUMNS = (
    "no_indikator", "nama_indikator", "no_aspek", "kode_aspek", "label_aspek", "nama_aspek",
    "bobot_aspek_pct", "no_domain", "kode_domain", "label_domain", "nama_domain",
    "bobot_domain_pct", "bobot_indikator_pct", "skala",
)


class InstrumentError(ValueError):
    """A reference file that does not describe a consistent instrument."""


@dataclass(frozen=True)
class Indicator:
    no: int
    nama: str
    no_aspek: int
    no_domain: int
    bobot: Decimal
    skala: str  # key into Instrument.skala ("proses" / "layanan")


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

    # --- lookups -------------------------------------------------------------------------
    @property
    def indicator_numbers(self) -> tuple[int, ...]:
        return tuple(i.no for i in self.indicators)

    def indicator(self, no: int) -> Indicator:
        for ind in self.indicators:
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

    # --- predikat ------------------------------------------------------------------------
    def predikat(self, indeks: float | Decimal | None) -> str | None:
        """Predikat for a (published, 2-decimal) index; None when the index is missing."""
        if indeks is None:
            return None
        value = Decimal(str(indeks))
        top = self.bands[0]
        if value >= top.batas_bawah:
            return top.nama
        for band in self.bands[1:]:
            if band.batas_bawah <= value < band.batas_atas:
                return band.nama
        return self.bands[-1].nama


def _dec(value: str, where: str) -> Decimal:
    try:
        return Decimal(value.strip())
    except Exception as exc:  # noqa: BLE001 - re-raised with context
        raise InstrumentError(f"{where}: '{value}' bukan angka") from exc


def load_instrument(toml_path: Path | str) -> Instrument:
    """Read one instrument (TOML + its indicator CSV) and check that its weights add up."""
    toml_path = Path(toml_path)
    meta = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    csv_path = toml_path.parent / meta["indikator"]
    with csv_path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in INDICATOR_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InstrumentError(f"{csv_path.name}: kolom hilang {missing}")
        rows = list(reader)
    indicators, aspects, domains = [], {}, {}
    for n, row in enumerate(rows, start=2):
        where = f"{csv_path.name} baris {n}"
        ind = Indicator(
            no=int(row["no_indikator"]), nama=row["nama_indikator"].strip(),
            no_aspek=int(row["no_aspek"]), no_domain=int(row["no_domain"]),
            bobot=_dec(row["bobot_indikator_pct"], where), skala=row["skala"].strip(),
        )
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
    for ind in indicators:  # the warehouse sums weights ×1000 as integers (exact): 3 decimals at most
        if (ind.bobot * 1000) % 1:
            raise InstrumentError(f"{csv_path.name}: bobot indikator {ind.no} = {ind.bobot}: paling banyak 3 desimal")
    if len({i.no for i in indicators}) != len(indicators):
        raise InstrumentError(f"{csv_path.name}: nomor indikator ganda")
    for asp in aspects.values():
        total = sum((i.bobot for i in indicators if i.no_aspek == asp.no), Decimal(0))
        if total != asp.bobot:
            raise InstrumentError(f"{csv_path.name}: bobot indikator aspek {asp.no} = {total}, bukan {asp.bobot}")
    for dom in domains.values():
        total = sum((a.bobot for a in aspects.values() if a.no_domain == dom.no), Decimal(0))
        if total != dom.bobot:
            raise InstrumentError(f"{csv_path.name}: bobot aspek domain {dom.no} = {total}, bukan {dom.bobot}")
    if sum(d.bobot for d in domains.values()) != Decimal(100):
        raise InstrumentError(f"{csv_path.name}: bobot domain tidak berjumlah 100")
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
        indicators=tuple(sorted(indicators, key=lambda i: i.no)),
        aspects=tuple(sorted(aspects.values(), key=lambda a: a.no)),
        domains=tuple(sorted(domains.values(), key=lambda d: d.no)),
        bands=bands,
        skala={k: tuple(v) for k, v in meta.get("skala", {}).items()},
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
