"""Publish a warehouse snapshot atomically (the tables themselves are written by `etl.build`).

A new snapshot is built beside the published one (``snapshots/.build-<id>``), carries the
previous snapshot's rows except the instansi-years the new input replaces, is read back and
checked, renamed into place, and only then does the ``CURRENT`` pointer switch (``os.replace``
of a fully written file). Any failure before the switch leaves the published snapshot — and the
pointer — byte-for-byte as they were. The previous snapshots stay available (``keep``).
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from domain.instrument import InstrumentRegistry, load_registry
from domain.warehouse_layout import (
    MANIFEST_FILE,
    POINTER_FILE,
    SNAPSHOT_DIR,
    TABLES,
    current_snapshot,
)
from etl.build import PublishError, sources_frame, write_tables

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
Progress = Callable[[str], None]


@dataclass
class Source:
    sumber_id: str
    nama: str
    jenis: str          # demo | publikasi | lhe | template
    sintetis: bool
    berkas: str = ""


@dataclass
class PublishResult:
    snapshot_id: str
    path: Path
    previous: str | None
    rows: dict[str, int] = field(default_factory=dict)
    replaced_instansi_tahun: int = 0
    seconds: float = 0.0


def reference_frames(registry: InstrumentRegistry, reference_dir: Path = REFERENCE_DIR) -> dict[str, pd.DataFrame]:
    """Instrument and official reference tables, from the committed reference files."""
    ins_rows, ind_rows, band_rows = [], [], []
    for ins in registry:
        ins_rows.append({"instrument_id": ins.id, "nama": ins.nama, "tahun_mulai": ins.tahun_mulai,
                         "tahun_akhir": ins.tahun_akhir, "target_level": ins.target_level,
                         "target_indeks": float(ins.target_indeks)})
        for ind in ins.indicators:
            a, d = ins.aspect(ind.no_aspek), ins.domain(ind.no_domain)
            ind_rows.append({"instrument_id": ins.id, "no_indikator": ind.no, "nama_indikator": ind.nama,
                             "no_aspek": a.no, "kode_aspek": a.kode, "label_aspek": a.label,
                             "nama_aspek": a.nama, "bobot_aspek": float(a.bobot), "no_domain": d.no,
                             "kode_domain": d.kode, "label_domain": d.label, "nama_domain": d.nama,
                             "bobot_domain": float(d.bobot), "bobot_indikator": float(ind.bobot),
                             "skala": ind.skala})
        for i, band in enumerate(ins.bands, start=1):
            band_rows.append({"instrument_id": ins.id, "predikat": band.nama,
                              "batas_bawah": float(band.batas_bawah), "batas_atas": float(band.batas_atas),
                              "urutan": i})
    official = reference_dir / "official"
    return {
        "instrumen": pd.DataFrame(ins_rows).astype({"tahun_akhir": "Int64"}),
        "instrumen_indikator": pd.DataFrame(ind_rows),
        "instrumen_predikat": pd.DataFrame(band_rows),
        "ref_seri_nasional": pd.read_csv(official / "seri_nasional.csv", dtype={"komponen": str}),
        "ref_rerata_kategori": pd.read_csv(official / "rerata_kategori.csv", dtype={"komponen": str}),
        "ref_target_nasional": pd.read_csv(official / "target_nasional.csv"),
    }


def load_master_frame(path: Path | None = None) -> pd.DataFrame:
    path = path or (REFERENCE_DIR / "instansi.csv")
    master = pd.read_csv(path, dtype=str, keep_default_na=False)
    return master


def _master_table(master: pd.DataFrame) -> pd.DataFrame:
    out = master.copy()
    out["alias"] = out["alias"].fillna("").map(lambda s: [a for a in str(s).split("|") if a])
    for col in ("provinsi", "kode_provinsi", "kode_wilayah"):
        out[col] = out[col].replace("", None)
    return out[list(TABLES["instansi"][0])]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify_snapshot(snapshot: Path) -> dict:
    """Re-read every Parquet file of a snapshot against its manifest; raise PublishError if off."""
    manifest_path = snapshot / MANIFEST_FILE
    if not manifest_path.exists():
        raise PublishError(f"{snapshot}: manifest tidak ada")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    con = duckdb.connect()
    try:
        for rel, meta in manifest["files"].items():
            path = snapshot / rel
            if not path.exists():
                raise PublishError(f"{path}: berkas hilang")
            if path.stat().st_size != meta["bytes"] or _sha256(path) != meta["sha256"]:
                raise PublishError(f"{path}: isi berkas tidak sesuai manifest (rusak atau terpotong)")
        for table, meta in manifest["tables"].items():
            glob = str(snapshot / table / "**" / "*.parquet")
            n = con.execute(f"select count(*) from read_parquet('{glob}', hive_partitioning = true)").fetchall()[0][0]
            if n != meta["rows"]:
                raise PublishError(f"{table}: {n} baris terbaca, manifest mencatat {meta['rows']}")
    except duckdb.Error as exc:
        raise PublishError(f"{snapshot}: Parquet tidak terbaca ({exc})") from exc
    finally:
        con.close()
    return manifest


@contextlib.contextmanager
def publish_lock(root: Path):
    """One publisher at a time per warehouse (an OS lock: released even if the process is killed)."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".publish.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _remove_stale_builds(snapshots: Path) -> None:
    """Leftovers of a publisher that was killed mid-build (safe: we hold the publish lock)."""
    for stale in snapshots.glob(".build-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for tmp in snapshots.parent.glob(f".{POINTER_FILE}.*"):
        tmp.unlink(missing_ok=True)


def publish(root: Path, **kwargs) -> PublishResult:
    """Build, check and publish a snapshot (see `_publish_locked`), one publisher at a time."""
    root = Path(root)
    with publish_lock(root):
        return _publish_locked(root, **kwargs)


def _publish_locked(
    root: Path,
    *,
    source: Source,
    levels: pd.DataFrame | None = None,
    domains: pd.DataFrame | None = None,
    index: pd.DataFrame | None = None,
    master: pd.DataFrame | None = None,
    registry: InstrumentRegistry | None = None,
    keep: int = 3,
    progress: Progress | None = None,
    fail_before_switch: Callable[[Path], None] | None = None,
    carry_previous: bool = True,
) -> PublishResult:
    """Build, check and publish a snapshot holding the previous data plus this input.

    levels: tahun, instansi_id, instrument_id, no_indikator, level[, level_mandiri]
    domains (published): tahun, instansi_id, instrument_id, no_domain, nilai
    index (published): tahun, instansi_id, instrument_id, indeks, predikat
    Rows of the instansi-years present in the input replace that instansi-year's earlier rows.
    carry_previous=False publishes the input alone (a complete dataset such as the demo build).
    """
    say = progress or (lambda msg: None)
    started = time.perf_counter()
    root = Path(root)
    registry = registry or load_registry()
    published = current_snapshot(root)
    previous = published if carry_previous else None
    snapshots = root / SNAPSHOT_DIR
    snapshots.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(snapshots)
    snap_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f") + "-" + uuid.uuid4().hex[:6]
    build = snapshots / f".build-{snap_id}"
    build.mkdir()
    con = duckdb.connect()
    try:
        say("menyiapkan tabel referensi")
        for name, frame in reference_frames(registry).items():
            con.register(f"df_{name}", frame)
            con.execute(f"create table {name} as select * from df_{name}")
        if master is None:
            master = load_master_frame()
        con.register("df_instansi", _master_table(master))
        con.execute("create table instansi as select * from df_instansi")
        con.register("df_sumber_baru", sources_frame(source))
        rows, replaced = write_tables(con, build, registry=registry, sumber_id=source.sumber_id, previous=previous,
                                      levels=levels, domains=domains, index=index, say=say)
        manifest = {"snapshot_id": snap_id, "dibuat": datetime.now(timezone.utc).isoformat(),
                    "sebelumnya": published.name if published else None,
                    "tables": {t: {"rows": rows[t]} for t in TABLES}, "files": {}}
        for path in sorted(build.rglob("*.parquet")):
            manifest["files"][str(path.relative_to(build))] = {"bytes": path.stat().st_size, "sha256": _sha256(path)}
        (build / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    except Exception:
        con.close()
        shutil.rmtree(build, ignore_errors=True)
        raise
    con.close()

    try:
        say("memverifikasi snapshot")
        verify_snapshot(build)
        if fail_before_switch:
            fail_before_switch(build)
        final = snapshots / snap_id
        os.replace(build, final)
        _switch_pointer(root, snap_id)
    except Exception:
        shutil.rmtree(build, ignore_errors=True)
        raise
    _prune(snapshots, keep=keep, current=snap_id)
    say("selesai")
    return PublishResult(snapshot_id=snap_id, path=final, previous=published.name if published else None,
                         rows={t: m["rows"] for t, m in manifest["tables"].items()},
                         replaced_instansi_tahun=replaced, seconds=time.perf_counter() - started)


def _switch_pointer(root: Path, snap_id: str) -> None:
    tmp = root / f".{POINTER_FILE}.{uuid.uuid4().hex}"
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(snap_id + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, root / POINTER_FILE)


def _prune(snapshots: Path, *, keep: int, current: str) -> None:
    done = sorted(p for p in snapshots.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in done[:-keep] if keep > 0 else []:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)
