"""Shared fixtures: one demo warehouse per test session (real DuckDB + Parquet, never mocked)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# Imported (and so compiled: PYTHONDONTWRITEBYTECODE is set here) before any test starts a thread.
# On Python 3.11.7, compiling while another thread compiles can fail with "SystemError: AST
# constructor recursion depth mismatch" (seen once: a test's lazy AppTest import while the kaleido
# export thread was running).
import streamlit.testing.v1  # noqa: F401

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


@pytest.fixture(scope="session")
def official_warehouse(tmp_path_factory) -> Path:
    """The default warehouse as `make run` builds it: the official results in data/official/ (no synthetic rows).
    Does not touch SPBE_WAREHOUSE; tests that render pages on it set it themselves (monkeypatch)."""
    from etl.official import publish_official

    root = tmp_path_factory.mktemp("official")
    publish_official(root)
    return root
