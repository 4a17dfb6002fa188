"""Fault injection for publishing: a publisher process that reports where it is, so a test can
SIGKILL it at a chosen point (used by tests/unit/sql/test_publish_faults.py).

The child runs in a `forkserver` that has imported pandas/DuckDB/etl once, so each killed
publisher starts in milliseconds instead of seconds. It sends every progress message of
`etl.publish.publish` over a pipe, and for the short windows no progress message marks it
can stop and announce itself:

  "rename"   the checked build was renamed into place, the pointer not yet switched
  "pointer"  the new pointer is written to its temp file and fsynced, not yet renamed over CURRENT
  "prune"    the pointer switched; half of the oldest snapshot is deleted, the rest not yet
"""
from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

WINDOWS = ("rename", "pointer", "prune")
_CTX = None


def context():
    """The shared forkserver context (started once per process, modules preloaded)."""
    global _CTX
    if _CTX is None:
        _CTX = multiprocessing.get_context("forkserver")
        _CTX.set_forkserver_preload(["pandas", "duckdb", "etl.publish", "domain.instrument", "bench.faults"])
    return _CTX


def publisher(conn, root: str, levels_pickle: str, master_pickle: str, window: str | None, keep: int) -> None:
    """Child process: publish `levels` into `root`, reporting progress on `conn`; at `window`,
    announce it and sleep (the parent kills it there)."""
    import os

    import pandas as pd

    from etl import publish as pub

    def say(msg: str) -> None:
        conn.send(msg.strip())

    def hold(name: str) -> None:
        say(name)
        time.sleep(60)

    if window == "rename":
        real_switch = pub._switch_pointer

        def switch(root_, snap_id):
            hold("rename")
            real_switch(root_, snap_id)
        pub._switch_pointer = switch
    elif window == "pointer":
        real_replace = os.replace

        def replace(src, dst):
            if Path(dst).name == pub.POINTER_FILE:
                hold("pointer")
            real_replace(src, dst)
        os.replace = replace  # this process is thrown away: patching the module is fine
    elif window == "prune":
        real_prune = pub._prune

        def prune(snapshots: Path, *, keep: int, current: str):
            done = sorted(p for p in snapshots.iterdir() if p.is_dir() and not p.name.startswith("."))
            victims = [p for p in done[:-keep] if p.name != current] if keep > 0 else []
            if victims:
                files = sorted(f for f in victims[0].rglob("*") if f.is_file())
                for f in files[: len(files) // 2]:
                    f.unlink()
            hold("prune")
            real_prune(snapshots, keep=keep, current=current)
        pub._prune = prune
    levels = pd.read_pickle(levels_pickle)
    master = pd.read_pickle(master_pickle)
    pub.publish(root, source=pub.Source("kill", "Kill", "template", False), levels=levels, master=master,
                keep=keep, progress=say)
    say("DONE")


def start_publisher(root: Path, levels_pickle: Path, master_pickle: Path, *, window: str | None = None,
                    keep: int = 20):
    """Start a publisher child; returns (process, receiving end of its pipe)."""
    ctx = context()
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=publisher, args=(send, str(root), str(levels_pickle), str(master_pickle), window, keep),
                       daemon=True)
    proc.start()
    send.close()
    return proc, recv


def wait_for(recv, wanted: str, timeout: float = 120) -> list[str]:
    """Messages received until one starts with `wanted` (inclusive); TimeoutError/EOFError otherwise."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if recv.poll(0.05):
            msg = recv.recv()
            seen.append(msg)
            if msg.startswith(wanted):
                return seen
    raise TimeoutError(f"publisher never reported {wanted!r}; saw {seen}")
