"""SYNTHETIC indicator levels for the demo warehouse and load tests, calibrated to official means.

Nothing here is real per-instansi data except Kota Serang's 2021 levels (its published LHE).
Model per instansi: latent ability + yearly growth + per-aspect and per-indicator offsets, plus
noise; level = clip(round(x + shift), 1, 5). For every (copy, year, group, aspect) the shift is
searched (safeguarded Newton / bisection on the step-shaped mean) until the simple mean of the aspect lands on its
target. Targets: the official category × aspect means (2021, 2023, 2024, reconciled with the
domain and index figures by least squares); in-between years interpolate those and are shifted
so the simple national mean of every domain meets the official national series; years of an
instrument without category figures (2018–2020) take the category offsets of the nearest
category year, domain by domain (matched by domain label), around the official national series.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Iterable

import numpy as np
import pandas as pd

from domain.instrument import REFERENCE_DIR, Instrument, InstrumentRegistry, load_registry

DEMO_SEED = 20240615
SERANG_ID = "kota-36.73"
# Kota Serang, LHE SPBE 2021 (KemenPANRB): levels of indicators 1..47; index 2.97.
SERANG_2021_LEVELS = {
    1: 1, 2: 1, 3: 3, 4: 2, 5: 3, 6: 4, 7: 3, 8: 4, 9: 3, 10: 3,
    11: 2, 12: 2, 13: 2, 14: 3, 15: 2, 16: 3, 17: 4, 18: 4, 19: 3, 20: 3,
    21: 2, 22: 3, 23: 3, 24: 3, 25: 1, 26: 2, 27: 3, 28: 3, 29: 1, 30: 1, 31: 1,
    32: 4, 33: 3, 34: 3, 35: 4, 36: 3, 37: 2, 38: 3, 39: 3, 40: 3, 41: 3,
    42: 3, 43: 3, 44: 4, 45: 5, 46: 5, 47: 4,
}
SERANG_YEAR = 2021
NEW_PROVINCES = ("Papua Selatan", "Papua Tengah", "Papua Pegunungan", "Papua Barat Daya")  # UU 14–16/2022, 29/2022
NEW_PROVINCES_FIRST_YEAR = 2023
GAP_SHARE = 0.015          # instansi missing one (sometimes two) evaluation years

LNS, OTHER_LEMBAGA = "LNS", "Instansi Lainnya"
FINE_GROUPS = ("Kementerian", "LPNK", LNS, OTHER_LEMBAGA, "Provinsi", "Kabupaten", "Kota")
# official category label -> the fine groups it covers (2023 splits "Lembaga Lain" in two)
OFFICIAL_GROUPS = {
    "Kementerian": ("Kementerian",), "LPNK": ("LPNK",), "Provinsi": ("Provinsi",),
    "Kabupaten": ("Kabupaten",), "Kota": ("Kota",), "LNS": (LNS,), "Instansi Lainnya": (OTHER_LEMBAGA,),
    "Lembaga Lain": (LNS, OTHER_LEMBAGA), "LNS dan Instansi Lainnya": (LNS, OTHER_LEMBAGA),
}
NASIONAL = "Nasional"

# spread of the latent model, in level units
_SD_ABILITY, _GROWTH, _SD_SHOCK, _SD_ASPECT, _SD_PERSIST, _SD_NOISE, _SD_DIFFICULTY = (
    0.62, 0.07, 0.20, 0.30, 0.40, 0.50, 0.25)
_REF_YEAR = 2021
# The years whose official category means the demo is calibrated to. rerata_kategori.csv also holds
# 2020 (5/2018 instrument) and 2022 figures from those years' LHE tables: shown as reference, not fitted.
CALIBRATION_YEARS = (2021, 2023, 2024)


@lru_cache(maxsize=1)
def _official() -> tuple[pd.DataFrame, pd.DataFrame]:
    official = REFERENCE_DIR / "official"
    return (pd.read_csv(official / "rerata_kategori.csv"), pd.read_csv(official / "seri_nasional.csv"))


def fine_groups(master: pd.DataFrame) -> np.ndarray:
    """kategori_ringkas, with Lembaga Lain split into LNS / other (as the 2023 tables do)."""
    ringkas = master["kategori_ringkas"].astype(str).to_numpy()
    kategori = master["kategori"].astype(str).str.lower()
    lns = (kategori.str.contains("non struktural") | kategori.str.contains(r"\blns\b")).to_numpy()
    out = ringkas.astype(object)
    is_ll = ringkas == "Lembaga Lain"
    out[is_ll & lns], out[is_ll & ~lns] = LNS, OTHER_LEMBAGA
    unknown = sorted(set(out) - set(FINE_GROUPS))
    if unknown:
        raise ValueError(f"kategori_ringkas tidak dikenal: {unknown}")
    return out


def _new_province_mask(master: pd.DataFrame) -> np.ndarray:
    def norm(s: pd.Series) -> pd.Series:
        s = s.fillna("").astype(str).str.lower().str.replace(r"^(pemerintah\s+)?(provinsi|prov\.)\s+", "", regex=True)
        return s.str.strip()
    new = {p.lower() for p in NEW_PROVINCES}
    own = norm(master["nama"]).isin(new) & (master["kategori_ringkas"] == "Provinsi")
    return (norm(master["provinsi"]).isin(new) | own).to_numpy()


def _scaled_master(master: pd.DataFrame, scale: int) -> pd.DataFrame:
    base = master.reset_index(drop=True)
    copies = [base]
    for r in range(2, scale + 1):
        c = base.copy()
        c["instansi_id"] = c["instansi_id"].astype(str) + f"~{r}"
        c["nama"] = c["nama"].astype(str) + f" (salinan {r})"
        c["alias"] = ""  # aliases stay unique to the original instansi
        copies.append(c)
    return pd.concat(copies, ignore_index=True)


def _int_weights(ins: Instrument) -> tuple[int, np.ndarray, dict, dict]:
    """Weights × 10^p as integers (exact arithmetic), p the smallest that makes them whole."""
    values = [i.bobot for i in ins.indicators] + [a.bobot for a in ins.aspects] + [d.bobot for d in ins.domains]
    p = max(0, *(-v.normalize().as_tuple().exponent for v in values))
    unit = Decimal(10) ** p
    return (int(100 * unit), np.array([int(i.bobot * unit) for i in ins.indicators], dtype=np.int64),
            {a.no: int(a.bobot * unit) for a in ins.aspects}, {d.no: int(d.bobot * unit) for d in ins.domains})


def _component_rows(ins: Instrument) -> dict[str, np.ndarray]:
    """Each official component (indeks, D*, A*) as a linear function of the aspect means."""
    wa = np.array([float(a.bobot) for a in ins.aspects])
    rows = {"indeks": wa / 100}
    for d in ins.domains:
        rows[d.kode] = np.where([a.no_domain == d.no for a in ins.aspects], wa, 0) / float(d.bobot)
    for j, a in enumerate(ins.aspects):
        rows[a.kode] = np.eye(len(ins.aspects))[j]
    return rows


def _fit_aspects(ins: Instrument, figures: pd.DataFrame) -> np.ndarray | None:
    rows = _component_rows(ins)
    use = figures[figures["komponen"].isin(list(rows))]
    if use.empty:
        return None
    m = np.vstack([rows[k] for k in use["komponen"]])
    return np.linalg.lstsq(m, use["nilai"].to_numpy(float), rcond=None)[0]


def _targets(registry: InstrumentRegistry, years: list[int], fine: np.ndarray,
             present: dict[int, np.ndarray]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Per year: (calibration group code per instansi, target aspect means per group)."""
    cat, nat = _official()
    cat = cat[(cat["kategori"] != NASIONAL) & cat["tahun"].isin(CALIBRATION_YEARS)]
    fine_targets: dict[int, dict[str, np.ndarray]] = {}   # category years: fine group -> aspects
    label_of: dict[int, dict[str, str]] = {}               # category years: fine group -> label
    for y in sorted(set(cat["tahun"])):
        ins = registry.for_year(int(y))
        for label, fig in cat[cat["tahun"] == y].groupby("kategori"):
            x = _fit_aspects(ins, fig)
            for g in OFFICIAL_GROUPS.get(label, ()) if x is not None else ():
                fine_targets.setdefault(int(y), {})[g] = x
                label_of.setdefault(int(y), {})[g] = label
    out = {}
    for y in years:
        ins = registry.for_year(y)
        counts = pd.Series(fine[present[y]]).value_counts()
        same = sorted(t for t in fine_targets if registry.for_year(t).id == ins.id)
        near = {g: _interpolate(y, {t: fine_targets[t][g] for t in same if g in fine_targets[t]})
                for g in FINE_GROUPS}
        if not same:
            near = _borrow_offsets(registry, ins, y, fine_targets, counts)
        if y in fine_targets:   # calibrate on the official labels themselves
            labels = [label_of[y].get(g, g) for g in FINE_GROUPS]
            tmap = {label_of[y].get(g, g): fine_targets[y].get(g, near[g]) for g in FINE_GROUPS}
        else:
            if nat[nat["tahun"] == y].empty:
                raise ValueError(f"tahun {y}: tidak ada angka resmi (kategori/nasional) untuk kalibrasi")
            labels = list(FINE_GROUPS)
            tmap = _center_on_national(ins, nat[nat["tahun"] == y], {g: near[g] for g in FINE_GROUPS}, counts)
        names = list(dict.fromkeys(labels))
        code_of = {g: names.index(lab) for g, lab in zip(FINE_GROUPS, labels)}
        codes = np.array([code_of[g] for g in fine], dtype=np.int64)
        out[y] = (codes, np.clip(np.vstack([tmap[n] for n in names]), 1.0, 4.95))
    return out


