"""The same query on the same snapshot gives the same numbers, bit for bit, on every run — so two
replicas (or one replica after its cache expires) never show a mean as 1,78 once and 1,77 later."""
from __future__ import annotations

import pandas as pd
import pytest

from queries.gateway import Warehouse

RUNS = 12
QUERIES = [("instansi_components", {"year": 2021, "instansi_id": "kota-36.73"}),
           ("component_means", {"year": 2024}),
           ("category_averages", {"year": 2023}),
           ("category_trend", {})]


@pytest.mark.parametrize("name,params", QUERIES, ids=[q for q, _ in QUERIES])
def test_repeated_runs_give_identical_floats(demo_warehouse, name, params):
    wh = Warehouse(demo_warehouse)
    results = {pd.util.hash_pandas_object(wh.run(name, **params), index=False).sum() for _ in range(RUNS)}
    wh.close()
    assert len(results) == 1, f"{name}: {len(results)} different results in {RUNS} runs"


def test_two_gateways_agree(demo_warehouse):
    a, b = Warehouse(demo_warehouse), Warehouse(demo_warehouse)
    for name, params in QUERIES:
        pd.testing.assert_frame_equal(a.run(name, **params), b.run(name, **params), check_exact=True)
    a.close()
    b.close()
