"""KemenPANRB bands the UNROUNDED index (2024: Nias Barat 1,80 Kurang, Pacitan 3,50 Baik, Luwu 2,60
Cukup). One rule, domain.instrument.Instrument.predikat, followed by the scoring, the warehouse build
(etl/sql/index_scores.sql) and the published-result check (etl/validate_published.py)."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import duckdb
import pandas as pd
import pytest

from domain.instrument import load_registry
from domain.scoring import round2, score_levels
from domain.warehouse_layout import current_snapshot


@pytest.fixture(scope="module")
def i59():
    return load_registry().for_year(2024)


@pytest.mark.parametrize("value, expected", [
    (Fraction("2.5996"), "Cukup"), (2.5996, "Cukup"), (Decimal("2.5999"), "Cukup"), (Fraction(13, 5), "Baik"),
    (Fraction("3.4999"), "Baik"), (3.5, "Sangat Baik"), (Fraction("1.7999"), "Kurang"), (1.8, "Cukup"),
    (Fraction("4.1999"), "Sangat Baik"), (4.2, "Memuaskan"), (float("nan"), None), (None, None)])
def test_predikat_bands_the_unrounded_value(i59, value, expected):
    assert i59.predikat(value) == expected


def test_displayed_260_can_be_cukup(i59):
    assert round2(Fraction("2.5996")) == 2.6 and i59.predikat(Fraction("2.5996")) == "Cukup"
    assert round2(Fraction("3.4999")) == 3.5 and i59.predikat(Fraction("3.4999")) == "Baik"


@pytest.mark.parametrize("printed, bands", [
    (2.60, ("Baik", "Cukup")), (1.80, ("Cukup", "Kurang")), (3.50, ("Sangat Baik", "Baik")),
    (4.20, ("Memuaskan", "Sangat Baik")), (2.61, ("Baik",)), (2.59, ("Cukup",)), (1.0, ("Kurang",)),
    (5.0, ("Memuaskan",))])
def test_bands_a_printed_index_can_carry(i59, printed, bands):
    assert i59.predikat_printed(printed) == bands


def near_boundary_levels(ins, raise_total: bool) -> dict[int, int]:
    """Levels 3 everywhere (index 3,00), then: all six 3 % rows, seven 2,75 % rows and two 1,5 %
    rows one level down → 2,5975 (printed 2,60, Cukup); or all 3 % and 2,75 % rows, one 2,5 % and
    one 1,5 % row one level up → 3,495 (printed 3,50, Baik)."""
    levels = {n: 3 for n in ins.indicator_numbers}
    counts = ({3: 6, 2.75: 10, 2.5: 1, 1.5: 1} if raise_total else {3: 6, 2.75: 7, 1.5: 2})
    for ind in ins.indicators:
        w = float(ind.bobot)
        if counts.get(w, 0):
            counts[w] -= 1
            levels[ind.no] += 1 if raise_total else -1
    return levels


def test_scoring_gives_the_band_of_the_unrounded_index(i59):
    low = score_levels(i59, near_boundary_levels(i59, raise_total=False))
    assert (low.indeks_exact, low.indeks, low.predikat) == (2.5975, 2.6, "Cukup")
    high = score_levels(i59, near_boundary_levels(i59, raise_total=True))
    assert (high.indeks_exact, high.indeks, high.predikat) == (3.495, 3.5, "Baik")


def test_warehouse_build_bands_the_unrounded_index_too(tmp_path, i59):
    from etl.publish import Source, publish
    from tests.unit.sql.conftest import MASTER

    rows = [(2024, iid, i59.id, n, lv)
            for iid, up in (("kota-36.73", False), ("kab-36.04", True))
            for n, lv in near_boundary_levels(i59, up).items()]
    levels = pd.DataFrame(rows, columns=["tahun", "instansi_id", "instrument_id", "no_indikator", "level"])
    publish(tmp_path, source=Source("batas", "Batas", "template", False), levels=levels, master=MASTER)
    snap = current_snapshot(tmp_path)
    got = duckdb.sql(f"select instansi_id, indeks, predikat from read_parquet('{snap}/indeks/**/*.parquet') "
                     "order by instansi_id").fetchall()
    assert got == [("kab-36.04", 3.5, "Baik"), ("kota-36.73", 2.6, "Cukup")]


def test_published_rows_banded_before_rounding_are_consistent():
    from etl.readers import read_bytes
    from tests.fixtures.etl.builders import master

    data = ("tahun,nama_instansi,indeks,predikat\n"
            "2024,Pemerintah Kab. Pacitan,3.50,Baik\n"           # 3,495… → Baik
            "2024,Pemerintah Kota Serang,2.60,Cukup\n"           # 2,596… → Cukup
            "2024,Pemerintah Kab. Simeulue,1.80,Kurang\n"        # 1,797… → Kurang
            "2024,Pemerintah Kab. Serang,2.60,Baik\n"            # as printed
            "2024,Pemerintah Provinsi Aceh,2.61,Cukup\n"         # 2,605 ≤ x: only Baik
            "2024,Kementerian Keuangan,2.6125,Cukup\n").encode()  # given more precisely: Baik
    p = read_bytes("hasil_2024.csv", data, master=master())
    flagged = [(i.baris, i.nilai) for i in p.report.issues if i.kolom == "predikat"]
    assert flagged == [(6, "Cukup"), (7, "Cukup")]
    assert "menurut PermenPANRB 59/2020: Baik" in [i for i in p.report.issues if i.baris == 6][0].alasan
    assert p.index["predikat"].tolist() == ["Baik", "Cukup", "Kurang", "Baik", "Cukup", "Cukup"]  # as published