def _interpolate(y: int, known: dict[int, np.ndarray]) -> np.ndarray | None:
    if not known:
        return None
    ts = sorted(known)
    lo, hi = [t for t in ts if t <= y], [t for t in ts if t >= y]
    if not lo or not hi:
        return known[(lo or hi)[-1 if lo else 0]]
    a, b = lo[-1], hi[0]
    return known[a] if a == b else known[a] + (known[b] - known[a]) * (y - a) / (b - a)


def _borrow_offsets(registry, ins: Instrument, y: int, fine_targets, counts) -> dict[str, np.ndarray]:
    """Category offsets per domain from the nearest category year of another instrument."""
    src_year = min(fine_targets, key=lambda t: abs(t - y))
    src = registry.for_year(src_year)
    rows = _component_rows(src)
    dom = {g: {d.label: rows[d.kode] @ x for d in src.domains} | {"": rows["indeks"] @ x}
           for g, x in fine_targets[src_year].items()}
    n = counts.reindex(list(dom)).fillna(0).to_numpy()
    mean = {k: np.average([dom[g][k] for g in dom], weights=n) for k in dom[next(iter(dom))]}
    out = {}
    for g in FINE_GROUPS:
        off = {k: dom[g][k] - mean[k] for k in mean} if g in dom else {}
        out[g] = np.array([off.get(ins.domain(a.no_domain).label, off.get("", 0.0)) for a in ins.aspects])
    return out  # offsets only: _center_on_national adds the national level


