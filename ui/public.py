"""Public (read-only) mode for deployments: `SPBE_PUBLIC=1` (or `make serve-public`).

What it changes (docs/SCALE_OUT.md → *Mode publik*):

- error details off: `client.showErrorDetails = "none"` (a visitor sees a generic message; the
  traceback, with the server's file paths, goes to the server log only);
- no visitor can flush the shared caches: the sidebar's "Muat ulang data" is not shown (the
  published snapshot is re-read on every run anyway), and Streamlit's `clear_cache` websocket
  message — which clears `st.cache_data`/`st.cache_resource` for every user and is not gated in
  Streamlit 1.67 — only clears the sender's own session state;
- uploads stay read-only and private to the session, with no command-line hint that writes;
- uploaded files and the files made from them do not outlive the session: see `sweep_ended_sessions`.

Why the sweep: Streamlit 1.67 keeps a disconnected session for `server.disconnectedSessionTTL`
(120 s) so that a reconnecting tab can resume it, in a TTL cache (`MemorySessionStorage`). When the
entry expires, the cache drops it *without* `AppSession.shutdown()`: the session's uploaded bytes
stay in the `MemoryUploadedFileManager` and its media references (download buttons) stay in the
`MediaFileManager` for the life of the process, so files made from an upload keep being served at
`/media/<hash>`. The sweep runs on the runtime's event loop every `SWEEP_S` seconds and does for
every session Streamlit no longer knows (neither connected nor waiting for a reconnect) what
`AppSession.shutdown()` would have done for its files; it also collects orphaned download files,
which Streamlit otherwise collects only at the end of some later script run.
"""
from __future__ import annotations

import logging
import os
import threading

import streamlit as st

ENV = "SPBE_PUBLIC"
SWEEP_ENV = "SPBE_SWEEP_S"
SWEEP_S = 30.0
_LOG = logging.getLogger("spbe.public")
_started = threading.Event()
_lock = threading.Lock()


def enabled() -> bool:
    """True when the deployment runs in public mode (`SPBE_PUBLIC` = 1/true/ya/yes/on)."""
    return os.environ.get(ENV, "").strip().lower() in {"1", "true", "ya", "yes", "on"}


def apply() -> None:
    """Public-mode wiring, called by app.py on every run (cheap after the first)."""
    if not enabled():
        return
    if st.get_option("client.showErrorDetails") != "none":
        st.set_option("client.showErrorDetails", "none")
    if not _started.is_set():
        with _lock:
            if not _started.is_set():
                _guard_clear_cache()
                _start_sweeps()
                _started.set()


# --- no shared cache flush from a visitor ---------------------------------------------------------
def _guard_clear_cache() -> None:
    from streamlit.runtime.app_session import AppSession

    if getattr(AppSession._handle_clear_cache_request, "_spbe_guarded", False):
        return

    def session_only(self) -> None:
        """A visitor's "Clear cache" (websocket `clear_cache`): this session's state only."""
        _LOG.warning("mode publik: permintaan clear_cache dari sesi %s hanya menghapus state sesi itu", self.id)
        self._session_state.clear()

    session_only._spbe_guarded = True
    AppSession._handle_clear_cache_request = session_only


# --- uploads and their downloads end with the session ---------------------------------------------
def sweep_ended_sessions(runtime=None) -> list[str]:
    """Drop the uploaded files and media references of sessions Streamlit no longer knows, then
    collect orphaned media files. Must run on the runtime's event loop (where sessions are stored).
    Returns the session ids cleaned."""
    from streamlit.runtime import Runtime

    rt = runtime or Runtime.instance()
    uploads, media, sessions = rt.uploaded_file_mgr, rt.media_file_mgr, rt._session_mgr
    known = set(getattr(uploads, "file_storage", {})) | set(getattr(media, "_files_by_session_and_coord", {}))
    ended = sorted(sid for sid in known if sessions.get_session_info(sid) is None)
    for sid in ended:
        uploads.remove_session_files(sid)
        media.clear_session_refs(sid)
    media.remove_orphaned_files()  # a download file is marked on one pass and deleted on the next
    if ended:
        _LOG.info("mode publik: berkas %d sesi yang sudah berakhir dibuang", len(ended))
    return ended


def sweep_interval() -> float:
    try:
        return max(0.5, float(os.environ.get(SWEEP_ENV, SWEEP_S)))
    except ValueError:
        return SWEEP_S


def _start_sweeps() -> None:
    from streamlit.runtime import Runtime

    if not Runtime.exists():  # AppTest / bare mode: no server, no sessions to sweep
        return
    rt = Runtime.instance()
    try:
        loop = rt._get_async_objs().eventloop
    except Exception:  # noqa: BLE001 — a Streamlit without this internal: say so, keep serving
        _LOG.exception("mode publik: pembersihan berkas sesi tidak dapat dijadwalkan")
        return
    interval = sweep_interval()

    def tick() -> None:
        try:
            sweep_ended_sessions(rt)
        except Exception:  # noqa: BLE001 — never let the sweep stop the server's loop
            _LOG.exception("mode publik: pembersihan berkas sesi gagal")
        if not loop.is_closed():
            loop.call_later(interval, tick)

    loop.call_soon_threadsafe(loop.call_later, interval, tick)
