"""Row checks for indicator levels (published results: etl/validate_published.py, on the same
helpers). Nothing is dropped or fixed silently:
a row either loads exactly as written or an Issue says why not (file, line, column, value, reason).

All checks are vectorised; Python loops only build Issues for failing rows (at most `CAP` per
check; beyond that one summary issue gives the count and the next line numbers).
"""
from __future__ import annotations

import re
from typing import Callable, Mapping

import numpy as np
import pandas as pd

from domain.instrument import Instrument, InstrumentRegistry
from domain.scoring import row_set_problem
from etl.report import GALAT, Issue, Report, fmt_numbers

CAP = 1000
YEAR_MIN, YEAR_MAX = 2018, 2100
TOLERANCE = 0.015
MISSING_MARKS = ("", "-", "–", "—")

LEVEL_COLUMNS = ["tahun", "instansi_id", "instrument_id", "no_indikator", "level", "level_mandiri", "baris"]
DOMAIN_COLUMNS = ["tahun", "instansi_id", "instrument_id", "no_domain", "nilai", "baris"]
INDEX_COLUMNS = ["tahun", "instansi_id", "instrument_id", "indeks", "predikat", "baris"]


def emit(report: Report, berkas: str, bad: pd.DataFrame, reason: Callable[[tuple], str], *,
         tingkat: str = GALAT, kolom: str | Callable[[tuple], str | None] | None = None,
         nilai: str = "nilai", cap: int = CAP) -> None:
    """One Issue per row of `bad` (needs columns baris and `nilai`), capped with a summary issue."""
    if bad.empty:
        return
    rows = bad.sort_values("baris", kind="stable")
    for r in rows.head(cap).itertuples(index=False):
        k = kolom(r) if callable(kolom) else kolom
        v = getattr(r, nilai)
        report.add(Issue(berkas, int(r.baris), k, None if v is None or v is pd.NA else str(v), reason(r), tingkat))
    if len(rows) > cap:
        rest = rows["baris"].iloc[cap:]
        report.add(Issue(berkas, int(rest.iloc[0]), None, None,
                         f"… dan {len(rest)} baris lain dengan masalah yang sama (baris "
                         f"{', '.join(map(str, rest.head(5)))}{' …' if len(rest) > 5 else ''})", tingkat))


class Values:
    """A column of strings parsed once per distinct value: numbers, blanks, and the text as written."""

    def __init__(self, raw: pd.Series | None, n: int):
        if raw is None:
            self.codes = np.zeros(n, dtype=np.intp)
            self._text = np.array([""], dtype=object)
        else:
            self.codes, uniques = pd.factorize(raw, use_na_sentinel=False)
            u = pd.Series(uniques, dtype=object).fillna("").astype(str).str.strip()
            self._text = u.to_numpy(dtype=object) if len(u) else np.array([""], dtype=object)
        u = pd.Series(self._text, dtype=object)
        self._num = pd.to_numeric(u.str.replace(",", ".", regex=False), errors="coerce").astype("float64").to_numpy()
        self._blank = (u == "").to_numpy()

    def unique_text(self) -> pd.Series:
        """The distinct values as written (stripped), indexed like `codes`."""
        return pd.Series(self._text, dtype=object)

    def per_row(self, per_unique: np.ndarray) -> np.ndarray:
        return per_unique[self.codes]

    @property
    def num(self) -> np.ndarray:
        return self._num[self.codes]

    @property
    def blank(self) -> np.ndarray:
        return self._blank[self.codes]

    def text(self, mask: np.ndarray) -> np.ndarray:
        return self._text[self.codes[mask]]

    def kinds(self, lo: float, hi: float) -> dict[str, np.ndarray]:
        """Masks per problem: blank, not_num, not_int, out (outside lo..hi)."""
        n, b = self._num, self._blank
        not_num = ~b & np.isnan(n)
        not_int = ~b & ~not_num & (n != np.floor(n))
        out = ~b & ~not_num & ~not_int & ~((n >= lo) & (n <= hi))
        return {k: v[self.codes] for k, v in (("blank", b), ("not_num", not_num), ("not_int", not_int),
                                               ("out", out))}