def _center_on_national(ins: Instrument, nat: pd.DataFrame, tmap: dict, counts: pd.Series) -> dict:
    """Shift every domain's aspects so the count-weighted (= simple) mean meets the national figure."""
    rows, figures = _component_rows(ins), dict(zip(nat["komponen"], nat["nilai"]))
    groups = [g for g in tmap if tmap[g] is not None and counts.get(g, 0) > 0]
    mean_x = np.average(np.vstack([tmap[g] for g in groups]), axis=0, weights=[counts[g] for g in groups])
    shift = np.zeros(len(ins.aspects))
    if "indeks" in figures:
        shift += figures["indeks"] - rows["indeks"] @ mean_x
    for d in ins.domains:
        if d.kode in figures:
            in_d = np.array([a.no_domain == d.no for a in ins.aspects])
            shift[in_d] = figures[d.kode] - rows[d.kode] @ mean_x
    return {g: (tmap[g] if tmap[g] is not None else mean_x) + shift for g in FINE_GROUPS}


def _presence(base: pd.DataFrame, years: list[int], scale: int, seed: int) -> dict[int, np.ndarray]:
    """Who is evaluated when: new Papua provinces from 2023, plus a few deterministic gaps
    (the same for every copy, so scale k gives exactly k times the rows)."""
    new = _new_province_mask(base)
    out = {y: ~new if y < NEW_PROVINCES_FIRST_YEAR else np.ones(len(base), dtype=bool) for y in years}
    candidates = np.flatnonzero(~new & (base["instansi_id"].astype(str) != SERANG_ID).to_numpy())
    k = min(len(candidates), max(1, round(GAP_SHARE * len(base)))) if len(years) > 1 else 0
    rng = np.random.default_rng([seed, 7])
    chosen = rng.choice(candidates, size=k, replace=False)
    first, second = rng.choice(years, size=k), rng.choice(years, size=k)
    twice = rng.random(k) < 0.25
    for y in years:
        out[y][chosen[(first == y) | (twice & (second == y))]] = False
    return {y: np.tile(mask, scale) for y, mask in out.items()}


def _draws(seed: int, scale: int, tag: tuple, shape: tuple, scale_sd: float = 1.0) -> np.ndarray:
    """Normal draws per copy, each copy from its own stream (copy 1 = the scale-1 data)."""
    return np.concatenate([np.random.default_rng([seed, r + 1, *tag]).standard_normal(shape, dtype=np.float32)
                           for r in range(scale)]) * np.float32(scale_sd)


