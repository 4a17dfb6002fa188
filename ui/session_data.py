"""This browser session's uploads as that instansi's data on every page (issue 13, "my LHEs everywhere").

Design: an upload accepted on *Penilaian mandiri & rencana* is published — with the ETL's own
publish code, through ``ui.upload`` — ON TOP of a copy of the current published snapshot into a
private warehouse in a temporary folder of this session. While the session holds one,
``ui.data.run`` / ``ui.data.current`` read that private snapshot instead of the published one, so
the profile, trend, gaps, comparisons, planner and the brief all see the uploaded instansi-years
(their levels replace that instansi-year's rows, exactly as ``python -m etl import`` would).

- The published warehouse is never written: the private build only reads the published snapshot.
- Privacy: the folder name is random and lives only in this session's state; cached query results
  are keyed by that folder and its snapshot id, so no other session can ever be served them.
- Lifetime: the folder is removed when the uploads change or are removed, when this object is
  garbage-collected with its session, at process exit, and by ``sweep`` for sessions the server no
  longer knows (public mode: a closed tab's session is dropped after its reconnect window).
- Freshness: when a newer snapshot is published, the private one is rebuilt on it at the next run
  (``ui.upload.sync_session_warehouse``, called by ``ui.data`` before every read).

This module holds state only (no etl import: only ``ui.upload`` may import etl).
"""
from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

KEY = "sesi_gudang"
LABEL_LHE = "LHE resmi KemenPANRB (unggahan sesi ini)"
LABEL_MANDIRI = "penilaian mandiri (unggahan sesi ini)"
_LOG = logging.getLogger("spbe.session_data")
_lock = threading.Lock()
_dirs: dict[str, set[str]] = {}    # session id -> private folders still on disk


def source_label(fmt: str | None) -> str:
    """'LHE resmi KemenPANRB (unggahan sesi ini)' for a file read as a KemenPANRB LHE document
    (formats lhe-pdf / lhe-teks), else 'penilaian mandiri (unggahan sesi ini)' (level template/CSV/XLSX)."""
    return LABEL_LHE if str(fmt or "").startswith("lhe-") else LABEL_MANDIRI


@dataclass(frozen=True)
class Covered:
    """One instansi-year the session's private snapshot takes from an upload."""
    instansi_id: str
    nama: str
    tahun: int
    label: str          # source_label(format)
    berkas: str


@dataclass(eq=False)
class SessionWarehouse:
    root: Path                      # private warehouse folder (snapshots/<id>/…, CURRENT)
    snapshot_id: str
    base: str                       # the published snapshot it was built on
    covered: tuple[Covered, ...]
    signature: tuple = ()           # the uploads it holds (ui.upload rebuilds when they change)
    _gateway: object = field(default=None, repr=False)

    def __post_init__(self) -> None:
        weakref.finalize(self, _remove, str(self.root))   # with the session, or at exit

    def gateway(self):
        """Read access to the private snapshot (opened once per object)."""
        if self._gateway is None:
            from queries.gateway import Warehouse

            self._gateway = Warehouse(self.root, snapshot_id=self.snapshot_id)
        return self._gateway


def signature(assessments) -> tuple:
    """What a private snapshot holds: each uploaded assessment's file, format, instansi, year and levels."""
    return tuple((a.berkas, a.format, a.instansi_id, a.tahun, tuple(sorted(a.levels.items())),
                  tuple(sorted(a.mandiri.items()))) for a in assessments)


def _remove(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)
    with _lock:
        for dirs in _dirs.values():
            dirs.discard(path)


def _session_id() -> str:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else ""


def new_dir() -> Path:
    """A fresh private folder for this session (registered for the sweep)."""
    path = tempfile.mkdtemp(prefix="spbe-sesi-")
    with _lock:
        _dirs.setdefault(_session_id(), set()).add(path)
    return Path(path)


def get() -> SessionWarehouse | None:
    sw = st.session_state.get(KEY)
    return sw if isinstance(sw, SessionWarehouse) else None


def put(sw: SessionWarehouse | None) -> None:
    """Make `sw` this session's private warehouse (None: back to the published one); the previous
    folder is removed, and so are those of ended sessions."""
    old = get()
    st.session_state[KEY] = sw
    if old is not None and (sw is None or old.root != sw.root):
        _remove(str(old.root))
    sweep()


def clear() -> None:
    put(None)


def covered(instansi_id: str | None = None) -> list[Covered]:
    sw = get()
    return [c for c in (sw.covered if sw else ()) if instansi_id is None or c.instansi_id == instansi_id]


def label(instansi_id: str | None, tahun: int | None) -> str | None:
    """The source label of an instansi-year this session takes from an upload, else None."""
    return next((c.label for c in covered(instansi_id) if c.tahun == tahun), None)


def summary() -> str:
    """'Kab. X 2023 (LHE resmi KemenPANRB (unggahan sesi ini), berkas a.pdf); …' ('' without uploads)."""
    return "; ".join(f"{c.nama} {c.tahun} ({c.label}, berkas {c.berkas})" for c in covered())


def short_summary() -> str:
    """'unggahan sesi ini: Kota Serang 2021 (LHE resmi KemenPANRB)' — for chart source lines."""
    parts = [f"{c.nama.removeprefix('Pemerintah ')} {c.tahun} ({c.label.removesuffix(' (unggahan sesi ini)')})"
             for c in covered()]
    return "unggahan sesi ini: " + "; ".join(parts) if parts else ""


def sweep() -> list[str]:
    """Remove the private folders of sessions the server no longer knows (no-op without a server)."""
    try:
        from streamlit.runtime import Runtime

        sessions = getattr(Runtime.instance(), "_session_mgr", None) if Runtime.exists() else None
        if sessions is None or not hasattr(sessions, "get_session_info"):  # no server (AppTest, bare mode)
            return []
        with _lock:
            ended = [sid for sid in _dirs if sid and sessions.get_session_info(sid) is None]
            gone = [(sid, sorted(_dirs.pop(sid))) for sid in ended]
    except Exception:  # noqa: BLE001 — a Streamlit without these internals: the finalizers still clean up
        _LOG.exception("folder sesi yang berakhir tidak dapat diperiksa")
        return []
    for _, paths in gone:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)
    return [sid for sid, _ in gone]
