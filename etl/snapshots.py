"""Snapshots of a warehouse: list them, roll the published one back, and the `keep` setting.

A rollback switches ``CURRENT`` to an existing snapshot after the same verification a publish
runs (`etl.publish.verify_snapshot`: every file's size and sha256 against the manifest, every
table's row count), under the publish lock, and appends a ``rollback`` entry to the import log in
the same Ctrl-C-deferred step as the switch. The snapshot itself is not touched: its data are
byte-for-byte what was published then. Nothing is pruned by a rollback.
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

from domain import storage
from domain.storage import current_snapshot, read_import_log, snapshot_ids
from domain.storage import read_manifest as snapshot_manifest
from domain.warehouse_layout import DEFAULT_KEEP, KEEP_ENV
from etl import import_log
from etl.publish import sigint_deferred, verify_snapshot


class SnapshotError(ValueError):
    """A snapshot that cannot be rolled back to (unknown, already published, nothing before it)."""


def keep_setting(explicit: int | None = None) -> int:
    """Snapshots kept after a publish: the CLI flag, else $SPBE_KEEP, else 3 (0 = keep all).
    Whatever the number, the published snapshot is kept, and with keep ≥ 2 also the one before it."""
    if explicit is not None:
        value = explicit
    else:
        raw = os.environ.get(KEEP_ENV, "").strip()
        try:
            value = int(raw) if raw else DEFAULT_KEEP
        except ValueError:
            raise SnapshotError(f"{KEEP_ENV}={raw!r} bukan bilangan bulat") from None
    if value < 0:
        raise SnapshotError(f"keep harus ≥ 0 (0 = simpan semua), bukan {value}")
    return value


def _source_names(snapshot: Path) -> list[str]:
    con = duckdb.connect()
    try:
        return [r[0] for r in con.execute("select nama from read_parquet($files) order by dimuat_pada",
                                          {"files": str(snapshot / "sumber" / "*.parquet")}).fetchall()]
    except duckdb.Error:
        return []
    finally:
        con.close()


def list_snapshots(root: Path) -> list[dict]:
    """Every snapshot, oldest first: id, when, rows, sources, predecessor, whether published, and
    the log entry that made it (if any)."""
    root = Path(root)
    current = current_snapshot(root)
    made_by = {e.get("snapshot_baru"): e for e in read_import_log(root) if e.get("aksi") != "rollback"}
    out = []
    for sid in snapshot_ids(root):
        path = storage.snapshot_path(root, sid)
        manifest = snapshot_manifest(path)
        tables = manifest.get("tables", {})
        entry = made_by.get(sid, {})
        out.append({
            "snapshot": sid, "terbit": current is not None and current.name == sid,
            "dibuat": manifest.get("dibuat"), "sebelumnya": manifest.get("sebelumnya"),
            "baris": {t: tables.get(t, {}).get("rows") for t in ("indeks", "nilai_indikator")},
            "sumber": _source_names(path), "lengkap": bool(manifest),
            "impor": [b.get("berkas") for b in entry.get("berkas", [])],
        })
    return out


def rollback(root: Path, target: str | None = None, *, command: str = "", progress=None) -> dict:
    """Publish snapshot `target` again (default: the predecessor of the published one).
    Raises SnapshotError (nothing to roll back to) or PublishError (the snapshot failed verification)."""
    root = Path(root)
    say = progress or (lambda msg: None)
    with storage.publish_lock(root, on_wait=lambda: say("menunggu: impor atau rollback lain sedang berjalan …")):
        current = current_snapshot(root)
        if target is None:
            target = snapshot_manifest(current).get("sebelumnya")
            if not target:
                raise SnapshotError("snapshot yang terbit tidak punya pendahulu; sebutkan SNAPSHOT "
                                    "(lihat `python -m etl snapshots`)")
        available = snapshot_ids(root)
        if target not in available:
            raise SnapshotError(f"snapshot {target!r} tidak ada (mungkin sudah dipangkas); yang ada: "
                                + (", ".join(available) or "tidak ada"))
        if current is not None and current.name == target:
            raise SnapshotError(f"snapshot {target} sudah terbit; tidak ada yang diubah")
        say(f"memverifikasi snapshot {target}")
        verify_snapshot(storage.snapshot_path(root, target))
        entry = {"aksi": "rollback", "perintah": command, "berkas": [],
                 "snapshot_sebelumnya": current.name if current else None, "snapshot_baru": target}
        with sigint_deferred():
            storage.switch_pointer(root, target)
            import_log.append(root, entry)
    return entry
