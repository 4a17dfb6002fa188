"""PermenPANRB 5/2018 sector rows end to end: level files (35, 35-2, 35-3; a 2020 LHE's 35, 36, 37)
→ readers → warehouse build (etl/build.py + etl/sql) = domain/scoring.py, and the real Kota Denpasar
records (../shared/samples; skipped when absent) publish 2,64 (2018) and 3,33 (2019).

Fixtures are made up (tests/fixtures/etl/levels_sektor_*.csv); expected values are computed by hand:
aspect 7 of a pemda with sectors is the mean of its six rows (20 % / 6 each), of a central agency
the mean of its four (5 % each)."""
from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from domain.instrument import load_registry
from domain.scoring import score_levels
from domain.warehouse_layout import PROJECT_ROOT, current_snapshot
from etl.publish import Source, publish
from etl.readers import load_master, read_bytes, read_path
from tests.fixtures.etl.builders import FIXTURES, long_csv, master

MASTER = master()
REG = load_registry()
SERANG, KEMENKEU, DENPASAR = "kota-36.73", "pusat-kementerian-keuangan", "kota-51.71"
SAMPLE = PROJECT_ROOT.parent / "shared" / "samples" / "indicator_levels_kota_denpasar_2018_2019.csv"


def levels_of(frame: pd.DataFrame, iid: str, year: int) -> dict[int, int]:
    sel = frame[(frame.instansi_id == iid) & (frame.tahun == year)]
    return dict(zip(sel.no_indikator.astype(int), sel.level.astype(int)))


def warehouse(root: Path, levels: pd.DataFrame, master_frame=MASTER) -> dict[str, pd.DataFrame]:
    publish(root, source=Source("uji-sektor", "Uji sektor", "template", False),
            levels=levels.drop(columns=["baris"], errors="ignore"), master=master_frame)
    snap = current_snapshot(root)
    return {t: duckdb.sql(f"select * from read_parquet('{snap / t}/**/*.parquet', hive_partitioning = true)").df()
            for t in ("indeks", "nilai_aspek", "nilai_domain", "nilai_indikator")}


# --- readers ----------------------------------------------------------------------------------
def test_sector_spelling_35_2_maps_to_the_sector_rows():
    p = read_path(FIXTURES / "levels_sektor_2019.csv", master=MASTER)
    assert p.report.issues == [] and len(p.levels) == 37 + 35
    serang = levels_of(p.levels, SERANG, 2019)
    assert sorted(serang)[-3:] == [35, 36, 37] and (serang[35], serang[36], serang[37]) == (2, 4, 5)
    assert sorted(levels_of(p.levels, KEMENKEU, 2019)) == list(range(1, 36))  # a central agency: no sectors
    mandiri = p.levels[(p.levels.instansi_id == SERANG)].set_index("no_indikator")["level_mandiri"]
    assert (mandiri[36], mandiri[37]) == (4, 5)


def test_pemda_with_sectors_and_central_agency_by_hand():
    p = read_path(FIXTURES / "levels_sektor_2019.csv", master=MASTER)
    ins = REG.for_year(2019)
    serang = score_levels(ins, levels_of(p.levels, SERANG, 2019), "Kota")
    # aspects 1–6 at level 2 (80 %) → 1,6; aspect 7 = (3+3+3+2+4+5)/6 = 10/3 at 20 % → 2/3
    assert Fraction(serang.indeks_exact).limit_denominator(1000) == Fraction(34, 15)
    assert (serang.indeks, serang.predikat) == (2.27, "Cukup")
    assert serang.aspek[7] == pytest.approx(10 / 3) and serang.domain_rounded()[3] == 2.48  # (70 + 200/3) / 55
    kemenkeu = score_levels(ins, levels_of(p.levels, KEMENKEU, 2019), "Kementerian")
    # level 4 on 80 % → 3,2; aspect 7 = (4+4+4+1)/4 at 20 % → 0,65
    assert (kemenkeu.indeks_exact, kemenkeu.indeks, kemenkeu.predikat) == (3.85, 3.85, "Sangat Baik")


def test_2020_lhe_numbering_35_36_37_is_read_as_the_sectors():
    p = read_path(FIXTURES / "levels_sektor_2020_nomor.csv", master=MASTER)
    assert p.report.issues == [] and len(p.levels) == 37
    s = score_levels(REG.for_year(2020), levels_of(p.levels, SERANG, 2020), "Kota")
    assert (s.indeks, s.predikat, s.aspek[7]) == (3.1, "Baik", 3.5)  # 2,4 + (3+3+3+3+5+4)/6 × 0,2


def test_sectors_of_a_central_agency_are_refused():
    rows = [(2019, KEMENKEU, no, 3) for no in range(1, 36)] + [(2019, KEMENKEU, "35-2", 3), (2019, KEMENKEU, "35-3", 3)]
    p = read_bytes("pusat.csv", long_csv(rows).encode(), master=MASTER)
    assert p.levels.empty
    (issue,) = [i for i in p.report.issues if i.tingkat == "galat"]
    assert (issue.baris, issue.nilai) == (37, "35-2")
    assert "hanya dinilai untuk Provinsi, Kabupaten, Kota, bukan Kementerian" in issue.alasan


