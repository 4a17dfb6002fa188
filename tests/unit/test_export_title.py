"""ui.downloads: a table is titled with its instansi only when all its named rows are of that one instansi."""
import pandas as pd
import pytest

from ui.downloads import _one_name


@pytest.mark.parametrize("names, one", [
    (["Kota Serang", "Kota Serang", "Kota Serang"], True),
    (["Kota Serang"], True),
    (["Kota Serang", "Kota Cilegon"], False),           # decided from the first two rows
    (["Kota Serang", "Kota Serang", "Kota Cilegon"], False),
    ([None, "Kota Serang", "Kota Serang"], True),       # a missing name is not another instansi (as nunique)
    (["Kota Serang", None, "Kota Cilegon"], False),
    ([], False),
])
def test_one_name(names, one):
    assert _one_name(pd.Series(names, dtype="object")) is one
    assert _one_name(pd.Series(names, dtype="string")) is one   # Arrow-backed text, as the warehouse returns it
