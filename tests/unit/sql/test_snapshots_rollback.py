"""Snapshots, rollback, keep and the import log (issue 16, item 3), through the real CLI.

None of this existed before: no `snapshots` or `rollback` command, `keep=3` fixed in code (and a
four-file import was four publishes, so the pre-import snapshot was pruned), no record of who
imported what, and Ctrl-C while pruning printed a traceback and exit 130 although the import was
published.
"""
from __future__ import annotations

import json

import etl.publish
from domain.warehouse_layout import current_snapshot, read_import_log
from etl.cli import main
from queries.gateway import Warehouse

from .import_support import (
    SERANG,
    cli,
    copy_demo,
    digest,
    imports,
    index_of,
    levels_csv,
    pointer,
    published_csv,
    snapshot_dirs,
)


def _profile(wh):
    gw = Warehouse(wh)
    try:
        return gw.run("ranking", year=2024).to_dict("records")
    finally:
        gw.close()


def test_snapshots_lists_id_time_rows_sources_and_which_is_published(demo_warehouse, tmp_path, capsys):
    wh = copy_demo(demo_warehouse, tmp_path)
    assert cli(capsys, wh, "import", str(levels_csv(tmp_path / "lhe_2024.csv", 2024)))[0] == 0
    rc, out = cli(capsys, wh, "snapshots", "--json")
    assert rc == 0
    items = json.loads(out)
    assert [s["snapshot"] for s in items] == snapshot_dirs(wh)
    [published] = [s for s in items if s["terbit"]]
    assert published["snapshot"] == pointer(wh) and published["impor"] == ["lhe_2024.csv"]
    assert published["baris"]["nilai_indikator"] > 0 and published["baris"]["indeks"] > 0 and published["dibuat"]
    assert any(n.startswith("Impor lhe_2024.csv") for n in published["sumber"])
    assert any("SINTETIS" in n for n in published["sumber"])
    rc, out = cli(capsys, wh, "snapshots")
    assert rc == 0 and f"* {pointer(wh)}" in out and "lhe_2024.csv" in out


def test_rollback_restores_the_previous_snapshot_byte_for_byte_and_is_logged(demo_warehouse, tmp_path, capsys):
    wh = copy_demo(demo_warehouse, tmp_path)
    before_id = pointer(wh)
    before_bytes, before_rows = digest(current_snapshot(wh)), _profile(wh)
    assert cli(capsys, wh, "import", str(published_csv(tmp_path / "t.csv", 2024)))[0] == 0
    imported = pointer(wh)
    assert index_of(wh, SERANG, 2024)[0] == 2.61 and _profile(wh) != before_rows

    rc, out = cli(capsys, wh, "rollback")
    assert rc == 0 and f"{imported} → {before_id}" in out
    assert pointer(wh) == before_id
    assert digest(current_snapshot(wh)) == before_bytes and _profile(wh) == before_rows
    last = read_import_log(wh)[-1]
    assert last["aksi"] == "rollback" and (last["snapshot_sebelumnya"], last["snapshot_baru"]) == (imported, before_id)
    assert last["pengguna"] and last["waktu"]

    rc, _ = cli(capsys, wh, "rollback", imported)                    # forward again, by name
    assert rc == 0 and pointer(wh) == imported and index_of(wh, SERANG, 2024)[0] == 2.61


def test_rollback_refuses_unknown_current_and_damaged_snapshots(demo_warehouse, tmp_path, capsys):
    wh = copy_demo(demo_warehouse, tmp_path)
    previous = pointer(wh)
    assert cli(capsys, wh, "import", str(published_csv(tmp_path / "t.csv", 2024)))[0] == 0
    published = pointer(wh)
    log_lines = len(read_import_log(wh))
    assert cli(capsys, wh, "rollback", "../../etc")[0] == 1
    assert cli(capsys, wh, "rollback", published)[0] == 1
    victim = next((wh / "snapshots" / previous / "indeks").rglob("*.parquet"))
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    capsys.readouterr()
    assert main(["--warehouse", str(wh), "rollback"]) == 1
    err = capsys.readouterr().err
    assert "gagal verifikasi" in err and "CURRENT tidak berubah" in err
    assert pointer(wh) == published and len(read_import_log(wh)) == log_lines


