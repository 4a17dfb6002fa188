"""Imports never lose detail silently (issue 16, item 2).

Each test mutates its own copy of the demo warehouse through the real CLI (`python -m etl import`),
real DuckDB and Parquet. On the code before this rule every one of them failed: the one-row
published CSV deleted Kota Serang's 47 LHE levels with exit 0, an older file silently put older
values back, a dry run listed nothing, two files made two snapshots, and the second of two
concurrent imports simply overwrote the first.
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading

from etl.import_plan import import_file
from etl.importer import import_locked
from etl.publish import publish_lock
from etl.readers import read_path

from .import_support import (
    SERANG,
    cli,
    copy_demo,
    imports,
    index_of,
    levels_csv,
    levels_of,
    pointer,
    published_csv,
    snapshot_dirs,
    source_ids,
)

NEW_2024 = "1.8,1.9,1.0,3.82,2.61,Baik"
OLD_2024 = "1.8,1.9,1.0,4.0,2.69,Baik"


def test_index_only_import_keeps_kota_serang_2021_real_levels(demo_warehouse, tmp_path, capsys):
    wh = copy_demo(demo_warehouse, tmp_path)
    real = levels_of(wh, SERANG, 2021)
    assert len(real) == 47 and "lhe-kota-serang-2021" in source_ids(wh)
    before, dirs = pointer(wh), snapshot_dirs(wh)
    csv = published_csv(tmp_path / "serang_2021.csv")

    rc, out = cli(capsys, wh, "import", str(csv))
    assert rc == 1
    assert "DITOLAK" in out and "47 level indikator nyata" in out and "--replace-levels" in out
    assert levels_of(wh, SERANG, 2021) == real                     # the 47 levels stay
    assert "lhe-kota-serang-2021" in source_ids(wh)                # and their source row
    assert pointer(wh) == before and snapshot_dirs(wh) == dirs and imports(wh) == []

    rc, out = cli(capsys, wh, "import", str(csv), "--replace-levels")  # said explicitly: replaced, logged
    assert rc == 0 and "DIPUBLIKASIKAN" in out
    assert levels_of(wh, SERANG, 2021) == {} and index_of(wh, SERANG, 2021)[:2] == (2.61, "dipublikasikan")
    [entry] = imports(wh)
    assert entry["diizinkan"] == ["--replace-levels"] and entry["level_indikator"]["dihapus"] == 47


def test_synthetic_levels_may_be_replaced_by_published_values(demo_warehouse, tmp_path, capsys):
    wh = copy_demo(demo_warehouse, tmp_path)
    rc, out = cli(capsys, wh, "import", str(published_csv(tmp_path / "serang_2024.csv", 2024)))
    assert rc == 0 and "1 diganti (1 di antaranya data SINTETIS)" in out
    assert levels_of(wh, SERANG, 2024) == {} and index_of(wh, SERANG, 2024)[0] == 2.61


def test_dry_run_lists_each_replacement_and_publishes_nothing(demo_warehouse, tmp_path, capsys):
    wh = copy_demo(demo_warehouse, tmp_path)
    before, dirs = pointer(wh), snapshot_dirs(wh)
    pub = published_csv(tmp_path / "serang_2021.csv")
    lv = levels_csv(tmp_path / "kab_2024.csv", 2024, iid="kab-36.04")

    rc, out = cli(capsys, wh, "import", str(pub), str(lv), "--dry-run")
    assert rc == 1                                                  # it would be refused
    line = next(x for x in out.splitlines() if x.strip().startswith("kota-36.73 2021"))
    assert "47 level indikator, indeks 2,97" in line and "→ tanpa level indikator, indeks 2,61, 4 domain" in line
    assert "serang_2021.csv" in line and "DITOLAK" in line
    assert any(x.strip().startswith("kab-36.04 2024: 47 level indikator") and "SINTETIS" in x for x in out.splitlines())

    rc, out = cli(capsys, wh, "import", str(pub), str(lv), "--dry-run", "--replace-levels", "--json")
    assert rc == 0
    report = json.loads(out)
    assert report["dipublikasikan"] is False and report["ringkas"] == {"baru": 0, "diganti": 2, "diganti_sintetis": 1}
    serang = next(c for c in report["rencana"] if c["instansi_id"] == SERANG)
    assert serang["status"] == "diganti" and serang["sekarang"].startswith("47 level indikator")
    assert serang["diizinkan"] == ["--replace-levels"]
    assert pointer(wh) == before and snapshot_dirs(wh) == dirs and imports(wh) == []


def test_older_document_after_a_newer_one_is_refused(demo_warehouse, tmp_path, capsys):
    wh = copy_demo(demo_warehouse, tmp_path)
    new = published_csv(tmp_path / "hasil_2024_final.csv", 2024, NEW_2024, day="2025-03-10")
    old = published_csv(tmp_path / "hasil_2024_awal.csv", 2024, OLD_2024, day="2024-11-02")
    assert cli(capsys, wh, "import", str(new))[0] == 0
    published = pointer(wh)

    rc, out = cli(capsys, wh, "import", str(old))
    assert rc == 1 and "lebih lama" in out and "2024-11-02" in out and "2025-03-10" in out and "--allow-older" in out
    assert index_of(wh, SERANG, 2024)[0] == 2.61 and pointer(wh) == published

    # the operator states the document date: a later date is not older
    rc, _ = cli(capsys, wh, "import", str(old), "--tanggal-dokumen", "2025-04-01", "--dry-run")
    assert rc == 0
    rc, out = cli(capsys, wh, "import", str(old), "--allow-older")
    assert rc == 0 and "diizinkan dengan --allow-older" in out
    assert index_of(wh, SERANG, 2024)[0] == 2.69
    assert imports(wh)[-1]["diizinkan"] == ["--allow-older"]


def test_multi_file_import_publishes_one_snapshot(demo_warehouse, tmp_path, capsys):
    wh = copy_demo(demo_warehouse, tmp_path)
    before, dirs = pointer(wh), snapshot_dirs(wh)
    files = [published_csv(tmp_path / "serang_2024.csv", 2024),
             levels_csv(tmp_path / "kab_2024.csv", 2024, iid="kab-36.04", shift=1),
             levels_csv(tmp_path / "prov_2023.csv", 2023, iid="prov-36", shift=2),
             levels_csv(tmp_path / "serang_2023.csv", 2023, shift=3)]
    rc, out = cli(capsys, wh, "import", *map(str, files), "--keep", "3")
    assert rc == 0 and "DIPUBLIKASIKAN 4 berkas sebagai satu snapshot" in out
    new = [d for d in snapshot_dirs(wh) if d not in dirs]
    assert len(new) == 1 and pointer(wh) == new[0]
    assert before in snapshot_dirs(wh)                              # the pre-import snapshot is kept
    [entry] = imports(wh)
    assert [b["berkas"] for b in entry["berkas"]] == [f.name for f in files]
    assert (entry["snapshot_sebelumnya"], entry["snapshot_baru"]) == (before, new[0])
    assert len(levels_of(wh, "kab-36.04", 2024)) == 47 and len(levels_of(wh, "prov-36", 2023)) == 47
    assert {b["sumber_id"] for b in entry["berkas"]} <= source_ids(wh)


def test_files_of_one_import_are_applied_in_order_and_judged_the_same_way(demo_warehouse, tmp_path, capsys):
    wh = copy_demo(demo_warehouse, tmp_path)
    lv = levels_csv(tmp_path / "lhe_2024.csv", 2024)
    pub = published_csv(tmp_path / "tabel_2024.csv", 2024)
    rc, out = cli(capsys, wh, "import", str(lv), str(pub))        # the table would drop the LHE's levels
    assert rc == 1 and "DITOLAK" in out and imports(wh) == []
    rc, _ = cli(capsys, wh, "import", str(pub), str(lv))            # levels after the table: nothing lost
    assert rc == 0 and len(levels_of(wh, SERANG, 2024)) == 47


def _import_process(wh, path):
    return subprocess.Popen([sys.executable, "-m", "etl", "--warehouse", str(wh), "import", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _watch(stream, waiting: threading.Event) -> None:
    for line in stream:  # reads to the end, so the child never blocks on a full pipe
        if "menunggu" in line:
            waiting.set()


def test_a_waiting_import_is_judged_against_the_one_that_held_the_lock(demo_warehouse, tmp_path):
    """Deterministic: the published-table import starts while another import holds the lock; it
    waits (says so), then sees that import's levels and is refused."""
    wh = copy_demo(demo_warehouse, tmp_path)
    lv = levels_csv(tmp_path / "lhe_2024.csv", 2024)
    pub = published_csv(tmp_path / "tabel_2024.csv", 2024)
    with publish_lock(wh):
        proc = _import_process(wh, pub)
        waiting = threading.Event()
        reader = threading.Thread(target=_watch, args=(proc.stderr, waiting), daemon=True)
        reader.start()
        if not waiting.wait(120):  # a guard against a hang, not a timing assertion
            proc.kill()
            raise AssertionError("the second import never said it was waiting for the lock")
        first = import_locked(wh, [import_file(read_path(lv), lv)])  # we hold the lock: publish the LHE
        assert first.published
    out = proc.stdout.read()
    proc.wait(timeout=120)
    reader.join(30)
    assert proc.returncode == 1 and "DITOLAK" in out and "47 level indikator nyata" in out
    assert len(levels_of(wh, SERANG, 2024)) == 47 and pointer(wh) == first.result.snapshot_id
    assert len(imports(wh)) == 1


def test_two_concurrent_imports_of_one_instansi_year_end_consistently(demo_warehouse, tmp_path):
    """Free race: whichever runs first, the levels survive and the log is one unbroken chain."""
    wh = copy_demo(demo_warehouse, tmp_path)
    start = pointer(wh)
    lv = levels_csv(tmp_path / "lhe_2024.csv", 2024)
    pub = published_csv(tmp_path / "tabel_2024.csv", 2024)
    procs = {"lhe": _import_process(wh, lv), "tabel": _import_process(wh, pub)}
    rcs = {k: p.wait(timeout=180) for k, p in procs.items()}
    for p in procs.values():
        p.stdout.close()
        p.stderr.close()
    # LHE first → the table is refused; table first → the LHE replaces it. Never: the table last.
    assert rcs in ({"lhe": 0, "tabel": 1}, {"lhe": 0, "tabel": 0}), rcs
    assert len(levels_of(wh, SERANG, 2024)) == 47
    log = imports(wh)
    assert len(log) == list(rcs.values()).count(0)
    chain = [start] + [e["snapshot_baru"] for e in log]
    assert [e["snapshot_sebelumnya"] for e in log] == chain[:-1] and pointer(wh) == chain[-1]
