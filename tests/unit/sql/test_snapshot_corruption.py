"""A damaged Parquet file in a new snapshot is caught before the pointer switch, whatever the
damage; the gateway reads exactly the files the manifest lists."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from domain.warehouse_layout import current_snapshot
from etl import publish as pub
from etl.publish import PublishError, Source, publish, verify_snapshot
from queries.gateway import Warehouse

from .conftest import MASTER, uniform_levels


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.name != ".publish.lock":
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _biggest(build: Path) -> Path:
    return max(build.rglob("*.parquet"), key=lambda p: p.stat().st_size)


def truncate(build: Path) -> None:
    victim = _biggest(build)
    victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 2])


def flip_one_byte(build: Path) -> None:
    victim = _biggest(build)
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))


def remove_file(build: Path) -> None:
    _biggest(build).unlink()


def _rehash(build: Path, victim: Path) -> None:
    """Make the manifest agree with the damaged bytes (as if the writer itself produced them)."""
    manifest = json.loads((build / "manifest.json").read_text())
    rel = str(victim.relative_to(build))
    manifest["files"][rel] = {"bytes": victim.stat().st_size, "sha256": pub._sha256(victim)}
    (build / "manifest.json").write_text(json.dumps(manifest))


def garbage_with_matching_manifest(build: Path) -> None:
    victim = _biggest(build)
    data = victim.read_bytes()
    victim.write_bytes(data[:4] + b"\0" * (len(data) - 8) + data[-4:])  # magic bytes intact, body zeroed
    _rehash(build, victim)


def fewer_rows_with_matching_manifest(build: Path) -> None:
    victim = next((build / "indeks").rglob("*.parquet"))
    con = duckdb.connect()
    con.execute(f"copy (select * from read_parquet('{victim}') limit 1) to '{victim}.tmp' (format parquet)")
    con.close()
    Path(f"{victim}.tmp").replace(victim)
    _rehash(build, victim)


DAMAGE = [truncate, flip_one_byte, remove_file, garbage_with_matching_manifest, fewer_rows_with_matching_manifest]


@pytest.fixture
def root(tmp_path):
    publish(tmp_path, source=Source("a", "A", "demo", True), levels=uniform_levels(), master=MASTER)
    return tmp_path


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_damaged_file_written_by_publish_is_caught_before_the_switch(root, monkeypatch, damage):
    """The damage happens between writing and verifying (the real check in `publish`, not a hook
    that re-verifies): the load fails, nothing published changes, no build is left behind."""
    before = tree_digest(root)
    real_verify = pub.verify_snapshot

    def damaged_then_verified(build: Path):
        if build.name.startswith(".build-"):
            damage(build)
        return real_verify(build)

    monkeypatch.setattr(pub, "verify_snapshot", damaged_then_verified)
    with pytest.raises(PublishError, match="rusak|terpotong|tidak terbaca|hilang|baris terbaca"):
        publish(root, source=Source("b", "B", "template", False), levels=uniform_levels({("prov-36", 2024): 5}),
                master=MASTER)
    assert tree_digest(root) == before
    assert not list((root / "snapshots").glob(".build-*"))


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_verify_snapshot_rejects_each_kind_of_damage(root, damage):
    snap = current_snapshot(root)
    verify_snapshot(snap)
    damage(snap)
    with pytest.raises(PublishError):
        verify_snapshot(snap)


def test_gateway_reads_only_the_files_the_manifest_lists(root):
    """A stray Parquet file in a table folder (a leftover, a copy) is not read."""
    wh = Warehouse(root)
    n = len(wh.run("ranking", year=2024))
    snap = current_snapshot(root)
    part = next((snap / "indeks").glob("tahun=2024"))
    stray = part / "zz_stray.parquet"
    stray.write_bytes(next(part.glob("*.parquet")).read_bytes())  # duplicate rows if it were read
    fresh = Warehouse(root)
    assert len(fresh.run("ranking", year=2024)) == n
    wh.close()
    fresh.close()
