"""The append-only import log: one JSON object per line in ``<warehouse>/import_log.jsonl``.

It lives beside ``snapshots/`` (never inside one), so pruning never removes it, and it is only ever
appended to, under the publish lock, right after the pointer switch it records (Ctrl-C deferred,
see `etl.publish.sigint_deferred`). Entries hold file NAMES only, never a directory: the log is
shown on the *Metodologi & data* page. Readers: `domain.warehouse_layout.read_import_log`.

Fields: waktu (UTC, ISO), pengguna (OS user), aksi (impor | rollback), perintah, berkas (nama,
sha256, format, tanggal_dokumen, sumber_id), instansi_tahun (baru, diganti, diganti_sintetis),
level_indikator (masuk, dihapus), baris (per table: sebelum, sesudah), diizinkan (override flags
that were needed), snapshot_sebelumnya, snapshot_baru.
"""
from __future__ import annotations

import getpass
import json
import os
from datetime import datetime, timezone
from pathlib import Path, PureWindowsPath

from domain.warehouse_layout import IMPORT_LOG_FILE


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no LOGNAME/USER
        return f"uid {os.getuid()}"


def file_name(path: str | os.PathLike) -> str:
    """The bare file name (also of a Windows path): the log never holds a directory."""
    return PureWindowsPath(Path(str(path)).name).name


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def append(root: Path, entry: dict) -> None:
    """Append one entry (a full line, flushed and fsynced). The caller holds the publish lock."""
    line = json.dumps({"waktu": now(), "pengguna": os_user(), **entry}, ensure_ascii=False, default=str)
    with open(Path(root) / IMPORT_LOG_FILE, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())
