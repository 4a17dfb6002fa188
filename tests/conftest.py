"""Shared fixtures: one demo warehouse per test session (real DuckDB + Parquet, never mocked)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """A published demo snapshot (scale 1) in a temporary warehouse; SPBE_WAREHOUSE points at it."""
    from etl.demo_publish import publish_demo

    root = tmp_path_factory.mktemp("warehouse")
    publish_demo(root)
    os.environ["SPBE_WAREHOUSE"] = str(root)
    return root


@pytest.fixture
def warehouse(demo_warehouse):
    from queries.gateway import Warehouse

    wh = Warehouse(demo_warehouse)
    yield wh
    wh.close()