def pick(rows: pd.DataFrame, mask, nilai) -> pd.DataFrame:
    """The failing rows with their value as written (cheap when nothing fails)."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return rows.iloc[:0].assign(nilai=pd.Series([], dtype=object))
    values = nilai.text(mask) if isinstance(nilai, Values) else np.asarray(nilai, dtype=object)[mask]
    return rows[mask].assign(nilai=values)


# --- years -------------------------------------------------------------------------------------
def parse_years(raw: pd.Series, baris: pd.Series, registry: InstrumentRegistry, *, berkas: str,
                kolom: str, report: Report) -> pd.Series:
    """Year per row as Int64 (NA where invalid or without instrument); issues for the invalid ones."""
    vals = Values(raw, len(raw))
    kinds = vals.kinds(YEAR_MIN, YEAR_MAX)
    frame = pd.DataFrame({"baris": baris.to_numpy()})
    span = f"{YEAR_MIN}–{YEAR_MAX}"
    reasons = {"blank": lambda r: f"tahun kosong; diharapkan tahun evaluasi {span}",
               "not_num": lambda r: f"tahun '{r.nilai}' bukan angka tahun; diharapkan tahun evaluasi {span}",
               "not_int": lambda r: f"tahun '{r.nilai}' bukan bilangan bulat; diharapkan tahun evaluasi {span}",
               "out": lambda r: f"tahun {r.nilai} di luar rentang {span}"}
    for kind, mask in kinds.items():
        emit(report, berkas, pick(frame, mask, vals), reasons[kind], kolom=kolom)
    good = ~np.logical_or.reduce(list(kinds.values()))
    num = vals.num
    years = pd.Series(np.where(good, np.nan_to_num(num), 0).astype("int64"), index=raw.index).astype("Int64")
    years[~good] = pd.NA
    for year in years.dropna().unique():
        try:
            registry.for_year(int(year))
        except KeyError:
            sel = (years == year).to_numpy(dtype=bool, na_value=False)
            known = ", ".join(f"{i.nama} ({i.tahun_mulai}–{i.tahun_akhir or '…'})" for i in registry)
            report.add(Issue(berkas, int(frame["baris"][sel].min()), kolom, str(int(year)),
                             f"tidak ada instrumen untuk tahun {int(year)} ({int(sel.sum())} baris tidak dimuat); "
                             f"instrumen yang dikenal: {known}", GALAT))
            years[sel] = pd.NA
    return years


# --- indicator levels --------------------------------------------------------------------------
def _level_reason(kind: str, value: str, lo: int, hi: int, what: str = "level") -> str:
    scale = f"bilangan bulat {lo}–{hi}"
    return {
        "blank": f"{what} kosong; diharapkan {scale}",
        "not_num": f"{what} '{value}' bukan angka; diharapkan {scale}",
        "not_int": f"{what} {value} bukan bilangan bulat; diharapkan {scale}",
        "out": f"{what} {value} di luar rentang; diharapkan {scale}",
    }[kind]


SECTOR_SPELLING = r"^\s*(\d{1,3})\s*[-./]\s*(\d{1,2})\s*$"  # '35-2', '35.2', '35/2': sector 2 of indicator 35


def _sector_hint(nilai: str, ins: Instrument) -> str:
    """Why a sector spelling ('34-2') names no row of the instrument, and what it does split."""
    groups = ins.sector_groups()
    if not groups:
        return f"; {ins.nama} tidak membagi indikator menjadi sektor — tulis satu level per indikator"
    listed = "; ".join(f"{k}: " + ", ".join([str(k)] + [r.kode for r in rows]) for k, rows in groups.items())
    return f"; '{nilai}' bukan sektor yang dikenal {ins.nama} (sektor yang ada: {listed})"


def _numbers(rows: pd.DataFrame, tahun: np.ndarray, instruments: dict, report: Report, berkas: str):
    """Row number per level row: an integer, or a sector spelling ('35-2') mapped to its row (36).
    Returns (no_int with -1 where invalid, bad_no, spelled = written as a sector)."""
    n = len(rows)
    nos = Values(rows["no_raw"], n)
    parts = nos.unique_text().str.extract(SECTOR_SPELLING)
    induk = pd.to_numeric(parts[0]).to_numpy()[nos.codes] if n else np.zeros(0)
    ke = pd.to_numeric(parts[1]).to_numpy()[nos.codes] if n else np.zeros(0)
    spelled = ~np.isnan(induk)
    no = nos.num.copy()
    no[spelled] = np.nan
    for year, ins in instruments.items():
        for i, k in {(int(i), int(k)) for i, k in zip(induk[spelled & (tahun == year)], ke[spelled & (tahun == year)])}:
            row = ins.sector_row(i, k)
            no[spelled & (tahun == year) & (induk == i) & (ke == k)] = np.nan if row is None else row
    bad_no = ~np.isfinite(no) | (no != np.floor(no))
    emit(report, berkas, pick(rows, bad_no, nos),
         lambda r: f"nomor indikator '{r.nilai}' bukan bilangan bulat; diharapkan nomor indikator "
                   f"{fmt_numbers(instruments[int(r.tahun)].indicator_numbers)} ({instruments[int(r.tahun)].nama})"
                   + (_sector_hint(r.nilai, instruments[int(r.tahun)])
                      if re.match(SECTOR_SPELLING, str(r.nilai)) else ""),
         kolom=lambda r: r.kolom_no)
    finite = np.clip(np.nan_to_num(no, nan=-1, posinf=-1, neginf=-1), -1, 2 ** 53)
    return np.where(bad_no, -1, finite).astype(np.int64), bad_no, spelled


def _unknown_numbers(rows, no_int, bad_no, spelled, group, tahun, instruments, registry, berkas, report):
    """Numbers the year's instrument does not have (issue per instansi-year). Sector rows written
    as plain numbers (36, 37 of 5/2018) count as unknown in an instansi-year that also has unknown
    numbers: such a set is another instrument's (a 47-indicator set labelled 2019), not sectors."""
    n = len(rows)
    known, plain_sector = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    for year, ins in instruments.items():
        sel = tahun == year
        known[sel] = np.isin(no_int[sel], [r.no for r in ins.rows])
        plain_sector[sel] = np.isin(no_int[sel], [r.no for r in ins.sektor]) & ~spelled[sel]
    unknown = ~bad_no & ~known
    if unknown.any():
        odd = np.zeros(group.max() + 1 if n else 0, dtype=bool)
        odd[group[unknown]] = True
        unknown |= plain_sector & odd[group]
        u = rows[unknown].assign(no=no_int[unknown])
        for (_iid, year), grp in u.groupby(["instansi_id", "tahun"], sort=False):
            ins = instruments[int(year)]
            first = grp.sort_values("baris").iloc[0]
            nums = sorted(grp["no"].unique())
            hint = next((f"; nomor ini cocok dengan {o.nama} ({o.tahun_mulai}–{o.tahun_akhir or '…'}) — periksa tahunnya"
                         for o in registry if o.id != ins.id and set(nums) <= set(o.indicator_numbers)), "")
            report.add(Issue(berkas, int(first.baris), first.kolom_no, str(first.no_raw).strip(),
                             f"tahun {int(year)} memakai {ins.nama} ({len(ins.indicator_numbers)} indikator); "
                             f"indikator {fmt_numbers(nums)} tidak ada di instrumen itu{hint}", GALAT))
    return known & ~unknown, unknown


