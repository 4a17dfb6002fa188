"""Helpers for the import-safety and snapshot tests: a private copy of the demo warehouse per test
(real DuckDB + Parquet), small input files, the CLI, and reads of the published snapshot."""
from __future__ import annotations

import hashlib
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from domain.warehouse_layout import current_snapshot, read_import_log
from etl.cli import main
from tests.fixtures.etl.builders import long_csv, long_rows, pattern_levels

SERANG = "kota-36.73"
PUB_HEAD = "tahun,nama_instansi,d1_kebijakan,d2_tata_kelola,d3_manajemen,d4_layanan,indeks,predikat"


def copy_demo(demo_warehouse: Path, tmp_path: Path) -> Path:
    """A private copy of the session's demo warehouse (it holds Kota Serang 2021's 47 real LHE levels)."""
    wh = tmp_path / "wh"
    shutil.copytree(demo_warehouse, wh, ignore=shutil.ignore_patterns(".publish.lock", "import_log.jsonl"))
    return wh


def write(path: Path, text: str, day: str | None = None) -> Path:
    """Write a file; `day` (YYYY-MM-DD) sets its modification time (the document date by default)."""
    path.write_text(text, encoding="utf-8")
    if day:
        ts = datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp() + 12 * 3600
        os.utime(path, (ts, ts))
    return path


def published_csv(path: Path, year: int = 2021, row: str = "1.8,1.9,1.0,3.82,2.61,Baik",
                  name: str = "Pemerintah Kota Serang", day: str | None = None) -> Path:
    """A one-row published-results CSV: index and D1–D4, no indicator levels."""
    return write(path, f"{PUB_HEAD}\n{year},{name},{row}\n", day)


def levels_csv(path: Path, year: int, iid: str = SERANG, shift: int = 0, day: str | None = None) -> Path:
    """A complete set of 47 indicator levels (long CSV) for one instansi-year."""
    return write(path, long_csv(long_rows(year, iid, pattern_levels(47, shift))), day)


def cli(capsys, wh: Path, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    rc = main(["--warehouse", str(wh), *args])
    out = capsys.readouterr()
    return rc, out.out


def pointer(wh: Path) -> str:
    return (wh / "CURRENT").read_text().strip()


def snapshot_dirs(wh: Path) -> list[str]:
    return sorted(p.name for p in (wh / "snapshots").iterdir() if not p.name.startswith("."))


def _glob(wh: Path, table: str) -> str:
    return str(current_snapshot(wh) / table / "**" / "*.parquet")


def levels_of(wh: Path, iid: str, year: int) -> dict[int, int]:
    rows = duckdb.execute("select no_indikator, level from read_parquet($g) where instansi_id = $i and tahun = $t",
                          {"g": _glob(wh, "nilai_indikator"), "i": iid, "t": year}).fetchall()
    return dict(rows)


def index_of(wh: Path, iid: str, year: int) -> tuple[float, str, str]:
    """(indeks, asal, sumber_id) of one instansi-year in the published snapshot."""
    return duckdb.execute("select indeks, asal, sumber_id from read_parquet($g, hive_partitioning = true) "
                          "where instansi_id = $i and tahun = $t",
                          {"g": _glob(wh, "indeks"), "i": iid, "t": year}).fetchall()[0]


def source_ids(wh: Path) -> set[str]:
    return {r[0] for r in duckdb.execute("select sumber_id from read_parquet($g)",
                                         {"g": _glob(wh, "sumber")}).fetchall()}


def imports(wh: Path) -> list[dict]:
    return [e for e in read_import_log(wh) if e.get("aksi") == "impor"]


def digest(snapshot: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(snapshot.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(snapshot)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()
