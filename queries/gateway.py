"""The single gateway to DuckDB.

One in-memory DuckDB database per published snapshot, with a read-only view per warehouse
table over its Parquet files. Every query runs on its own cursor and is fully fetched
(DuckDB 2.0 refuses concurrent use of one connection and blocks after an unfinished result).
Values are always bound as ``$name`` parameters; query names come from the ``queries/*.sql``
files only.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from domain.warehouse_layout import TABLES, current_snapshot, warehouse_dir

QUERY_DIR = Path(__file__).parent
_PARAM = re.compile(r"(?<![\w$])\$([a-z_][a-z0-9_]*)")


class NoSnapshotError(RuntimeError):
    """No snapshot has been published in this warehouse yet."""


class QueryError(ValueError):
    """Unknown query name or wrong parameters."""


def available_queries() -> list[str]:
    return sorted(p.stem for p in QUERY_DIR.glob("*.sql"))


@lru_cache(maxsize=128)
def query_text(name: str) -> str:
    if name not in available_queries():
        raise QueryError(f"query '{name}' tidak ada; pilihan: {', '.join(available_queries())}")
    return (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8")


def query_params(name: str) -> list[str]:
    """Parameter names a query expects (its `$name` placeholders, outside comments)."""
    body = "\n".join(line.split("--", 1)[0] for line in query_text(name).splitlines())
    return sorted(set(_PARAM.findall(body)))


class Warehouse:
    """Read access to one published snapshot."""

    def __init__(self, root: Path | str | None = None):
        self.root = warehouse_dir(root)
        snapshot = current_snapshot(self.root)
        if snapshot is None:
            raise NoSnapshotError(
                f"belum ada snapshot di {self.root}; bangun data demo dengan `python -m etl demo` "
                "atau impor berkas dengan `python -m etl import`")
        self.snapshot = snapshot
        self.snapshot_id = snapshot.name
        self._con = duckdb.connect(":memory:")
        self._lock = threading.Lock()
        for table, (_, partitioned) in TABLES.items():
            files = f"{snapshot / table}/**/*.parquet"
            opts = ", hive_partitioning = true" if partitioned else ""
            self._con.execute(f"create view {table} as select * from read_parquet('{files}'{opts})")

    def run(self, name: str, **params) -> pd.DataFrame:
        """Run a named query with bound parameters; returns a fully materialised DataFrame."""
        sql = query_text(name)
        expected = query_params(name)
        missing = [p for p in expected if p not in params]
        extra = [p for p in params if p not in expected]
        if missing or extra:
            raise QueryError(f"query '{name}' butuh parameter {expected}; kurang {missing}, lebih {extra}")
        with self._lock:  # cursor creation is cheap but not thread-safe on the parent
            cur = self._con.cursor()
        try:
            return cur.execute(sql, params or None).df()
        finally:
            cur.close()

    def close(self) -> None:
        self._con.close()


def is_current(wh: Warehouse) -> bool:
    """Whether the warehouse object still serves the published snapshot."""
    snap = current_snapshot(wh.root)
    return snap is not None and snap.name == wh.snapshot_id


def snapshot_id(root: Path | str | None = None) -> str | None:
    snap = current_snapshot(warehouse_dir(root))
    return snap.name if snap else None
