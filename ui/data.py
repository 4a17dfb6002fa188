"""Cached, bounded access to the warehouse for the pages (the only UI module that touches queries/).

The DuckDB gateway is a shared resource per published snapshot; query results are cached per
(snapshot, query, params) with a TTL and a bounded number of entries. When the ETL switches the
CURRENT pointer, the next rerun sees the new snapshot id and reads the new data.
"""
from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath

import pandas as pd
import streamlit as st

from domain.instrument import InstrumentRegistry, load_registry
from domain.warehouse_layout import read_import_log, warehouse_dir
from queries.gateway import NoSnapshotError, Warehouse, snapshot_id

CACHE_TTL_S = 600


@st.cache_resource(max_entries=4, show_spinner=False)
def _warehouse(root: str, snap: str) -> Warehouse:
    return Warehouse(root, snapshot_id=snap)


def _gateway(root: str, snap: str | None) -> Warehouse | None:
    """Gateway on snapshot `snap`; if that one was pruned meanwhile, on the published one."""
    for _ in range(3):  # the pointer can move (and the old snapshot be pruned) between two reads
        if snap is None:
            return None
        try:
            return _warehouse(root, snap)
        except NoSnapshotError:
            snap = snapshot_id(root)
    return None


def current() -> Warehouse | None:
    """Gateway on the published snapshot, or None when nothing is published."""
    root = str(warehouse_dir())
    return _gateway(root, snapshot_id(root))


@st.cache_data(ttl=CACHE_TTL_S, max_entries=512, show_spinner=False)
def _run(root: str, snap: str, name: str, params: tuple) -> pd.DataFrame:
    wh = _gateway(root, snap)
    if wh is None:
        raise NoSnapshotError(f"belum ada snapshot di {root}")
    return wh.run(name, **{k: (list(v) if isinstance(v, tuple) else v) for k, v in params})


def run(name: str, **params) -> pd.DataFrame:
    """Run a named query on the published snapshot (cached). Raises NoSnapshotError if none."""
    root = str(warehouse_dir())
    snap = snapshot_id(root)
    if snap is None:
        raise NoSnapshotError(f"belum ada snapshot di {root}")
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _run(root, snap, name, key).copy()


IMPORT_LOG_COLUMNS = ("waktu", "pengguna", "aksi", "berkas", "sha256", "baru", "diganti", "level_dihapus", "izin",
                      "snapshot_sebelumnya", "snapshot_baru")


def _bare_name(name) -> str:
    """A file name without any directory (POSIX or Windows): no server path reaches a page."""
    return PureWindowsPath(PurePosixPath(str(name or "")).name).name


def import_log(limit: int = 200) -> pd.DataFrame:
    """The import log beside the snapshots (imports and rollbacks), newest first: file names only,
    short sha256, no command line and no directory."""
    rows = []
    for e in reversed(read_import_log(warehouse_dir(), limit=limit)):
        files = [f for f in (e.get("berkas") or []) if isinstance(f, dict)]
        counts, levels = e.get("instansi_tahun") or {}, e.get("level_indikator") or {}
        rows.append({
            "waktu": str(e.get("waktu", ""))[:19].replace("T", " "), "pengguna": str(e.get("pengguna", "")),
            "aksi": str(e.get("aksi", "")), "berkas": ", ".join(_bare_name(f.get("berkas")) for f in files),
            "sha256": ", ".join(str(f.get("sha256", ""))[:12] for f in files),
            "baru": counts.get("baru"), "diganti": counts.get("diganti"), "level_dihapus": levels.get("dihapus"),
            "izin": ", ".join(str(x) for x in (e.get("diizinkan") or [])),
            "snapshot_sebelumnya": str(e.get("snapshot_sebelumnya") or "—"),
            "snapshot_baru": str(e.get("snapshot_baru") or "—"),
        })
    return pd.DataFrame(rows, columns=list(IMPORT_LOG_COLUMNS))


def registry() -> InstrumentRegistry:
    return load_registry()


def reload() -> None:
    """'Muat ulang data': drop cached results and gateways."""
    _run.clear()
    _warehouse.clear()
