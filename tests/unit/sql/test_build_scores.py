"""The warehouse's aspect/domain/index/predikat (etl/build.py + etl/sql) equal the exact scoring of
domain/scoring.py (Fractions, half-up) for random level sets under both instruments, including
index values that sit exactly on a rounding half (x,xx5) and on predikat band edges."""
from __future__ import annotations

import random

import duckdb
import pandas as pd
import pytest

from domain.instrument import load_registry
from domain.scoring import score_levels
from domain.warehouse_layout import current_snapshot
from etl.publish import Source, publish
from tests.unit.sql.conftest import MASTER

YEARS = (2019, 2024)  # PermenPANRB 5/2018 and 59/2020


def random_levels(seed: int) -> tuple[pd.DataFrame, dict]:
    """Up to 40 level sets per instansi-year key (instansi × year), many random, and for each
    instrument the sets whose exact index is a half (…5 in the third decimal)."""
    reg, rng = load_registry(), random.Random(seed)
    rows, sets = [], {}
    for year in YEARS:
        ins = reg.for_year(year)
        for iid in MASTER["instansi_id"]:
            while True:  # prefer a set whose exact index ends in 5 in the third decimal, else any
                levels = {n: rng.randint(1, 5) for n in ins.indicator_numbers}
                if (score_levels(ins, levels).indeks_exact * 1000) % 10 == 5 or rng.random() < 0.02:
                    break
            sets[(year, iid)] = (ins, levels)
            rows += [(year, iid, ins.id, n, lv) for n, lv in levels.items()]
    return pd.DataFrame(rows, columns=["tahun", "instansi_id", "instrument_id", "no_indikator", "level"]), sets


def read(root, table: str) -> pd.DataFrame:
    snap = current_snapshot(root)
    return duckdb.sql(f"select * from read_parquet('{snap / table}/**/*.parquet', hive_partitioning = true)").df()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_scores_equal_exact_python_scoring(tmp_path, seed):
    levels, sets = random_levels(seed)
    publish(tmp_path, source=Source("acak", "Acak", "demo", True), levels=levels, master=MASTER)
    aspek, domain, indeks = read(tmp_path, "nilai_aspek"), read(tmp_path, "nilai_domain"), read(tmp_path, "indeks")
    assert len(indeks) == len(sets)
    for (year, iid), (ins, lv) in sets.items():
        want = score_levels(ins, lv)
        got_i = indeks[(indeks.tahun == year) & (indeks.instansi_id == iid)].iloc[0]
        assert got_i.indeks == want.indeks and got_i.predikat == want.predikat, (year, iid, want.indeks_exact)
        got_a = aspek[(aspek.tahun == year) & (aspek.instansi_id == iid)].set_index("no_aspek")["nilai"]
        assert got_a.to_dict() == pytest.approx(want.aspek, abs=1e-12)
        got_d = domain[(domain.tahun == year) & (domain.instansi_id == iid)].set_index("no_domain")["nilai"]
        assert got_d.to_dict() == pytest.approx(want.domain, abs=1e-12)
        assert set(aspek[(aspek.tahun == year) & (aspek.instansi_id == iid)]["asal"]) == {"dihitung"}
    assert set(read(tmp_path, "nilai_indikator")["sumber_id"]) == {"acak"}


def test_rounding_halves_were_exercised():
    _, sets = random_levels(1)
    halves = [k for k, (ins, lv) in sets.items() if (score_levels(ins, lv).indeks_exact * 1000) % 10 == 5]
    assert len(halves) >= len(sets) // 2


def test_carried_rows_keep_their_source_and_new_rows_replace(tmp_path):
    levels, sets = random_levels(4)
    publish(tmp_path, source=Source("lama", "Lama", "demo", True), levels=levels, master=MASTER)
    ins = load_registry().for_year(2024)
    five = pd.DataFrame([(2024, "prov-36", ins.id, n, 5) for n in ins.indicator_numbers],
                        columns=["tahun", "instansi_id", "instrument_id", "no_indikator", "level"])
    publish(tmp_path, source=Source("baru", "Baru", "template", False), levels=five, master=MASTER)
    lv, idx = read(tmp_path, "nilai_indikator"), read(tmp_path, "indeks")
    new = lv[(lv.tahun == 2024) & (lv.instansi_id == "prov-36")]
    assert len(new) == len(ins.indicator_numbers) and set(new.level) == {5} and set(new.sumber_id) == {"baru"}
    assert len(lv) == len(levels)  # replaced, not added
    assert set(lv[lv.instansi_id != "prov-36"]["sumber_id"]) == {"lama"}
    row = idx[(idx.tahun == 2024) & (idx.instansi_id == "prov-36")].iloc[0]
    assert (row.indeks, row.sumber_id) == (5.0, "baru")
    old = idx[(idx.tahun == 2019) & (idx.instansi_id == "prov-36")].iloc[0]
    assert old.indeks == score_levels(*sets[(2019, "prov-36")]).indeks and old.sumber_id == "lama"
