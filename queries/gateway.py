"""The single gateway to DuckDB.

One in-memory DuckDB database per published snapshot, with a read-only view per warehouse
table over its Parquet files. Every query runs on its own cursor and is fully fetched
(DuckDB 2.0 refuses concurrent use of one connection and blocks after an unfinished result).
Values are always bound as ``$name`` parameters; query names come from the ``queries/*.sql``
files only.
"""
from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from domain import storage
from domain.warehouse_layout import ADDED_COLUMNS, COMMITTED_REFERENCE, TABLES

QUERY_DIR = Path(__file__).parent
_log = logging.getLogger(__name__)
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
    """Read access to one published snapshot.

    Each view reads the exact file list of the snapshot's manifest (not a glob): a snapshot that is
    pruned while this object is open makes a query fail loudly instead of silently reading the
    files that are left. Such a failure reopens the object once on the published snapshot.
    """

    def __init__(self, root: Path | str | None = None, snapshot_id: str | None = None):
        self.root = storage.warehouse_dir(root)
        self._lock = threading.Lock()
        self._con, self.snapshot = self._open(snapshot_id)
        self.snapshot_id = self.snapshot.name

    def _open(self, snapshot_id: str | None = None) -> tuple[duckdb.DuckDBPyConnection, Path]:
        """A connection with one view per table on `snapshot_id` (default: the published one)."""
        snapshot = storage.snapshot_path(self.root, snapshot_id) if snapshot_id else storage.current_snapshot(self.root)
        if snapshot is None or not snapshot.is_dir():
            raise NoSnapshotError(
                f"belum ada snapshot di {self.root}; bangun gudang data resmi dengan `python -m etl official` "
                "(make run) atau impor berkas dengan `python -m etl import`")
        listed = storage.manifest_files(snapshot)
        # One thread per query: floating-point sums then add up in one fixed order, so a mean is
        # the same on every run and every replica (with 2 threads, 30 runs of one query gave 6
        # different last bits, and one category mean showed as 1,78 or 1,77). The queries are
        # small; sessions running at once keep the cores busy.
        con = duckdb.connect(":memory:", config={"threads": 1})
        try:
            for table, (_, partitioned) in TABLES.items():
                opts = ", hive_partitioning = true" if partitioned else ""
                files = listed.get(table) if listed is not None else None
                if files is None and not (snapshot / table).is_dir() and table in COMMITTED_REFERENCE:
                    source = storage.sql_path(COMMITTED_REFERENCE[table])  # older snapshot: the committed file
                    con.execute(f"create view {table} as select * from read_csv({source})")
                    continue
                if files is None and not (snapshot / table).is_dir():   # a snapshot older than the table
                    cols = ", ".join(f"null::{'integer' if c == 'tahun' else 'varchar'} as {c}" for c in TABLES[table][0])
                    con.execute(f"create view {table} as select {cols} where false")
                    continue
                source = (storage.sql_path_list(snapshot / f for f in files) if files
                          else storage.sql_path(f"{snapshot / table}/**/*.parquet"))
                con.execute(f"create view {table} as select * from read_parquet({source}{opts})")
                _add_missing_columns(con, table, source, opts)
        except duckdb.IOException as exc:
            con.close()
            if snapshot.is_dir() and storage.snapshot_complete(snapshot):
                raise
            raise NoSnapshotError(f"snapshot {snapshot.name} hilang saat dibuka (dipangkas?)") from exc
        return con, snapshot

    def run(self, name: str, **params) -> pd.DataFrame:
        """Run a named query with bound parameters; returns a fully materialised DataFrame."""
        sql = query_text(name)
        expected = query_params(name)
        missing = [p for p in expected if p not in params]
        extra = [p for p in params if p not in expected]
        if missing or extra:
            raise QueryError(f"query '{name}' butuh parameter {expected}; kurang {missing}, lebih {extra}")
        con = self._con
        try:
            return self._execute(con, sql, params)
        except duckdb.IOException:
            if not self._reopen_if_gone(con):
                raise
            return self._execute(self._con, sql, params)

    def _execute(self, con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pd.DataFrame:
        with self._lock:  # cursor creation is cheap but not thread-safe on the parent
            cur = con.cursor()
        try:
            return cur.execute(sql, params or None).df()
        finally:
            cur.close()

    def _reopen_if_gone(self, failed: duckdb.DuckDBPyConnection) -> bool:
        """After an IO error: if this snapshot lost files (pruned) and another one is published,
        reopen on that one and return True; False when the error has another cause."""
        with self._lock:
            if self._con is not failed:  # another thread already reopened
                return True
            if storage.snapshot_complete(self.snapshot):
                return False
            for attempt in range(3):  # the published snapshot may itself be replaced meanwhile
                snapshot = storage.current_snapshot(self.root)
                if snapshot is None or snapshot.name == self.snapshot_id:
                    return False
                try:
                    # the old connection is closed by the garbage collector once no query uses it
                    con, snapshot = self._open(snapshot.name)
                except NoSnapshotError:
                    if attempt == 2:
                        raise
                    continue
                _log.warning("snapshot %s hilang (dipangkas); dibuka ulang pada %s", self.snapshot_id, snapshot.name)
                self._con, self.snapshot, self.snapshot_id = con, snapshot, snapshot.name
                return True
            return False

    def close(self) -> None:
        self._con.close()


def _add_missing_columns(con: duckdb.DuckDBPyConnection, table: str, source: str, opts: str) -> None:
    """A snapshot published before a column was added (ADDED_COLUMNS) reads it as a typed null."""
    added = ADDED_COLUMNS.get(table)
    if not added:
        return
    have = {r[0] for r in con.execute(f"describe {table}").fetchall()}
    cols = "".join(f", null::{t} as {c}" for c, t in added.items() if c not in have)
    if cols:
        con.execute(f"create or replace view {table} as select *{cols} from read_parquet({source}{opts})")


def is_current(wh: Warehouse) -> bool:
    """Whether the warehouse object still serves the published snapshot."""
    snap = storage.current_snapshot(wh.root)
    return snap is not None and snap.name == wh.snapshot_id


def snapshot_id(root: Path | str | None = None) -> str | None:
    snap = storage.current_snapshot(storage.warehouse_dir(root))
    return snap.name if snap else None
