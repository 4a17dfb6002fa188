"""Named queries: given a few input rows, assert exact output rows (DuckDB is real)."""
from __future__ import annotations

import math

import pytest

from queries.gateway import QueryError, available_queries, query_params


def test_category_averages_one_row_per_category_with_exact_means(tiny):
    df = tiny.run("category_averages", year=2024)
    assert list(df["kategori"]) == ["Kementerian", "LPNK", "Lembaga Lain", "Provinsi", "Kabupaten", "Kota"]
    got = {r.kategori: (r.jumlah_instansi, None if math.isnan(r.indeks) else round(r.indeks, 4)) for r in df.itertuples()}
    # Kota Serang 2024: all 3 except indicator 47 at 1 → 3 − 2×3/100 = 2.94; Kota Tangerang 5 → mean 3.97
    assert got == {"Kementerian": (1, 4.0), "LPNK": (0, None), "Lembaga Lain": (0, None),
                   "Provinsi": (1, 4.0), "Kabupaten": (1, 2.0), "Kota": (2, 3.97)}
    # official figure kept apart from the recomputed one
    assert df.set_index("kategori").loc["Kota", "resmi"] == pytest.approx(3.39, abs=0.5)


def test_missing_year_is_absent_not_zero(tiny):
    df = tiny.run("instansi_trend", instansi_ids=["kota-36.71"])
    assert list(df["tahun"]) == [2024]
    assert tiny.run("instansi_profile", year=2023, instansi_id="kota-36.71").empty
    kota_2023 = tiny.run("category_averages", year=2023).set_index("kategori").loc["Kota"]
    assert kota_2023.jumlah_instansi == 1 and kota_2023.indeks == 2.0


def test_profile_has_change_and_ranks(tiny):
    row = tiny.run("instansi_profile", year=2024, instansi_id="kota-36.73").iloc[0]
    assert (row.indeks, row.predikat, row.indeks_sebelumnya) == (2.94, "Baik", 2.0)
    assert row.selisih == pytest.approx(0.94)
    assert (row.peringkat_kategori, row.jumlah_kategori) == (2, 2)
    assert (row.peringkat_provinsi, row.jumlah_provinsi) == (3, 4)   # Tangerang 5, Prov 4, Serang 2.94, Kab 2
    assert bool(row.sintetis) is True


def test_indicator_gaps_cost_weight_times_gap(tiny):
    df = tiny.run("indicator_gaps", year=2024, instansi_id="kota-36.73")
    assert len(df) == 47
    top = df.iloc[0]
    assert (top.no_indikator, top.level, top.kekurangan) == (47, 1, 2)
    assert top.biaya_indeks == pytest.approx(0.06)
    assert (top.jumlah_di_bawah_target, top.jumlah_kategori) == (1, 2)
    assert df["biaya_indeks"].iloc[1:].eq(0).all()


def test_components_compare_with_national_category_and_province(tiny):
    df = tiny.run("instansi_components", year=2024, instansi_id="kab-36.04").set_index("kode")
    assert list(df.index) == ["D1", "D2", "D3", "D4", "A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8"]
    a1 = df.loc["A1"]
    assert a1.nilai == pytest.approx(2) and a1.rerata_kategori == pytest.approx(2)
    assert a1.rerata_nasional == pytest.approx((4 + 3 + 5 + 2 + 4) / 5)
    assert a1.rerata_provinsi == pytest.approx((3 + 5 + 2) / 3)  # kab/kota of Banten


def test_national_trend_keeps_official_and_recomputed_apart(tiny):
    df = tiny.run("national_trend").set_index("tahun")
    assert df.loc[2024, "resmi"] == 3.12
    assert df.loc[2024, "dihitung"] == pytest.approx((4 + 2.94 + 5 + 2 + 4) / 5)
    assert math.isnan(df.loc[2018, "dihitung"]) and df.loc[2018, "resmi"] == 1.98


def test_predikat_distribution_counts(tiny):
    df = tiny.run("predikat_distribution", year=2024)
    kota = df[df.kategori == "Kota"].set_index("predikat")["jumlah"].to_dict()
    assert kota == {"Memuaskan": 1, "Sangat Baik": 0, "Baik": 1, "Cukup": 0, "Kurang": 0}


def test_parameters_are_bound_and_checked(tiny):
    with pytest.raises(QueryError, match="kurang"):
        tiny.run("category_averages")
    with pytest.raises(QueryError, match="tidak ada"):
        tiny.run("drop table instansi")
    # a hostile value is just a value
    assert tiny.run("instansi_profile", year=2024, instansi_id="x' or 1=1 --").empty


def test_every_query_declares_what_it_returns():
    for name in available_queries():
        from queries.gateway import query_text
        text = query_text(name)
        assert text.lstrip().startswith("--"), name
        assert "select * from final" in text, name
        assert "grain" in text.split("\nwith", 1)[0], name
        assert isinstance(query_params(name), list)