def _sector_problems(rows, no_int, present, group, group_year, instruments, kategori, berkas, report) -> np.ndarray:
    """Instansi-years whose sector rows are incomplete or not assessed for their kategori
    (domain.scoring.row_set_problem); one galat on the first sector row of each. Returns the bad groups."""
    bad = np.zeros(len(group_year), dtype=bool)
    sector = np.zeros(len(rows), dtype=bool)
    for year, ins in instruments.items():
        sector |= (rows["tahun"].to_numpy() == year) & np.isin(no_int, [r.no for r in ins.sektor])
    sector &= present
    for g in np.unique(group[sector]):
        sel = present & (group == g)
        ins = instruments[int(group_year[g])]
        first = rows[sector & (group == g)].sort_values("baris").iloc[0]
        problem = row_set_problem(ins, no_int[sel].tolist(), (kategori or {}).get(first.instansi_id))
        if problem:
            report.add(Issue(berkas, int(first.baris), first.kolom_no, str(first.no_raw).strip(),
                             f"{first.instansi_id} tahun {int(first.tahun)}: {problem}; instansi-tahun ini tidak dimuat",
                             GALAT))
            bad[g] = True
    return bad


def check_levels(rows: pd.DataFrame, registry: InstrumentRegistry, *, berkas: str, report: Report,
                 kolom_lengkap: str | None, kategori: Mapping[str, str | None] | None = None) -> pd.DataFrame:
    """Validate long level rows and return the complete, valid instansi-year sets.

    rows: baris, tahun (int), instansi_id, no_raw, level_raw, mandiri_raw (None/blank = absent),
          kolom_no, kolom_level, kolom_mandiri (labels for issues).
    kategori: instansi_id → kategori_ringkas, to check that sector rows (5/2018: 35-2, 35-3, or
          36, 37) belong to a pemda; without it sector rows are not checked against the kategori.
    Rows of an instansi-year with any problem are not loaded (each problem is reported).
    """
    rows = rows.reset_index(drop=True)
    n = len(rows)
    tahun = rows["tahun"].to_numpy(dtype=np.int64)
    instruments = {int(y): registry.for_year(int(y)) for y in np.unique(tahun)}

    # integer keys: group = instansi-year, item = group × indicator
    inst_codes, _ = pd.factorize(rows["instansi_id"])
    group, group_keys = pd.factorize(inst_codes.astype(np.int64) * 1000 + (tahun - YEAR_MIN))
    n_groups = len(group_keys)
    group_year = (np.asarray(group_keys) % 1000) + YEAR_MIN

    # indicator numbers: integers (or sector spellings) that the year's instrument has
    no_int, bad_no, spelled = _numbers(rows, tahun, instruments, report, berkas)
    known, unknown = _unknown_numbers(rows, no_int, bad_no, spelled, group, tahun, instruments, registry,
                                      berkas, report)
    levels, mandiri, bad_level = _level_problems(rows, instruments, known, berkas, report)
    dup = _duplicate_indicators(rows, no_int, known, group, berkas, report)
    bad = bad_no | unknown | bad_level | dup

    # completeness per instansi-year: indicators present at all, whatever their value (sector rows:
    # complete groups, for the kategori they are assessed for)
    present = known & ~dup
    sector_bad = _sector_problems(rows, no_int, present, group, group_year, instruments, kategori, berkas, report)
    incomplete = _incomplete_groups(rows, tahun, no_int, present, group, group_year, instruments, kolom_lengkap,
                                    berkas, report)

    # load only complete instansi-years without any row problem
    group_bad = (np.bincount(group, weights=bad.astype(np.float64), minlength=n_groups) > 0) | sector_bad
    load = ~group_bad[group] & ~incomplete[group] if n else np.zeros(0, dtype=bool)
    ins_of_year = {y: i.id for y, i in instruments.items()}
    return pd.DataFrame({
        "tahun": tahun[load],
        "instansi_id": pd.Series(rows["instansi_id"].to_numpy(dtype=object)[load], dtype=object),
        "instrument_id": pd.Series(pd.Series(tahun[load]).map(ins_of_year).to_numpy(dtype=object), dtype=object),
        "no_indikator": no_int[load],
        "level": levels.num[load].astype(np.int64),
        "level_mandiri": pd.array(np.round(mandiri.num[load]), dtype="Int64"),
        "baris": rows["baris"].to_numpy(dtype=np.int64)[load],
    })


