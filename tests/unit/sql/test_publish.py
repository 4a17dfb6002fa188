"""Publishing is atomic: build beside, verify, switch; failures leave the published bytes alone."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from domain.warehouse_layout import POINTER_FILE, current_snapshot
from etl.publish import PublishError, Source, publish, verify_snapshot
from queries.gateway import Warehouse

from .conftest import MASTER, uniform_levels


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture
def root(tmp_path):
    publish(tmp_path, source=Source("a", "A", "demo", True), levels=uniform_levels(), master=MASTER)
    return tmp_path


def test_failed_check_leaves_published_snapshot_byte_for_byte(root):
    before = tree_digest(root)
    bad = uniform_levels({("prov-36", 2024): 3})
    bad = bad[bad.no_indikator != 5]  # incomplete indicator set
    with pytest.raises(PublishError, match="tidak lengkap"):
        publish(root, source=Source("b", "B", "template", False), levels=bad, master=MASTER)
    assert tree_digest(root) == before


def test_corrupt_parquet_is_detected_before_switch(root):
    before = tree_digest(root)

    def corrupt(build: Path):
        victim = next(build.rglob("*.parquet"))
        victim.write_bytes(victim.read_bytes()[:100])
        verify_snapshot(build)

    with pytest.raises(PublishError, match="rusak|terpotong|tidak terbaca"):
        publish(root, source=Source("b", "B", "template", False), levels=uniform_levels({("prov-36", 2024): 5}),
                master=MASTER, fail_before_switch=corrupt)
    assert tree_digest(root) == before


def test_new_input_replaces_only_its_instansi_years_and_previous_snapshot_stays(root):
    first = current_snapshot(root).name
    res = publish(root, source=Source("b", "B", "template", False),
                  levels=uniform_levels({("prov-36", 2024): 5}), master=MASTER)
    assert res.previous == first and (root / "snapshots" / first).is_dir()
    wh = Warehouse(root)
    prof = wh.run("instansi_profile", year=2024, instansi_id="prov-36").iloc[0]
    assert prof.indeks == 5.0 and bool(prof.sintetis) is False
    assert wh.run("instansi_profile", year=2023, instansi_id="prov-36").iloc[0].indeks == 3.0
    assert set(wh.run("sources")["sumber_id"]) == {"a", "b"}
    assert (root / POINTER_FILE).read_text().strip() == res.snapshot_id


def test_unknown_instansi_id_fails_the_load(root):
    before = tree_digest(root)
    lv = uniform_levels({("prov-36", 2024): 3}).assign(instansi_id="prov-99")
    with pytest.raises(PublishError, match="prov-99"):
        publish(root, source=Source("b", "B", "template", False), levels=lv, master=MASTER)
    assert tree_digest(root) == before


def test_published_domains_are_kept_as_published(root):
    import pandas as pd
    dom = pd.DataFrame({"tahun": 2024, "instansi_id": "kab-36.04", "instrument_id": "permenpanrb_59_2020",
                        "no_domain": [1, 2, 3, 4], "nilai": [float("nan"), 2.0, 1.5, 3.5]})
    idx = pd.DataFrame({"tahun": [2024], "instansi_id": ["kab-36.04"], "instrument_id": ["permenpanrb_59_2020"],
                        "indeks": [2.61], "predikat": ["Baik"]})
    publish(root, source=Source("pub", "Publikasi", "publikasi", False), domains=dom, index=idx, master=MASTER)
    wh = Warehouse(root)
    comp = wh.run("instansi_components", year=2024, instansi_id="kab-36.04")
    assert list(comp["kode"]) == ["D2", "D3", "D4"]          # missing D1 stays missing, no aspects
    assert wh.run("instansi_profile", year=2024, instansi_id="kab-36.04").iloc[0].asal == "dipublikasikan"
    assert wh.run("instansi_levels", year=2024, instansi_id="kab-36.04").empty
