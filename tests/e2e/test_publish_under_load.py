"""Publishing while the dashboard is in use: reader threads on the gateway and a real browser
session on a real server keep working while the ETL publishes again and again (keep=2, so the
snapshots readers opened are pruned under them). Never an error, never a half-written snapshot;
the browser shows the new numbers on its next rerun."""
from __future__ import annotations

import json
import shutil
import threading
import time

import pandas as pd
import pytest

from bench.serving import OBSERVER, runs_finished, streamlit_server, wait_run, wait_settled
from domain.instrument import load_registry
from domain.warehouse_layout import current_snapshot
from etl.publish import Source, publish
from queries.gateway import Warehouse, snapshot_id

from .conftest import PROJECT_ROOT

PROV, YEAR = "prov-36", 2024
LEVELS = [5, 1, 4, 2]  # uniform indicator levels → the index equals the level


def uniform(level: int) -> pd.DataFrame:
    ins = load_registry().for_year(YEAR)
    return pd.DataFrame([(YEAR, PROV, ins.id, n, level) for n in ins.indicator_numbers],
                        columns=["tahun", "instansi_id", "instrument_id", "no_indikator", "level"])


def complete(snap) -> bool:
    manifest = json.loads((snap / "manifest.json").read_text(encoding="utf-8"))
    return all((snap / rel).is_file() for rel in manifest["files"])


class Readers:
    """Threads reading like dashboard sessions: resolve the pointer, take the gateway of that
    snapshot from a cache (never evicted, so old ones get pruned under it), run queries; plus one
    thread holding a single long-lived gateway; plus a pointer watcher."""

    def __init__(self, root, n_rows: int, allowed: set[float]):
        self.root, self.n_rows, self.allowed = root, n_rows, allowed
        self.stop = threading.Event()
        self.errors: list[str] = []
        self.reads = 0
        self.snapshots_seen: set[str] = set()
        self.long_lived_reads = 0
        self._read = threading.Condition()
        self._gateways: dict[str, Warehouse] = {}
        self._lock = threading.Lock()

    def gateway(self, snap: str) -> Warehouse:
        with self._lock:
            if snap not in self._gateways:
                self._gateways[snap] = Warehouse(self.root, snapshot_id=snap)
            return self._gateways[snap]

    def check(self, wh: Warehouse) -> None:
        """Every result is whole; two results of the same snapshot agree with each other."""
        before = wh.snapshot_id
        rank = wh.run("ranking", year=YEAR)
        prof = wh.run("instansi_profile", year=YEAR, instansi_id=PROV)
        if len(rank) != self.n_rows:
            raise AssertionError(f"ranking {YEAR}: {len(rank)} baris, diharapkan {self.n_rows}")
        value = float(prof["indeks"].iloc[0])
        if value not in self.allowed:
            raise AssertionError(f"indeks {PROV} {value} bukan nilai yang pernah dipublikasikan")
        same_snapshot = wh.snapshot_id == before  # else the gateway reopened between the two queries
        if same_snapshot and float(rank.loc[rank["instansi_id"] == PROV, "indeks"].iloc[0]) != value:
            raise AssertionError("ranking dan profil dari satu snapshot tidak sama")
        time.sleep(0.1)  # a session's pace, and room for the server on 2 cores

    def session_like(self):
        while not self.stop.is_set():
            try:
                snap = snapshot_id(self.root)
                wh = self.gateway(snap)
                self.check(wh)
                with self._read:
                    self.reads += 1
                    self.snapshots_seen.add(wh.snapshot_id)
                    self._read.notify_all()
            except Exception as exc:  # noqa: BLE001 - any failure is what this test looks for
                self.errors.append(f"{type(exc).__name__}: {exc}")

    def long_lived(self):
        wh = Warehouse(self.root)
        while not self.stop.is_set():
            try:
                self.check(wh)
                with self._read:
                    self.reads += 1
                    self.long_lived_reads += 1
                    self._read.notify_all()
            except Exception as exc:  # noqa: BLE001
                self.errors.append(f"long-lived {type(exc).__name__}: {exc}")

    def watch_pointer(self):
        while not self.stop.is_set():
            snap = current_snapshot(self.root)
            if snap is None or not complete(snap):
                self.errors.append(f"CURRENT menunjuk snapshot tidak lengkap: {snap}")
            time.sleep(0.05)

    def wait_read(self, snap: str, timeout: float = 300) -> None:
        """Until a session-like reader has read `snap` and the long-lived one has read once more
        (a condition, not a pause: on a busy machine the readers may lag the publisher; the
        timeout is only a net for a reader that stopped)."""
        with self._read:
            long_lived = self.long_lived_reads
            if not self._read.wait_for(lambda: self.errors or (snap in self.snapshots_seen
                                                                and self.long_lived_reads > long_lived), timeout):
                raise AssertionError(f"no reader read snapshot {snap} in {timeout:.0f} s ({self.reads} reads)")

    def __enter__(self):
        targets = [self.session_like] * 3 + [self.long_lived, self.watch_pointer]
        self.threads = [threading.Thread(target=t, daemon=True) for t in targets]
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(60)


@pytest.mark.e2e
def test_repeated_publish_while_reading_and_browsing_never_errors(demo_warehouse, tmp_path, browser):
    root = tmp_path / "wh"
    shutil.copytree(demo_warehouse, root)
    base = Warehouse(root)
    n_rows = len(base.run("ranking", year=YEAR))
    first = float(base.run("instansi_profile", year=YEAR, instansi_id=PROV)["indeks"].iloc[0])
    base.close()
    log = PROJECT_ROOT / "tests" / "artifacts" / "streamlit-publish-under-load.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with streamlit_server(root, log=log) as (url, _proc), \
            Readers(root, n_rows, {first, *map(float, LEVELS)}) as readers:
        ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="id-ID")
        ctx.add_init_script(OBSERVER)
        page = ctx.new_page()
        page.goto(url + "/", wait_until="commit")
        wait_run(page, 0)
        page.goto(f"{url}/profil_instansi?tahun={YEAR}&instansi={PROV}", wait_until="commit")
        wait_run(page, 0)
        wait_settled(page)
        metric = page.locator("[data-testid='stMetricValue']").first
        shown = [metric.inner_text()]
        for level in LEVELS:
            published = publish(root, source=Source(f"uji-{level}", "Uji beban", "template", False),
                                levels=uniform(level), keep=2)  # the demo snapshot is pruned after the second publish
            before = runs_finished(page)
            page.locator("[data-testid='stMain'] h1").first.click()  # focus the page, not an input
            page.keyboard.press("r")  # Streamlit's rerun shortcut: the same session, a new run
            wait_run(page, before)
            wait_settled(page)
            assert page.locator("[data-testid='stException']").count() == 0
            shown.append(metric.inner_text())
            assert shown[-1] == f"{level},00", f"browser shows {shown[-1]} after publishing level {level}"
            readers.wait_read(published.snapshot_id)  # the readers crossed this publication too
        ctx.close()
    assert readers.errors == [], readers.errors[:5]
    assert readers.reads >= 2 * len(LEVELS)  # at least one read per publication of each kind of reader
    assert len(readers.snapshots_seen) >= len(LEVELS)  # the readers did cross every publication
    assert len(list((root / "snapshots").iterdir())) <= 2  # keep=2 pruned the rest
    assert "Traceback" not in log.read_text()