def _level_problems(rows, instruments, known, berkas, report):
    """Levels and self-assessed levels of rows with a known number: integers on the instruments'
    scale (a blank self-assessed level is allowed). Returns (levels, mandiri, rows refused)."""
    n = len(rows)
    bad = np.zeros(n, dtype=bool)
    lo = min(i.level_min for i in instruments.values()) if instruments else 1
    hi = max(i.level_max for i in instruments.values()) if instruments else 5
    levels = Values(rows["level_raw"], n)
    for kind, mask in levels.kinds(lo, hi).items():
        m = mask & known
        emit(report, berkas, pick(rows, m, levels), lambda r, k=kind: _level_reason(k, r.nilai, lo, hi),
             kolom=lambda r: r.kolom_level)
        bad |= m
    mandiri = Values(rows["mandiri_raw"] if "mandiri_raw" in rows and rows["mandiri_raw"].notna().any() else None, n)
    for kind, mask in mandiri.kinds(lo, hi).items():
        if kind == "blank":
            continue
        m = mask & known
        emit(report, berkas, pick(rows, m, mandiri), lambda r, k=kind: _level_reason(k, r.nilai, lo, hi, "level mandiri"),
             kolom=lambda r: r.kolom_mandiri)
        bad |= m
    return levels, mandiri, bad