def _calibrate(x: np.ndarray, cellbase: np.ndarray, asp: np.ndarray, share: np.ndarray, target: np.ndarray,
               fixed: dict[int, np.ndarray]) -> np.ndarray:
    """Levels clip(round(x + shift[cell])) with shifts that put every cell's mean on its target.

    cell = cellbase (per row of x) + aspect; the mean of a cell is Σ level × share / instansi count,
    fixed rows (position -> levels) count in the mean but are not moved."""
    n, k = x.shape
    n_cells, n_asp = len(target), int(asp.max()) + 1
    count = np.bincount(cellbase // n_asp, minlength=n_cells // n_asp)[np.arange(n_cells) // n_asp].astype(float)
    free = np.ones(n, dtype=bool)
    fixed_sum = np.zeros(n_cells)
    for pos, lv in fixed.items():
        free[pos] = False
        fixed_sum += np.bincount(cellbase[pos] + asp, weights=lv * share, minlength=n_cells)
    cf = (cellbase[free][:, None] + asp[None, :]).ravel()
    xf = x[free].ravel()
    wf = np.broadcast_to(share, (int(free.sum()), k)).ravel()
    active = count > 0
    safe = np.where(active, count, 1.0)
    # one level more or less on one indicator moves a cell's mean by share/count: aim within half of it
    step = np.zeros(n_asp)
    np.maximum.at(step, asp, share)
    tol = np.maximum(0.002, 0.55 * step[np.arange(n_cells) % n_asp] / safe)
    shift = target - np.bincount(cf, weights=xf * wf, minlength=n_cells) / safe
    best, best_err = shift.copy(), np.full(n_cells, np.inf)
    lo, hi = np.full(n_cells, -np.inf), np.full(n_cells, np.inf)   # mean(lo) < target < mean(hi)
    for it in range(60):
        v = xf + shift.astype(np.float32)[cf]
        mean = (np.bincount(cf, weights=np.clip(np.rint(v), 1, 5) * wf, minlength=n_cells) + fixed_sum) / safe
        err = target - mean
        improved = active & (np.abs(err) < best_err)
        best[improved], best_err[improved] = shift[improved], np.abs(err[improved])
        active &= best_err > tol
        if not active.any():
            break
        lo = np.where(active & (err > 0), np.maximum(lo, shift), lo)
        hi = np.where(active & (err < 0), np.minimum(hi, shift), hi)
        # safeguarded Newton on a monotone step function: bisect once bracketed and Newton misbehaves
        slope = np.bincount(cf, weights=((v > 1.0) & (v < 5.0)) * wf, minlength=n_cells) / safe
        newton = shift + np.clip(err / np.maximum(slope, 0.05), -1.5, 1.5)
        bounded = np.isfinite(lo) & np.isfinite(hi)
        bisect = bounded & ((it >= 6) | (newton <= lo) | (newton >= hi))
        mid = (np.where(bounded, lo, 0.0) + np.where(bounded, hi, 0.0)) / 2
        shift = np.where(active, np.where(bisect, mid, newton), best)
        keep = active[cf]
        if keep.mean() < 0.6:   # drop rows of settled cells: later rounds only touch the rest
            xf, cf, wf = xf[keep], cf[keep], wf[keep]
    levels = np.empty((n, k), dtype=np.int8)
    levels[free] = np.clip(np.rint(x[free] + best.astype(np.float32)[cellbase[free][:, None] + asp]), 1, 5)
    for pos, lv in fixed.items():
        levels[pos] = lv
    return levels


def generate_demo_levels(master: pd.DataFrame, *, registry: InstrumentRegistry | None = None,
                         years: Iterable[int] = range(2018, 2025), scale: int = 1,
                         seed: int = DEMO_SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Synthetic indicator levels for every instansi of `master` and year, calibrated to official means.

    Returns (levels, master_used); levels columns: tahun (int16), instansi_id (str), instrument_id
    (str), no_indikator (int16), level (int8), ordered by tahun, master order, indicator. scale > 1
    adds copies of every instansi (ids '~2', '~3', …; names ' (salinan 2)', …); copy 1 is exactly the
    scale-1 data, and every copy is calibrated on its own. Same seed → identical frames."""
    if scale < 1:
        raise ValueError("scale harus ≥ 1")
    registry = registry or load_registry()
    years = sorted({int(y) for y in years})
    base = master.reset_index(drop=True)
    n0 = len(base)
    used = _scaled_master(base, scale)
    fine = np.tile(fine_groups(base), scale)
    replica = np.repeat(np.arange(scale), n0)
    present = _presence(base, years, scale, seed)
    targets = _targets(registry, years, fine, present)

    ability = _draws(seed, scale, (0,), (n0,))
    growth = _draws(seed, scale, (1,), (n0,))
    serang, fixed_year = _anchor_serang(base, registry, years, targets, ability, growth)

    per_instrument: dict[str, tuple] = {}
    inst_parts, no_parts, lv_parts, year_parts = [], [], [], []
    for y in years:
        ins = registry.for_year(y)
        k, n_asp = len(ins.indicators), len(ins.aspects)
        asp = np.array([[a.no for a in ins.aspects].index(i.no_aspek) for i in ins.indicators])
        if ins.id not in per_instrument:
            per_instrument[ins.id] = _instrument_draws(ins, asp, seed=seed, scale=scale, n0=n0)
        aspect_off, persist, diff = per_instrument[ins.id]
        idx = np.flatnonzero(present[y])
        trend = _SD_ABILITY * (ability + _GROWTH * (y - _REF_YEAR) * growth) + _draws(seed, scale, (4, y), (n0,), _SD_SHOCK)
        x = (trend[idx, None] + aspect_off[idx][:, asp] + persist[idx] + diff
             + _draws(seed, scale, (5, y), (n0, k), _SD_NOISE)[idx])
        codes, t = targets[y]
        n_groups = t.shape[0]
        cellbase = (replica[idx] * n_groups + codes[idx]) * n_asp
        share = np.array([float(i.bobot / ins.aspect(i.no_aspek).bobot) for i in ins.indicators])
        fixed = {}
        if y == fixed_year and present[y][serang]:
            fixed[int(np.searchsorted(idx, serang))] = np.array([SERANG_2021_LEVELS[no] for no in ins.indicator_numbers])
        levels = _calibrate(x, cellbase, asp, share, np.tile(t.ravel(), scale), fixed)
        inst_parts.append(np.repeat(idx, k))
        no_parts.append(np.tile(np.array(ins.indicator_numbers, dtype=np.int16), len(idx)))
        lv_parts.append(levels.ravel())
        year_parts.append(np.full(len(idx) * k, y, dtype=np.int16))
    ids = pd.Index(used["instansi_id"].astype(str).to_numpy(), dtype="str")
    frame = pd.DataFrame({
        "tahun": np.concatenate(year_parts), "instansi_id": ids.take(np.concatenate(inst_parts)),
        "instrument_id": pd.Index([registry.for_year(y).id for y in years], dtype="str").repeat(
            [len(p) for p in year_parts]),
        "no_indikator": np.concatenate(no_parts), "level": np.concatenate(lv_parts),
    })
    return frame, used


def _anchor_serang(base: pd.DataFrame, registry: InstrumentRegistry, years: list[int], targets: dict,
                   ability: np.ndarray, growth: np.ndarray) -> tuple[int | None, int | None]:
    """Serang's standing in other years follows its real 2021 result: its ability (and no growth) is
    set in place from the gap between its 2021 levels and its group's target. Returns (Serang's
    position in `base` or None, the year whose levels are fixed to the real ones or None)."""
    serang = np.flatnonzero(base["instansi_id"].astype(str).to_numpy() == SERANG_ID)
    serang = int(serang[0]) if len(serang) else None
    fixed_year = SERANG_YEAR if serang is not None and SERANG_YEAR in years else None
    if fixed_year is not None:
        ins = registry.for_year(fixed_year)
        codes, t = targets[fixed_year]
        lv = np.array([SERANG_2021_LEVELS[no] for no in ins.indicator_numbers])
        total, w, _, _ = _int_weights(ins)
        gap = (lv @ w) / total - _component_rows(ins)["indeks"] @ t[codes[serang]]
        ability[serang], growth[serang] = np.clip(gap / _SD_ABILITY, -2.5, 2.5), 0.0
    return serang, fixed_year


def _instrument_draws(ins: Instrument, asp: np.ndarray, *, seed: int, scale: int,
                      n0: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draws shared by the years of one instrument: (aspect offset per instansi, persistent
    indicator offset per instansi, indicator difficulty with zero mean per aspect)."""
    k, n_asp = len(ins.indicators), len(ins.aspects)
    diff = np.random.default_rng([seed, 3, ins.tahun_mulai]).standard_normal(k) * _SD_DIFFICULTY
    diff -= (np.bincount(asp, weights=diff) / np.bincount(asp))[asp]   # zero mean per aspect
    return (_draws(seed, scale, (2, ins.tahun_mulai), (n0, n_asp), _SD_ASPECT),
            _draws(seed, scale, (3, ins.tahun_mulai), (n0, k), _SD_PERSIST),
            diff.astype(np.float32))