def test_log_survives_pruning_and_holds_file_names_only(demo_warehouse, tmp_path, capsys, monkeypatch):
    wh = copy_demo(demo_warehouse, tmp_path)
    monkeypatch.setenv("SPBE_KEEP", "1")
    first = snapshot_dirs(wh)
    for year, iid in ((2024, "kab-36.04"), (2023, "kab-36.04"), (2024, "prov-36")):
        assert cli(capsys, wh, "import", str(levels_csv(tmp_path / f"{iid}_{year}.csv", year, iid=iid)))[0] == 0
    assert snapshot_dirs(wh) == [pointer(wh)]                       # keep=1: only the published one
    log = imports(wh)
    assert len(log) == 3 and log[0]["snapshot_sebelumnya"] == first[-1] and log[0]["snapshot_sebelumnya"] not in snapshot_dirs(wh)
    text = (wh / "import_log.jsonl").read_text()
    assert str(tmp_path) not in text and "/" not in "".join(b["berkas"] for e in log for b in e["berkas"])
    for e in log:
        assert len(e["berkas"][0]["sha256"]) == 64 and e["instansi_tahun"]["diganti"] == 1
        assert e["perintah"].startswith("python -m etl import ") and e["pengguna"]


def test_default_keep_never_prunes_the_pre_import_snapshot(demo_warehouse, tmp_path, capsys, monkeypatch):
    """keep=3 (the default): after a rollback to an old snapshot, the next import's pre-import
    snapshot is that old one — by age it would be the first to go; it is kept."""
    monkeypatch.delenv("SPBE_KEEP", raising=False)
    wh = copy_demo(demo_warehouse, tmp_path)
    oldest = pointer(wh)
    for name, year in (("a.csv", 2024), ("b.csv", 2023)):
        assert cli(capsys, wh, "import", str(published_csv(tmp_path / name, year)))[0] == 0
    assert cli(capsys, wh, "rollback", oldest)[0] == 0
    assert cli(capsys, wh, "import", str(levels_csv(tmp_path / "c.csv", 2022)))[0] == 0
    assert len(snapshot_dirs(wh)) == 3 and oldest in snapshot_dirs(wh)
    assert cli(capsys, wh, "rollback")[0] == 0 and pointer(wh) == oldest


def test_keep_setting_from_flag_and_environment(demo_warehouse, tmp_path, capsys, monkeypatch):
    wh = copy_demo(demo_warehouse, tmp_path)
    monkeypatch.setenv("SPBE_KEEP", "tiga")
    assert cli(capsys, wh, "import", str(levels_csv(tmp_path / "a.csv", 2024)))[0] == 2
    monkeypatch.setenv("SPBE_KEEP", "0")                            # 0 = keep all
    n = len(snapshot_dirs(wh))
    for i, year in enumerate((2024, 2023, 2022)):
        assert cli(capsys, wh, "import", str(levels_csv(tmp_path / f"k{i}.csv", year)))[0] == 0
    assert len(snapshot_dirs(wh)) == n + 3
    assert cli(capsys, wh, "import", str(levels_csv(tmp_path / "k9.csv", 2021, shift=1)), "--keep", "2")[0] == 0                               # the flag wins over the environment
    assert len(snapshot_dirs(wh)) == 2


def test_ctrl_c_while_pruning_reports_the_import_as_published(demo_warehouse, tmp_path, capsys, monkeypatch):
    wh = copy_demo(demo_warehouse, tmp_path)
    before = pointer(wh)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(etl.publish, "_prune", interrupted)
    rc, out = cli(capsys, wh, "import", str(levels_csv(tmp_path / "a.csv", 2024)), "--keep", "1")
    assert rc == 0
    assert "DIPUBLIKASIKAN" in out and "Pemangkasan snapshot lama terhenti (Ctrl-C)" in out and "SUDAH" in out
    assert pointer(wh) != before and before in snapshot_dirs(wh)     # published; nothing pruned
    assert imports(wh)[-1]["snapshot_baru"] == pointer(wh)          # and logged
