"""domain.numbers: THE formatter (id-ID, half-up as the published figures) of every output."""
from decimal import Decimal
from fractions import Fraction

import pandas as pd
import pytest

from domain.numbers import MISSING, amount, integer, is_missing, num, pct, round_half_up, signed


@pytest.mark.parametrize("value, decimals, text", [
    (2.605, 2, "2,61"),        # the float 2.60499… prints as 2.605 and rounds as 2.605
    (2.675, 2, "2,68"),        # Python's round() and "%.2f" give 2.67
    (2.685, 2, "2,69"),
    (-0.005, 2, "-0,01"),      # half away from zero
    (-0.001, 2, "0,00"),       # no "-0,00"
    (1234.5, 2, "1.234,50"),
    (1_500_000, 0, "1.500.000"),
    (0.05, 1, "0,1"),
    (Fraction(521, 200), 2, "2,61"),   # exact
    (Decimal("3.115"), 2, "3,12"),
    (3, 2, "3,00"),
])
def test_num_rounds_half_up_and_writes_id_id(value, decimals, text):
    assert num(value, decimals) == text


def test_missing_values_print_as_a_dash():
    for value in (None, float("nan"), pd.NA, pd.NaT):
        assert is_missing(value)
        assert num(value) == integer(value) == pct(value) == signed(value) == MISSING
    assert not is_missing(0) and not is_missing("")


def test_signed_pct_integer_and_amount():
    assert signed(0.32) == "+0,32" and signed(-0.32) == "-0,32" and signed(0) == "0,00"
    assert pct(45.25) == "45,3 %"
    assert integer(500004) == "500.004"
    assert amount(19.0) == "19" and amount(7.5) == "7,5" and amount(0.125) == "0,13" and amount(1000) == "1.000"


def test_round_half_up_is_what_num_prints():
    assert round_half_up(2.675) == Decimal("2.68") > Decimal(str(round(2.675, 2)))
    for value in (2.675, 2.684, 0.005, -1.125, 4.2049999):
        assert num(value) == f"{round_half_up(value):.2f}".replace(".", ",")


def test_every_layer_formats_with_the_same_function():
    from domain import plan_report, planner
    from etl import report
    from etl.readers import limits
    from rendering import format as fmt

    assert fmt.num is num and planner.num is num and plan_report.num is num
    assert report.fmt_num is num and limits.count is integer
    assert limits.size_text(5_250_000) == "5,3 MB"   # "%.1f" gave 5,2
