"""How close the SYNTHETIC demo levels (etl/demo.py) come to the official figures they are
calibrated to: exact index/domain/aspect values per instansi-year (vectorised, half-up to 2
decimals like domain.scoring) and the recomputed simple means next to the official ones.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from domain.instrument import Instrument, InstrumentRegistry, load_registry
from etl.demo import CALIBRATION_YEARS, NASIONAL, OFFICIAL_GROUPS, _int_weights, _official, fine_groups


def scores_frame(levels: pd.DataFrame, registry: InstrumentRegistry | None = None) -> pd.DataFrame:
    """Index, domain and aspect values per instansi-year (exact, rounded half-up to 2 decimals).

    Long format: tahun, instansi_id, instrument_id, komponen ('indeks', 'D1'…, 'A1'…), nilai."""
    registry = registry or load_registry()
    out = []
    for ins_id in pd.unique(levels["instrument_id"]):
        ins = registry.by_id(str(ins_id))
        k = len(ins.indicators)
        part = _blocks(levels[levels["instrument_id"] == ins_id], ins)
        lv = part["level"].to_numpy(np.int64).reshape(-1, k)
        total, w, wa, wd = _int_weights(ins)
        sums = {"indeks": (lv @ w, total)}
        for d in ins.domains:
            m = np.array([i.no_domain == d.no for i in ins.indicators])
            sums[d.kode] = (lv[:, m] @ w[m], wd[d.no])
        for a in ins.aspects:
            m = np.array([i.no_aspek == a.no for i in ins.indicators])
            sums[a.kode] = (lv[:, m] @ w[m], wa[a.no])
        head = part.iloc[::k][["tahun", "instansi_id", "instrument_id"]].reset_index(drop=True)
        for komponen, (s, b) in sums.items():
            out.append(head.assign(komponen=komponen, nilai=((200 * s + b) // (2 * b)) / 100))
    return pd.concat(out, ignore_index=True)


def _blocks(part: pd.DataFrame, ins: Instrument) -> pd.DataFrame:
    """Rows ordered so every run of len(indicators) rows is one instansi-year, indicators in order."""
    k, nos = len(ins.indicators), np.array(ins.indicator_numbers)

    def ok(p: pd.DataFrame) -> bool:
        if len(p) % k:
            return False
        ids = p["instansi_id"].to_numpy(object).reshape(-1, k)
        yrs = p["tahun"].to_numpy().reshape(-1, k)
        return bool((p["no_indikator"].to_numpy().reshape(-1, k) == nos).all()
                    and (ids == ids[:, :1]).all() and (yrs == yrs[:, :1]).all())
    if ok(part):
        return part
    part = part.sort_values(["tahun", "instansi_id", "no_indikator"], kind="stable")
    if not ok(part):
        raise ValueError(f"set indikator {ins.nama} tidak lengkap untuk sebagian instansi-tahun")
    return part


def calibration_table(levels: pd.DataFrame, master: pd.DataFrame,
                      registry: InstrumentRegistry | None = None) -> pd.DataFrame:
    """Recomputed simple means vs official figures: tahun, kategori, komponen, dihitung, resmi, selisih.

    Category rows: every official category figure (rerata_kategori) of the years in `levels`.
    'Nasional' rows: simple mean over all instansi vs the official national series (seri_nasional),
    which is NOT a simple mean — a gap there is expected, not an error."""
    scores = scores_frame(levels, registry)
    group = pd.Series(fine_groups(master), index=master["instansi_id"].astype(str).to_numpy())
    scores["grup"] = scores["instansi_id"].astype(str).map(group)
    if scores["grup"].isna().any():
        raise ValueError("instansi di levels tidak ada di master")
    cat, nat = _official()
    years = set(scores["tahun"].astype(int))
    labels = pd.DataFrame([(lab, g) for lab, gs in OFFICIAL_GROUPS.items() for g in gs], columns=["kategori", "grup"])
    per_cat = (scores.merge(labels, on="grup").groupby(["tahun", "kategori", "komponen"], as_index=False)["nilai"].mean())
    cat = cat[(cat["kategori"] != NASIONAL) & cat["tahun"].isin(years & set(CALIBRATION_YEARS))]
    rows_cat = cat.merge(per_cat, on=["tahun", "kategori", "komponen"], how="left", suffixes=("_resmi", ""))
    per_nat = scores.groupby(["tahun", "komponen"], as_index=False)["nilai"].mean()
    nat = nat[nat["tahun"].isin(years)].assign(kategori=NASIONAL)
    rows_nat = nat.merge(per_nat, on=["tahun", "komponen"], how="left", suffixes=("_resmi", ""))
    table = pd.concat([rows_nat, rows_cat], ignore_index=True).rename(columns={"nilai": "dihitung", "nilai_resmi": "resmi"})
    table["dihitung"] = table["dihitung"].round(4)
    table["selisih"] = (table["dihitung"] - table["resmi"]).round(4)
    table = table.sort_values("tahun", kind="stable").reset_index(drop=True)
    return table[["tahun", "kategori", "komponen", "dihitung", "resmi", "selisih"]]