def _duplicate_indicators(rows, no_int, known, group, berkas, report) -> np.ndarray:
    """Rows repeating an indicator of their instansi-year (galat naming the first row). Returns them."""
    item = np.where(known, group.astype(np.int64) * 1024 + np.clip(no_int, 0, 1023), -1 - np.arange(len(rows)))
    dup = pd.Series(item).duplicated(keep="first").to_numpy() & known
    if dup.any():
        first_line = pd.Series(rows["baris"].to_numpy()).groupby(item).min()
        d = pick(rows, dup, rows["no_raw"]).assign(no=no_int[dup], first=first_line.reindex(item[dup]).to_numpy())
        emit(report, berkas, d,
             lambda r: f"indikator {r.no} untuk {r.instansi_id} tahun {r.tahun} sudah ada di baris {r.first}; "
                       "tiap instansi-tahun hanya boleh punya satu nilai per indikator", kolom=lambda r: r.kolom_no)
    return dup


def _incomplete_groups(rows, tahun, no_int, present, group, group_year, instruments, kolom_lengkap, berkas,
                       report) -> np.ndarray:
    """Instansi-years missing some of their instrument's indicators: one galat on the first row of
    each, naming the missing numbers. Returns the incomplete groups."""
    n = len(rows)
    base = np.zeros(n, dtype=bool)
    for year, ins in instruments.items():
        base |= (tahun == year) & np.isin(no_int, ins.indicator_numbers)
    have = np.bincount(group[present & base], minlength=len(group_year))
    size = {y: len(i.indicator_numbers) for y, i in instruments.items()}
    expected = np.array([size[int(y)] for y in group_year], dtype=np.int64)
    incomplete = have < expected
    if incomplete.any():
        first_row = pd.Series(np.arange(n)).groupby(group).min().to_numpy()
        sel = present & incomplete[group]
        got = pd.Series(no_int[sel]).groupby(group[sel]).agg(set).to_dict()
        gaps = pd.DataFrame({"g": np.flatnonzero(incomplete)})
        gaps["baris"] = rows["baris"].to_numpy()[first_row[gaps["g"]]]
        gaps["instansi_id"] = rows["instansi_id"].to_numpy()[first_row[gaps["g"]]]
        gaps["tahun"] = group_year[gaps["g"]]
        gaps["nilai"] = None

        def why(r):
            ins = instruments[int(r.tahun)]
            missing = [x for x in ins.indicator_numbers if x not in got.get(r.g, set())]
            return (f"nilai indikator {r.instansi_id} tahun {int(r.tahun)} belum lengkap: indikator "
                    f"{fmt_numbers(missing)} tidak ada ({ins.nama} punya {len(ins.indicator_numbers)} indikator); "
                    "instansi-tahun ini tidak dimuat")
        emit(report, berkas, gaps, why, kolom=kolom_lengkap)
    return incomplete


