"""Killing the publisher at random points never damages the published snapshot."""
from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from domain.warehouse_layout import current_snapshot
from etl.publish import Source, publish, verify_snapshot

from .conftest import MASTER, uniform_levels

PROJECT_ROOT = Path(__file__).resolve().parents[3]

CHILD = textwrap.dedent("""
    import sys, pandas as pd
    sys.path.insert(0, {root!r})
    from etl.publish import publish, Source
    from domain.instrument import load_registry
    master = pd.read_pickle({master!r})
    levels = pd.read_pickle({levels!r})
    publish({wh!r}, source=Source("kill", "Kill", "template", False), levels=levels, master=master, keep=20)
    print("DONE", flush=True)
""")


def digest(snapshot: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(snapshot.rglob("*")):
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


def test_sigkill_mid_publish_leaves_snapshot_intact_and_next_run_succeeds(tmp_path):
    wh = tmp_path / "wh"
    publish(wh, source=Source("base", "Base", "demo", True), levels=uniform_levels(), master=MASTER)
    published = current_snapshot(wh)
    before = digest(published)
    master_p, levels_p = tmp_path / "m.pkl", tmp_path / "l.pkl"
    MASTER.to_pickle(master_p)
    uniform_levels({("prov-36", 2024): 5, ("kota-36.73", 2024): 4}).to_pickle(levels_p)
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(root=str(PROJECT_ROOT), master=str(master_p), levels=str(levels_p), wh=str(wh)))
    rng = random.Random(7)
    killed = 0
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 2.5))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait()
        snap = current_snapshot(wh)
        verify_snapshot(snap)  # whatever is published is complete and readable
        if snap == published:
            assert digest(published) == before
        else:  # the child finished and switched: the old snapshot is still there, untouched
            assert digest(published) == before
    assert killed >= 1
    res = publish(wh, source=Source("after", "After", "template", False),
                  levels=uniform_levels({("kab-36.04", 2024): 3}), master=MASTER)
    verify_snapshot(res.path)
    assert not list((wh / "snapshots").glob(".build-*"))
