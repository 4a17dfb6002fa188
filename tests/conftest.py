"""Shared fixtures: one demo warehouse per test session (real DuckDB + Parquet, never mocked)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """A published demo snapshot (scale 1) in a temporary warehouse; SPBE_WAREHOUSE points at it."""
    from etl.demo import generate_demo_levels
    from etl.publish import Source, load_master_frame, publish

    root = tmp_path_factory.mktemp("warehouse")
    levels, master = generate_demo_levels(load_master_frame())
    publish(root, source=Source("demo-test", "Data demo SINTETIS (uji)", "demo", True, "etl/demo.py"),
            levels=levels, master=master)
    os.environ["SPBE_WAREHOUSE"] = str(root)
    return root


@pytest.fixture
def warehouse(demo_warehouse):
    from queries.gateway import Warehouse

    wh = Warehouse(demo_warehouse)
    yield wh
    wh.close()