def test_unknown_sector_and_59_2020_sector_spellings_are_refused_with_a_hint():
    rows = [(2019, SERANG, no, 3) for no in range(1, 36)] + [(2019, SERANG, "34-2", 3)]
    p = read_bytes("sektor_34.csv", long_csv(rows).encode(), master=MASTER)
    assert p.levels.empty and "sektor yang ada: 35: 35, 35-2, 35-3" in p.report.issues[0].alasan
    rows = [(2021, SERANG, no, 3) for no in range(1, 48)] + [(2021, SERANG, "45-2", 3)]
    p = read_bytes("sektor_2021.csv", long_csv(rows).encode(), master=MASTER)
    assert p.levels.empty and "tidak membagi indikator menjadi sektor" in p.report.issues[0].alasan


def test_a_sector_written_twice_is_a_duplicate():
    rows = ([(2019, SERANG, no, 3) for no in range(1, 36)]
            + [(2019, SERANG, "35-2", 3), (2019, SERANG, "35-3", 3), (2019, SERANG, 36, 4)])
    p = read_bytes("ganda.csv", long_csv(rows).encode(), master=MASTER)
    assert p.levels.empty and any("sudah ada di baris 37" in i.alasan for i in p.report.issues)


# --- warehouse build = domain scoring ------------------------------------------------------------
def test_warehouse_scores_sector_rows_like_the_domain(tmp_path):
    p = read_path(FIXTURES / "levels_sektor_2019.csv", master=MASTER)
    q = read_path(FIXTURES / "levels_sektor_2020_nomor.csv", master=MASTER)
    wh = warehouse(tmp_path, pd.concat([p.levels, q.levels], ignore_index=True))
    got = wh["indeks"].set_index(["instansi_id", "tahun"])
    assert got.loc[(SERANG, 2019), ["indeks", "predikat"]].tolist() == [2.27, "Cukup"]
    assert got.loc[(KEMENKEU, 2019), ["indeks", "predikat"]].tolist() == [3.85, "Sangat Baik"]
    assert got.loc[(SERANG, 2020), ["indeks", "predikat"]].tolist() == [3.1, "Baik"]
    aspek = wh["nilai_aspek"].set_index(["instansi_id", "tahun", "no_aspek"])["nilai"]
    assert aspek[(SERANG, 2019, 7)] == pytest.approx(10 / 3, abs=1e-12) and aspek[(KEMENKEU, 2019, 7)] == 3.25
    domain = wh["nilai_domain"].set_index(["instansi_id", "tahun", "no_domain"])["nilai"]
    assert domain[(SERANG, 2019, 3)] == pytest.approx(82 / 33, abs=1e-12)
    assert len(wh["nilai_indikator"]) == 37 + 35 + 37


def test_warehouse_equals_domain_on_random_sector_sets(tmp_path):
    rng, ins, rows, sets = random.Random(35), REG.for_year(2019), [], {}
    for iid, kategori, numbers in ((SERANG, "Kota", range(1, 38)), ("prov-11", "Provinsi", range(1, 38)),
                                   ("kab-11.01", "Kabupaten", range(1, 36)), (KEMENKEU, "Kementerian", range(1, 36))):
        for year in (2018, 2019, 2020):
            levels = {n: rng.randint(1, 5) for n in numbers}
            sets[(iid, year)] = score_levels(ins, levels, kategori)
            rows += [(year, iid, ins.id, n, lv) for n, lv in levels.items()]
    wh = warehouse(tmp_path, pd.DataFrame(rows, columns=["tahun", "instansi_id", "instrument_id", "no_indikator",
                                                         "level"]))
    idx = wh["indeks"].set_index(["instansi_id", "tahun"])
    aspek = wh["nilai_aspek"].set_index(["instansi_id", "tahun", "no_aspek"])["nilai"]
    for (iid, year), want in sets.items():
        assert idx.loc[(iid, year), ["indeks", "predikat"]].tolist() == [want.indeks, want.predikat], (iid, year)
        assert {k: aspek[(iid, year, k)] for k in want.aspek} == pytest.approx(want.aspek, abs=1e-12)


def test_warehouse_refuses_sector_rows_of_a_central_agency(tmp_path):
    ins = REG.for_year(2019)
    rows = pd.DataFrame([(2019, KEMENKEU, ins.id, n, 3) for n in range(1, 38)],
                        columns=["tahun", "instansi_id", "instrument_id", "no_indikator", "level"])
    from etl.build import PublishError
    with pytest.raises(PublishError, match="set indikator tidak lengkap atau ganda"):
        warehouse(tmp_path, rows)


# --- the real records ---------------------------------------------------------------------------
@pytest.mark.skipif(not SAMPLE.exists(), reason="../shared/samples tidak ada (klon tanpa data bersama)")
def test_real_kota_denpasar_records_publish_264_and_333(tmp_path):
    full = load_master()
    p = read_path(SAMPLE, master=full)  # no instansi column: the file name names Kota Denpasar
    assert p.report.ok and set(p.levels.instansi_id) == {DENPASAR} and len(p.levels) == 2 * 37
    ins = REG.for_year(2018)
    by_year = {y: score_levels(ins, levels_of(p.levels, DENPASAR, y), "Kota") for y in (2018, 2019)}
    assert (by_year[2018].indeks, by_year[2019].indeks) == (2.64, 3.33)
    got = warehouse(tmp_path, p.levels, full)["indeks"].set_index("tahun").sort_index()
    assert got["indeks"].tolist() == [2.64, 3.33] and got["predikat"].tolist() == ["Baik", "Baik"]
