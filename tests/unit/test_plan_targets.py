"""The page's target table (issue 13): "3,3" and "3.3" are 3,30 — not 5,00 after a silent clamp —
and out-of-range values are refused before planning, naming the year and the value."""
import pytest

from domain.instrument import load_registry
from domain.plan_targets import PlanError, target_rows


@pytest.fixture(scope="module")
def ins59():
    return load_registry().by_id("permenpanrb_59_2020")


def rows(ins, table, start=2.97):
    return target_rows(ins, table, start_index=start, first_year=2022)


def test_decimal_comma_and_point(ins59):
    assert rows(ins59, [("2025", "3,3"), ("2026", "3.3"), (2027, 3.4), ("2028", " 3,45 "), ("2029", "4")]) == {
        2025: 3.3, 2026: 3.3, 2027: 3.4, 2028: 3.45, 2029: 4.0}
    assert rows(ins59, [("2025", "3,1"), (None, None), ("", "")]) == {2025: 3.1}  # empty rows skipped
    assert rows(ins59, [("2025.0", "3,10")]) == {2025: 3.1}


@pytest.mark.parametrize("table, message", [
    ([("2025", "33")], "target 2025 = 33 di luar rentang indeks 1,00–5,00"),
    ([("2026", "5,5")], "target 2026 = 5,5 di luar rentang indeks 1,00–5,00"),
    ([("2025", "0,9")], "target 2025 = 0,9 di luar rentang"),
    ([("2025", "2,3")], "target 2025 = 2,30 di bawah indeks awal 2,97"),
    ([("2025", "3,333")], "target 2025 = 3,333: indeks ditulis dengan paling banyak dua desimal"),
    ([("2025", "tiga")], "target 2025 = tiga bukan angka indeks"),
    ([("2025", "3,1,2")], "target 2025 = 3,1,2 bukan angka indeks"),
    ([("2025", "3,1"), ("2025", "3,2")], "tahun 2025 disebut lebih dari sekali"),
    ([("2021", "3,1")], "tahun 2021 sebelum tahun pertama rencana 2022"),
    ([("25", "3,1")], "tahun '25' tidak dikenali"),
    ([("2025", "")], "tahun 2025: nilai target kosong"),
    ([("", "3,1")], "target 3,1 tanpa tahun"),
    ([], "tabel target kosong"),
    ([("2025", float("nan"))], "tahun 2025: nilai target kosong"),
])
def test_refusals_name_the_year_and_the_value(ins59, table, message):
    with pytest.raises(PlanError) as exc:
        rows(ins59, table)
    assert message in str(exc.value)
