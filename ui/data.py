"""Cached, bounded access to the warehouse for the pages (the only UI module that touches queries/).

A session that holds uploads reads its own private snapshot instead (ui/session_data.py).

The DuckDB gateway is a shared resource per published snapshot; query results are cached per
(snapshot, query, params) with a TTL and a bounded number of entries. When the ETL switches the
CURRENT pointer, the next rerun sees the new snapshot id and reads the new data.
"""
from __future__ import annotations

import threading
from pathlib import PurePosixPath, PureWindowsPath

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from domain.instrument import InstrumentRegistry, load_registry
from domain.warehouse_layout import read_import_log, warehouse_dir
from queries.gateway import NoSnapshotError, Warehouse, snapshot_id
from ui import session_data, upload

CACHE_TTL_S = 600


@st.cache_resource(max_entries=4, show_spinner=False)
def _warehouse(root: str, snap: str) -> Warehouse:
    return Warehouse(root, snapshot_id=snap)


_RUN_SNAPSHOT = "_spbe_published_snapshot"


def published(root: str, *, fresh: bool = False) -> str | None:
    """Id of the published snapshot of `root`, read from the CURRENT pointer once per script run (a rerun or a
    fragment rerun) and reused by every query of that run: the pointer file was read on every `run`/`current`,
    dozens of times per rerun (7,7 % of a tren rerun, issue 14). A publish is seen on the next rerun, and all
    queries of one run read one snapshot. `fresh` reads the pointer again (after a snapshot was pruned)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    run = getattr(ctx, "parallel_coordinator", None)    # a new object per run (ScriptRunContext.reset)
    memo = getattr(ctx, _RUN_SNAPSHOT, None)
    if not fresh and run is not None and memo is not None and memo[0] is run and memo[1] == root:
        return memo[2]
    snap = snapshot_id(root)
    if run is not None:
        setattr(ctx, _RUN_SNAPSHOT, (run, root, snap))
    return snap


def _gateway(root: str, snap: str | None) -> Warehouse | None:
    """Gateway on snapshot `snap`; if that one was pruned meanwhile, on the published one."""
    for _ in range(3):  # the pointer can move (and the old snapshot be pruned) between two reads
        if snap is None:
            return None
        try:
            return _warehouse(root, snap)
        except NoSnapshotError:
            snap = published(root, fresh=True)
    return None


_RUN_SESSION = "_spbe_session_warehouse"
_RUN_CURRENT = "_spbe_current_gateway"
SYNCS = {"n": 0}     # upload syncs done (for tests: once per script run, not once per query)


def _this_run():
    """(script run context, an object that is new for every run or fragment run), or (ctx, None) outside a run."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx, getattr(ctx, "parallel_coordinator", None)


def _session() -> session_data.SessionWarehouse | None:
    """This session's private warehouse (its uploads on top of the published snapshot), rebuilt on
    a newer published snapshot when one appears; None when the session holds no upload.

    The uploads are synced once per script run (a rerun or a fragment rerun), not on every `run`/`current`
    (6–8 times per rerun, issue 14): later calls of the same run reuse the result while the upload result and
    the private warehouse in session_state are the same objects. A new upload replaces the upload result, so
    it is synced at once (the upload page also syncs itself); a new published snapshot is seen on the next run."""
    ctx, run = _this_run()
    uploads = upload.current_result()
    memo = getattr(ctx, _RUN_SESSION, None)
    if run is not None and memo is not None and memo[0] is run and memo[1] is uploads and memo[2] is session_data.get():
        return memo[2]
    SYNCS["n"] += 1
    upload.sync_session_warehouse()
    sw = session_data.get()
    if run is not None:
        setattr(ctx, _RUN_SESSION, (run, uploads, sw))
    return sw


def current() -> Warehouse | None:
    """Gateway on this session's private snapshot when it holds uploads (ui/session_data.py), else
    on the published snapshot; None when nothing is published. Remembered for the rest of the script
    run (the gateway lookup hashed its arguments on each of a rerun's 6–8 calls)."""
    sw = _session()
    ctx, run = _this_run()
    memo = getattr(ctx, _RUN_CURRENT, None)
    if run is not None and memo is not None and memo[0] is run and memo[1] is sw:
        return memo[2]
    if sw is not None:
        wh = sw.gateway()
    else:
        root = str(warehouse_dir())
        wh = _gateway(root, published(root))
    if run is not None:
        setattr(ctx, _RUN_CURRENT, (run, sw, wh))
    return wh


_YEARS: dict[tuple[str, str], tuple[tuple[int, ...], frozenset[int]]] = {}   # (folder, snapshot) → years
_YEARS_MAX = 16
_YEARS_LOCK = threading.Lock()


def years() -> tuple[tuple[int, ...], frozenset[int]]:
    """(years, years holding a synthetic row) of this session's data, made once per snapshot (a session with
    uploads has its own) and shared read only: the bootstrap and the sidebar each unpickled and filtered the
    `years` query on every rerun (issue 14). Empty when nothing is published."""
    wh = current()
    if wh is None:
        return (), frozenset()
    key = (str(wh.root), str(wh.snapshot_id))
    hit = _YEARS.get(key)
    if hit is not None:
        return hit
    df = run("years")
    value = (tuple(int(y) for y in df["tahun"]),
             frozenset(int(y) for y, s in zip(df["tahun"], df["ada_sintetis"]) if bool(s)))
    with _YEARS_LOCK:
        while len(_YEARS) >= _YEARS_MAX:
            _YEARS.pop(next(iter(_YEARS)))
        _YEARS[key] = value
    return value


@st.cache_data(ttl=CACHE_TTL_S, max_entries=512, show_spinner=False)
def _run(root: str, snap: str, name: str, params: tuple) -> pd.DataFrame:
    wh = _gateway(root, snap)
    if wh is None:
        raise NoSnapshotError(f"belum ada snapshot di {root}")
    return wh.run(name, **{k: (list(v) if isinstance(v, tuple) else v) for k, v in params})


@st.cache_data(ttl=CACHE_TTL_S, max_entries=256, show_spinner=False)
def _run_private(root: str, snap: str, name: str, params: tuple, _sw) -> pd.DataFrame:
    """A query on a session's private snapshot: the key holds its random folder and snapshot id,
    which only that session knows, so no other session is ever served these rows."""
    return _sw.gateway().run(name, **{k: (list(v) if isinstance(v, tuple) else v) for k, v in params})


def run(name: str, **params) -> pd.DataFrame:
    """Run a named query (cached) on this session's private snapshot when it holds uploads, else on
    the published one. Raises NoSnapshotError if none is published."""
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    sw = _session()
    if sw is not None:
        return _run_private(str(sw.root), sw.snapshot_id, name, key, sw)  # st.cache_data returns a fresh copy per hit
    root = str(warehouse_dir())
    snap = published(root)
    if snap is None:
        raise NoSnapshotError(f"belum ada snapshot di {root}")
    return _run(root, snap, name, key)  # st.cache_data unpickles a fresh copy on every hit: no second copy


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
    _run_private.clear()
    _warehouse.clear()
    with _YEARS_LOCK:
        _YEARS.clear()
