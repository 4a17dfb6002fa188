"""The storage seam: every touch of the warehouse's files goes through here.

A warehouse is a directory (``$SPBE_WAREHOUSE``, default ``data/warehouse``) holding
``snapshots/<id>/<table>/…parquet`` + ``manifest.json`` per snapshot, the ``CURRENT`` pointer
naming the published one, the publish lock and the append-only import log. This module knows
that layout and nothing else: no tables, no DuckDB, no scoring. The gateway (`queries.gateway`),
the build and publish code (`etl.build`, `etl.publish`, `etl.snapshots`) and
`domain.warehouse_layout` use it; it imports nothing of the project.

Local filesystem today. Moving the warehouse to object storage means another implementation of
these functions (pointer read/switch as a conditional put, the manifest as an object, the lock as a
lease, `sql_path` giving ``s3://`` URLs DuckDB's httpfs reads): the callers stay as they are.

`sql_path` is the one way a path reaches SQL text (DuckDB cannot bind a COPY target or a
`read_parquet` list as a parameter everywhere): a string literal with ``'`` doubled, so a quote in
``SPBE_WAREHOUSE`` is data, not SQL.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Callable

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE = PROJECT_ROOT / "data" / "warehouse"
WAREHOUSE_ENV = "SPBE_WAREHOUSE"
POINTER_FILE = "CURRENT"
SNAPSHOT_DIR = "snapshots"
MANIFEST_FILE = "manifest.json"
LOCK_FILE = ".publish.lock"
IMPORT_LOG_FILE = "import_log.jsonl"
BUILD_PREFIX = ".build-"


# --- where ---------------------------------------------------------------------------------
def warehouse_dir(explicit: str | os.PathLike | None = None) -> Path:
    """Warehouse location: explicit argument, else $SPBE_WAREHOUSE, else data/warehouse."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(WAREHOUSE_ENV)
    return Path(env) if env else DEFAULT_WAREHOUSE


def snapshots_dir(root: Path) -> Path:
    return Path(root) / SNAPSHOT_DIR


def snapshot_path(root: Path, snapshot_id: str) -> Path:
    return snapshots_dir(root) / snapshot_id


def snapshot_ids(root: Path) -> list[str]:
    """Finished snapshots (not builds in progress), oldest first (ids start with their UTC time)."""
    folder = snapshots_dir(root)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


# --- the pointer ---------------------------------------------------------------------------
def current_snapshot(root: Path) -> Path | None:
    """Directory of the published snapshot, or None when nothing is published yet."""
    pointer = Path(root) / POINTER_FILE
    if not pointer.exists():
        return None
    snap = snapshot_path(root, pointer.read_text(encoding="utf-8").strip())
    return snap if snap.is_dir() else None


def switch_pointer(root: Path, snapshot_id: str) -> None:
    """Publish `snapshot_id`: the pointer is replaced by a fully written, fsynced file (atomic)."""
    atomic_write_text(Path(root) / POINTER_FILE, snapshot_id + "\n")


def remove_stale_pointer_files(root: Path) -> None:
    """Temporary pointer files of a publisher killed mid-switch (the caller holds the lock)."""
    for tmp in Path(root).glob(f".{POINTER_FILE}.*"):
        tmp.unlink(missing_ok=True)


# --- manifests and file lists ----------------------------------------------------------------
def read_manifest(snapshot: Path | None) -> dict:
    """A snapshot's manifest (files, row counts, predecessor, source facts); {} if absent or unreadable."""
    if snapshot is None:
        return {}
    try:
        manifest = json.loads((Path(snapshot) / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def has_manifest(snapshot: Path) -> bool:
    return (Path(snapshot) / MANIFEST_FILE).exists()


def load_manifest(snapshot: Path) -> dict:
    """The manifest as written (FileNotFoundError / ValueError propagate: a verifier reports them)."""
    return json.loads((Path(snapshot) / MANIFEST_FILE).read_text(encoding="utf-8"))


def write_manifest(snapshot: Path, manifest: dict) -> None:
    (Path(snapshot) / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1), encoding="utf-8")


def manifest_files(snapshot: Path) -> dict[str, list[str]] | None:
    """Parquet files per table (paths relative to the snapshot) as the manifest lists them; None
    without a manifest."""
    try:
        manifest = load_manifest(snapshot)
    except FileNotFoundError:
        return None
    out: dict[str, list[str]] = {}
    for rel in sorted(manifest.get("files", {})):
        out.setdefault(Path(rel).parts[0], []).append(rel)
    return out


def snapshot_complete(snapshot: Path) -> bool:
    """Whether every file of the snapshot's manifest is still there."""
    listed = manifest_files(snapshot) if Path(snapshot).is_dir() else None
    return listed is not None and all((Path(snapshot) / f).is_file() for files in listed.values() for f in files)


def data_files(snapshot: Path) -> list[Path]:
    """Every Parquet file under a snapshot (or a build), sorted."""
    return sorted(Path(snapshot).rglob("*.parquet"))


def file_facts(path: Path) -> dict:
    """Size and sha256 of one file, as a manifest records them."""
    return {"bytes": path.stat().st_size, "sha256": sha256(path)}


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --- the import log (appended by etl.import_log) ---------------------------------------------
def read_import_log(root: Path, limit: int | None = None) -> list[dict]:
    """Entries of the import log, oldest first (the last `limit` ones); lines that are not a JSON
    object (a write cut short) are skipped."""
    try:
        lines = (Path(root) / IMPORT_LOG_FILE).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    entries = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    return entries[-limit:] if limit else entries


# --- writing safely --------------------------------------------------------------------------
@contextlib.contextmanager
def publish_lock(root: Path, on_wait: Callable[[], None] | None = None):
    """One publisher at a time per warehouse (an OS lock: released even if the process is killed).
    `on_wait` is called once when the lock is busy, before waiting."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK_FILE, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                on_wait()
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def atomic_replace(src: Path, dst: Path) -> None:
    """Move `src` onto `dst` in one step (a finished build into place, a written file over the old)."""
    os.replace(src, dst)


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, fsync it, then replace `path` with it."""
    path = Path(path)
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}"
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    atomic_replace(tmp, path)


def remove_tree(path: Path) -> None:
    """Remove a snapshot or build directory (missing or half-removed is fine)."""
    shutil.rmtree(path, ignore_errors=True)


# --- paths in SQL ------------------------------------------------------------------------------
def sql_path(path: str | os.PathLike) -> str:
    """A path (or glob) as a SQL string literal: quoted, every ``'`` doubled."""
    return "'" + str(path).replace("'", "''") + "'"


def sql_path_list(paths) -> str:
    """Several paths as a SQL list literal: ['a', 'b']."""
    return "[" + ", ".join(sql_path(p) for p in paths) + "]"
