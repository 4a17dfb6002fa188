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

Everything an instrument-year is shown with comes from its TOML too: the index's own name
(``nama_indeks``: "Indeks SPBE", the 2026 "Indeks Pemerintah Digital"), the level scale
(``level_min``/``level_max``: the index and every domain/aspect value lie on it), and each predikat
band's name, bounds and colour (``warna``). `load_registry()` reads ``$SPBE_INSTRUMENTS`` when set
(a folder of instruments, e.g. a made-up one in tests), else ``data/reference/instruments/``.

Predikat: KemenPANRB bands the unrounded index (``Instrument.predikat``, the one place that decides
it; ``Instrument.predikat_printed`` gives the bands a printed 2-decimal index can carry).
"""
from __future__ import annotations

import csv
import os
import tomllib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from domain.instrument_model import (  # noqa: F401 - the model's names, re-exported
    DEFAULT_INDEX_NAME,
    Aspect,
    Band,
    Domain,
    Indicator,
    Instrument,
    InstrumentError,
)

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
INSTRUMENT_DIR = REFERENCE_DIR / "instruments"
INSTRUMENT_DIR_ENV = "SPBE_INSTRUMENTS"

INDICATOR_COLUMNS = (
    "no_indikator", "nama_indikator", "no_aspek", "kode_aspek", "label_aspek", "nama_aspek",
    "bobot_aspek_pct", "no_domain", "kode_domain", "label_domain", "nama_domain",
    "bobot_domain_pct", "bobot_indikator_pct", "skala",
)
OPTIONAL_COLUMNS = ("sektor_dari", "sektor_ke", "berlaku_untuk")  # sector rows (blank on other rows)
ASPECT_RULES = ("rerata",)


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
        Band(b["nama"], Decimal(str(b["batas_bawah"])), Decimal(str(b["batas_atas"])), b.get("warna"))
        for b in sorted(meta["predikat"], key=lambda b: -b["batas_bawah"])
    )
    _check_scale(meta, bands, toml_path.name)
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
        nama_indeks=str(meta.get("nama_indeks", DEFAULT_INDEX_NAME)),
    )


def _check_scale(meta: dict, bands: tuple[Band, ...], name: str) -> None:
    """level_min < level_max, bands inside the scale, colours written #rrggbb."""
    lo, hi = int(meta.get("level_min", 1)), int(meta.get("level_max", 5))
    if lo >= hi:
        raise InstrumentError(f"{name}: level_min {lo} harus lebih kecil dari level_max {hi}")
    for b in bands:
        if not (lo <= b.batas_bawah < b.batas_atas <= hi):
            raise InstrumentError(f"{name}: predikat {b.nama} ({b.batas_bawah}–{b.batas_atas}) di luar skala {lo}–{hi}")
        if b.warna is not None and not (len(b.warna) == 7 and b.warna.startswith("#")
                                        and all(c in "0123456789abcdefABCDEF" for c in b.warna[1:])):
            raise InstrumentError(f"{name}: warna predikat {b.nama} '{b.warna}' bukan #rrggbb")


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

    def covering(self, years) -> list[Instrument]:
        """The instruments of `years` (every instrument when no year is given)."""
        years = [int(y) for y in years or ()]
        return [i for i in self.instruments if not years or any(i.covers(y) for y in years)] or self.instruments

    def scale(self, years=None) -> tuple[int, int]:
        """The level (and index) scale spanning the instruments of `years`."""
        shown = self.covering(years)
        return min(i.level_min for i in shown), max(i.level_max for i in shown)

    def predikat_colors(self) -> dict[str, str]:
        """Band name → colour over every instrument (a later instrument's colour wins)."""
        return {name: colour for ins in self.instruments for name, colour in ins.predikat_colors.items()}


def load_registry(directory: Path | str | None = None) -> InstrumentRegistry:
    """The instruments in `directory`, else in $SPBE_INSTRUMENTS, else data/reference/instruments/."""
    return _load_registry(Path(directory or os.environ.get(INSTRUMENT_DIR_ENV) or INSTRUMENT_DIR))


@lru_cache(maxsize=8)
def _load_registry(directory: Path) -> InstrumentRegistry:
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise InstrumentError(f"tidak ada file instrumen (*.toml) di {directory}")
    return InstrumentRegistry([load_instrument(p) for p in files])
