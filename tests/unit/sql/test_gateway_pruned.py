"""A long-lived gateway whose snapshot is pruned (keep=N) reopens on the published one; it never
returns the rows of a half-deleted snapshot."""
from __future__ import annotations

import shutil

import duckdb
import pytest

from domain.warehouse_layout import current_snapshot
from etl.publish import Source, publish
from queries.gateway import NoSnapshotError, Warehouse

from .conftest import MASTER, uniform_levels


def _publish(root, iid_level: dict, name: str, keep: int = 1):
    return publish(root, source=Source(name, name, "template", False), levels=uniform_levels(iid_level),
                   master=MASTER, keep=keep)


@pytest.fixture
def root(tmp_path):
    _publish(tmp_path, {("prov-36", 2024): 2, ("kota-36.73", 2024): 2}, "a", keep=3)
    return tmp_path


def test_gateway_reopens_on_published_snapshot_after_its_own_was_pruned(root):
    wh = Warehouse(root)
    first = wh.snapshot_id
    assert wh.run("instansi_profile", year=2024, instansi_id="prov-36")["indeks"].tolist() == [2.0]
    res = _publish(root, {("prov-36", 2024): 4}, "b", keep=1)  # keep=1 prunes the first snapshot now
    assert not (root / "snapshots" / first).exists()
    out = wh.run("instansi_profile", year=2024, instansi_id="prov-36")
    assert out["indeks"].tolist() == [4.0]
    assert wh.snapshot_id == res.snapshot_id
    wh.close()


def test_half_deleted_snapshot_fails_or_reopens_never_returns_partial_rows(root):
    wh = Warehouse(root)
    full = len(wh.run("ranking", year=2024))
    old = wh.snapshot
    _publish(root, {("kab-36.04", 2024): 3}, "b", keep=3)  # old snapshot stays, a new one is published
    # the pruner has deleted one partition of the old snapshot and not yet the rest
    shutil.rmtree(next((old / "indeks").glob("tahun=2024")))
    out = wh.run("ranking", year=2024)
    assert wh.snapshot_id == current_snapshot(root).name != old.name
    assert len(out) == full + 1  # all rows of the published snapshot (kab-36.04 added), not a remnant
    wh.close()


def test_missing_file_in_the_published_snapshot_is_an_error_not_fewer_rows(root):
    wh = Warehouse(root)
    victim = next((wh.snapshot / "indeks").glob("tahun=2024/*.parquet"))
    victim.unlink()
    with pytest.raises(duckdb.IOException):
        wh.run("ranking", year=2024)
    wh.close()


def test_opening_a_pruned_snapshot_by_id_says_no_snapshot(root):
    first = current_snapshot(root).name
    _publish(root, {("prov-36", 2024): 4}, "b", keep=1)
    with pytest.raises(NoSnapshotError):
        Warehouse(root, snapshot_id=first)


def test_ui_data_serves_the_new_snapshot_when_a_run_began_on_a_pruned_one(root, monkeypatch):
    """ui.data resolves the snapshot at the start of a run; if that one is pruned before a cache
    miss opens it, the run reads the published snapshot instead of failing."""
    monkeypatch.setenv("SPBE_WAREHOUSE", str(root))
    from ui import data

    data.reload()
    stale = current_snapshot(root).name
    assert data.run("instansi_profile", year=2024, instansi_id="prov-36")["indeks"].tolist() == [2.0]
    _publish(root, {("prov-36", 2024): 5}, "b", keep=1)
    data._run.clear()  # a cache miss (TTL or max_entries) ...
    data._warehouse.clear()  # ... and the gateway for the stale id evicted too
    out = data._run(str(root), stale, "instansi_profile", (("instansi_id", "prov-36"), ("year", 2024)))
    assert out["indeks"].tolist() == [5.0]
    # and the next run picks the new id up by itself
    assert data.run("instansi_profile", year=2024, instansi_id="prov-36")["indeks"].tolist() == [5.0]
    assert data.current().snapshot_id == current_snapshot(root).name
    data.reload()