# --- shared by levels and published results (etl/validate_published.py) -------------------------
def check_duplicates(keys: pd.DataFrame, *, what: str, berkas: str, kolom: str | None, report: Report,
                     nilai: pd.Series | None = None) -> np.ndarray:
    """Rows repeating an (instansi_id, tahun) seen earlier: galat on the later row naming the first.

    keys: baris, instansi_id, tahun; nilai: the instansi as written (default: instansi_id)."""
    dup = keys.duplicated(["instansi_id", "tahun"], keep="first").to_numpy()
    if dup.any():
        first = keys.groupby(["instansi_id", "tahun"])["baris"].min()
        shown = keys["instansi_id"] if nilai is None else nilai
        emit(report, berkas, pick(keys, dup, shown),
             lambda r: f"{what} {r.instansi_id} tahun {r.tahun} sudah ada di baris {first[(r.instansi_id, r.tahun)]}; "
                       "baris ganda tidak dimuat", kolom=kolom)
    return dup


def check_row_keys(*, baris: pd.Series, tahun_raw: pd.Series | None, tahun_arg: int | None, kolom_tahun: str | None,
                   keys: pd.DataFrame, kolom_instansi: str | None, matcher, registry: InstrumentRegistry,
                   berkas: str, report: Report, baris_instansi: pd.Series | None = None,
                   instansi_arg: str | None = None) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    """Year and instansi_id per row (NA/None where invalid), plus the matches table.

    The year comes from the file's column, else from `tahun_arg`; both given and different is a galat.
    `instansi_arg` with an instansi column in the file: rows of another instansi are a galat.
    """
    from etl.match import resolve_rows

    if tahun_raw is None:
        tahun_raw = pd.Series(str(tahun_arg), index=baris.index)
    years = parse_years(tahun_raw, baris, registry, berkas=berkas, kolom=kolom_tahun or "tahun", report=report)
    if tahun_arg is not None and kolom_tahun is not None:
        other = years.notna() & (years != int(tahun_arg))
        for year in years[other].unique():
            sel = (years == year).to_numpy()
            report.add(Issue(berkas, int(baris[sel].min()), kolom_tahun, str(int(year)),
                             f"tahun {int(year)} di berkas berbeda dengan tahun yang dipilih ({tahun_arg}); "
                             f"{int(sel.sum())} baris tidak dimuat", GALAT))
        years = years.where(~other, pd.NA)
    where = baris if baris_instansi is None else baris_instansi
    ids, matches = resolve_rows(matcher, keys.assign(baris=where.to_numpy()), berkas=berkas, kolom=kolom_instansi,
                                report=report)
    if instansi_arg and kolom_instansi is not None:
        chosen = matcher.resolve(instansi_id=instansi_arg, nama=instansi_arg).instansi_id
        other = (ids.notna() & (ids != chosen)).to_numpy()
        for iid in pd.unique(ids[other]):
            sel = (ids == iid).to_numpy()
            report.add(Issue(berkas, int(where[sel].min()), kolom_instansi, str(iid),
                             f"baris untuk {iid}, bukan instansi yang dipilih ({instansi_arg}); "
                             f"{int(sel.sum())} baris tidak dimuat", GALAT))
        ids = ids.where(~other, None)
    return years, ids, matches
