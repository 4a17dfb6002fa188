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


# --- kills at every phase of a publish, and in the windows between its last steps ----------------
PHASES = ["menyiapkan tabel referensi", "menghitung aspek", "input terdaftar", "aspek", "menggabungkan",
          "memeriksa data baru", "menulis Parquet", "memverifikasi snapshot"]


def _pointer(wh: Path) -> str:
    return (wh / "CURRENT").read_text().strip()


def _readable(wh: Path) -> None:
    """The published snapshot is complete and a fresh gateway answers from it."""
    from queries.gateway import Warehouse

    verify_snapshot(current_snapshot(wh))
    gw = Warehouse(wh)
    assert len(gw.run("years")) == 2
    gw.close()


def test_sigkill_at_each_phase_and_between_rename_pointer_and_prune(tmp_path):
    """Deterministic kill points (progress messages + held windows, random delay inside each):
    before the switch nothing published changes; killed after the switch, the new snapshot is
    complete; a half-pruned old snapshot never breaks a gateway that had it open; the next
    publish cleans every leftover (.build-*, .CURRENT.* temp files)."""
    from bench.faults import start_publisher, wait_for
    from queries.gateway import Warehouse

    wh = tmp_path / "wh"
    publish(wh, source=Source("base", "Base", "demo", True), levels=uniform_levels(), master=MASTER)
    published = current_snapshot(wh)
    before = digest(published)
    master_p, levels_p = tmp_path / "m.pkl", tmp_path / "l.pkl"
    MASTER.to_pickle(master_p)
    uniform_levels({("prov-36", 2024): 5}).to_pickle(levels_p)
    rng = random.Random(11)
    outcomes, killed = {}, 0
    for point in PHASES + ["rename", "pointer"]:
        proc, recv = start_publisher(wh, levels_p, master_p, window=point if point in ("rename", "pointer") else None)
        wait_for(recv, point)
        time.sleep(rng.uniform(0, 0.05) if point in PHASES else 0)
        proc.kill()  # SIGKILL; a no-op if the publisher already finished
        proc.join(30)
        assert digest(published) == before, f"published snapshot changed after a kill at {point!r}"
        if proc.exitcode == -signal.SIGKILL:
            killed += 1
            assert _pointer(wh) == published.name, f"pointer moved after a kill at {point!r}"
        else:  # finished before the kill landed: the new snapshot is published, whole
            assert proc.exitcode == 0 and _pointer(wh) != published.name
            published, before = current_snapshot(wh), digest(current_snapshot(wh))
        _readable(wh)
        outcomes[point] = sorted(p.name for p in (wh / "snapshots").iterdir() if p.name != published.name)
    assert killed >= len(PHASES) // 2
    # killed between rename and pointer switch: a complete but unpublished snapshot may remain
    assert any(not name.startswith(".") for name in outcomes["rename"])
    assert list(wh.glob(".CURRENT.*")), "the pointer temp file of the 'pointer' kill should be left over"

    # killed mid-prune (after the switch, keep=1): the new snapshot is published and complete,
    # the half-deleted old one is not served, and a gateway that had it open reopens
    long_lived = Warehouse(wh)
    old_id = long_lived.snapshot_id
    proc, recv = start_publisher(wh, levels_p, master_p, window="prune", keep=1)
    wait_for(recv, "prune")
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(30)
    assert _pointer(wh) != old_id
    _readable(wh)
    assert long_lived.run("instansi_profile", year=2024, instansi_id="prov-36")["indeks"].tolist() == [5.0]
    assert long_lived.snapshot_id == _pointer(wh)
    long_lived.close()

    res = publish(wh, source=Source("after", "After", "template", False),
                  levels=uniform_levels({("kab-36.04", 2024): 3}), master=MASTER, keep=2)
    verify_snapshot(res.path)
    assert not list((wh / "snapshots").glob(".build-*"))
    assert not list(wh.glob(".CURRENT.*"))
    assert len([p for p in (wh / "snapshots").iterdir()]) == 2
