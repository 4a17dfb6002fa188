"""Publish a warehouse snapshot atomically (the tables themselves are written by `etl.build`).

A new snapshot is built beside the published one (``snapshots/.build-<id>``), carries the
previous snapshot's rows except the instansi-years the new input replaces, is read back and
checked, renamed into place, and only then does the ``CURRENT`` pointer switch (``os.replace``
of a fully written file). Any failure before the switch leaves the published snapshot — and the
pointer — byte-for-byte as they were. The previous snapshots stay available (``keep``; the
published one and its predecessor are never pruned unless keep=1).

Several inputs (a multi-file import) are built one after the other into intermediate build
directories and published as ONE snapshot. Ctrl-C is deferred across the pointer switch and the
caller's log entry; Ctrl-C while pruning stops pruning only (the snapshot is published).
"""
from __future__ import annotations

import contextlib
import signal
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from domain import storage
from domain.instrument import REFERENCE_DIR, InstrumentRegistry, load_registry
from domain.kategori import KATEGORI_FILE, load_kategori
from domain.storage import POINTER_FILE, publish_lock  # noqa: F401 - names etl callers and bench/faults.py use
from domain.warehouse_layout import DEFAULT_KEEP, TABLES
from etl.build import PublishError, sources_frame, write_tables

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
    prune_interrupted: bool = False     # Ctrl-C while pruning old snapshots (after the switch)


@dataclass
class Step:
    """One input of a publish: its source and its rows (see `_publish_locked` for the columns)."""
    source: Source
    levels: pd.DataFrame | None = None
    domains: pd.DataFrame | None = None
    index: pd.DataFrame | None = None
    notes: pd.DataFrame | None = None   # validation notes on published rows (etl.readers.published.row_notes)
    aspects: pd.DataFrame | None = None  # published aspects (TAUVAL): tahun, instansi_id, instrument_id, no_aspek, nilai


def reference_frames(registry: InstrumentRegistry, reference_dir: Path = REFERENCE_DIR) -> dict[str, pd.DataFrame]:
    """Instrument and official reference tables, from the committed reference files."""
    ins_rows, ind_rows, band_rows = [], [], []
    for ins in registry:
        ins_rows.append({"instrument_id": ins.id, "nama": ins.nama, "tahun_mulai": ins.tahun_mulai,
                         "tahun_akhir": ins.tahun_akhir, "target_level": ins.target_level,
                         "target_indeks": float(ins.target_indeks), "nama_indeks": ins.nama_indeks,
                         "level_min": ins.level_min, "level_max": ins.level_max})
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
                              "urutan": i, "warna": band.warna})
    official = reference_dir / "official"
    kategori = [{"kategori_ringkas": k.nama, "urutan": k.urutan, "kelompok": k.kelompok, "kab_kota": k.kab_kota}
                for k in load_kategori(reference_dir / KATEGORI_FILE.name)]
    return {
        "kategori": pd.DataFrame(kategori, columns=list(TABLES["kategori"][0])),
        "instrumen": pd.DataFrame(ins_rows).astype({"tahun_akhir": "Int64"}),
        "instrumen_indikator": pd.DataFrame(ind_rows),
        "instrumen_predikat": pd.DataFrame(band_rows).astype({"warna": "string"}),
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


_sha256 = storage.sha256  # the manifest's digest (tests re-sign a file with it)


def verify_snapshot(snapshot: Path) -> dict:
    """Re-read every Parquet file of a snapshot against its manifest; raise PublishError if off."""
    if not storage.has_manifest(snapshot):
        raise PublishError(f"{snapshot}: manifest tidak ada")
    manifest = storage.load_manifest(snapshot)
    con = duckdb.connect()
    try:
        for rel, meta in manifest["files"].items():
            path = snapshot / rel
            if not path.exists():
                raise PublishError(f"{path}: berkas hilang")
            if path.stat().st_size != meta["bytes"] or _sha256(path) != meta["sha256"]:
                raise PublishError(f"{path}: isi berkas tidak sesuai manifest (rusak atau terpotong)")
        for table, meta in manifest["tables"].items():
            glob = storage.sql_path(snapshot / table / "**" / "*.parquet")
            n = con.execute(f"select count(*) from read_parquet({glob}, hive_partitioning = true)").fetchall()[0][0]
            if n != meta["rows"]:
                raise PublishError(f"{table}: {n} baris terbaca, manifest mencatat {meta['rows']}")
    except duckdb.Error as exc:
        raise PublishError(f"{snapshot}: Parquet tidak terbaca ({exc})") from exc
    finally:
        con.close()
    return manifest


@contextlib.contextmanager
def sigint_deferred():
    """Ctrl-C (SIGINT) waits until the block is done: the pointer switch and its log entry are one step."""
    blocked = {signal.SIGINT}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _remove_stale_builds(snapshots: Path) -> None:
    """Leftovers of a publisher that was killed mid-build (safe: we hold the publish lock)."""
    for stale in snapshots.glob(f"{storage.BUILD_PREFIX}*"):
        storage.remove_tree(stale)
    storage.remove_stale_pointer_files(snapshots.parent)


def publish(root: Path, **kwargs) -> PublishResult:
    """Build, check and publish a snapshot (see `_publish_locked`), one publisher at a time."""
    root = Path(root)
    with publish_lock(root):
        return _publish_locked(root, **kwargs)


def _publish_locked(root: Path, *, source: Source, levels: pd.DataFrame | None = None,
                    domains: pd.DataFrame | None = None, index: pd.DataFrame | None = None,
                    **kwargs) -> PublishResult:
    """Build, check and publish a snapshot holding the previous data plus this input.

    levels: tahun, instansi_id, instrument_id, no_indikator, level[, level_mandiri]
    domains (published): tahun, instansi_id, instrument_id, no_domain, nilai
    index (published): tahun, instansi_id, instrument_id, indeks, predikat
    Rows of the instansi-years present in the input replace that instansi-year's earlier rows.
    carry_previous=False publishes the input alone (a complete dataset such as the demo build).
    """
    return publish_steps_locked(root, [Step(source, levels, domains, index)], **kwargs)


def publish_steps_locked(
    root: Path,
    steps: list[Step],
    *,
    master: pd.DataFrame | None = None,
    registry: InstrumentRegistry | None = None,
    keep: int = DEFAULT_KEEP,
    progress: Progress | None = None,
    fail_before_switch: Callable[[Path], None] | None = None,
    carry_previous: bool = True,
    provenance: dict[str, dict] | None = None,
    after_switch: Callable[[PublishResult], None] | None = None,
    reference_dir: Path = REFERENCE_DIR,
) -> PublishResult:
    """Publish ONE snapshot holding the previous data plus every step, applied in order (a later
    step's instansi-years replace an earlier step's). The caller holds the publish lock.

    Each step is built from the one before it (the first from the published snapshot); only the
    last build is checked, renamed into place and published. `provenance` (sumber_id → document
    facts: file name, sha256, document date) goes into the manifest and is carried forward while
    the source has rows. `after_switch` runs right after the pointer switch with Ctrl-C deferred
    (the import log). Ctrl-C during pruning stops pruning only: `prune_interrupted` is set."""
    say = progress or (lambda msg: None)
    started = time.perf_counter()
    root = Path(root)
    registry = registry or load_registry()
    master = load_master_frame() if master is None else master
    published = storage.current_snapshot(root)
    snapshots = storage.snapshots_dir(root)
    snapshots.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(snapshots)
    snap_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f") + "-" + uuid.uuid4().hex[:6]
    build = snapshots / f"{storage.BUILD_PREFIX}{snap_id}"
    try:
        rows, replaced = _build_chain(snapshots, snap_id, published if carry_previous else None, steps,
                                      registry=registry, master=master, say=say, reference_dir=reference_dir)
        manifest = _write_manifest(build, snap_id, published, rows, provenance or {})
    except BaseException:
        for stale in snapshots.glob(f"{storage.BUILD_PREFIX}{snap_id}*"):
            storage.remove_tree(stale)
        raise

    try:
        say("memverifikasi snapshot")
        verify_snapshot(build)
        if fail_before_switch:
            fail_before_switch(build)
        final = snapshots / snap_id
        storage.atomic_replace(build, final)
    except BaseException:
        storage.remove_tree(build)
        raise
    result = PublishResult(snapshot_id=snap_id, path=final, previous=published.name if published else None,
                           rows={t: m["rows"] for t, m in manifest["tables"].items()},
                           replaced_instansi_tahun=replaced, seconds=0.0)
    _switch_log_prune(root, result, keep=keep, after_switch=after_switch, say=say)
    result.seconds = time.perf_counter() - started
    return result


def _build_chain(snapshots: Path, snap_id: str, previous: Path | None, steps: list[Step], *,
                 registry: InstrumentRegistry, master: pd.DataFrame, say: Progress,
                 reference_dir: Path = REFERENCE_DIR) -> tuple[dict[str, int], int]:
    """Build the steps in order, each from the one before, the last into `.build-<snap_id>`;
    intermediate builds are removed once carried into the next. Returns (rows, instansi-years)."""
    replaced, rows = 0, {}
    for k, step in enumerate(steps):
        target = snapshots / (f"{storage.BUILD_PREFIX}{snap_id}" if k == len(steps) - 1
                              else f"{storage.BUILD_PREFIX}{snap_id}-{k}")
        if len(steps) > 1:
            say(f"berkas {k + 1}/{len(steps)}: {step.source.nama}")
        rows, n = _build_step(target, previous, step, registry=registry, master=master, say=say,
                              reference_dir=reference_dir)
        replaced += n
        if previous is not None and previous.name.startswith(storage.BUILD_PREFIX):
            storage.remove_tree(previous)  # an intermediate build, now carried into `target`
        previous = target
    return rows, replaced


def _switch_log_prune(root: Path, result: PublishResult, *, keep: int,
                      after_switch: Callable[[PublishResult], None] | None, say: Progress) -> None:
    """Switch the pointer and run `after_switch` (the log) with Ctrl-C deferred, then prune; Ctrl-C
    while pruning stops pruning only and is reported in `result.prune_interrupted`."""
    with sigint_deferred():  # switched and logged, or neither
        _switch_pointer(root, result.snapshot_id)
        if after_switch:
            after_switch(result)
    try:
        _prune(storage.snapshots_dir(root), keep=keep, current=result.snapshot_id)
    except KeyboardInterrupt:
        result.prune_interrupted = True
        say("pemangkasan snapshot lama dihentikan (Ctrl-C); snapshot baru SUDAH terbit")
    else:
        say("selesai")


def _build_step(target: Path, previous: Path | None, step: Step, *, registry: InstrumentRegistry,
                master: pd.DataFrame, say: Progress, reference_dir: Path = REFERENCE_DIR) -> tuple[dict[str, int], int]:
    """Fill the build directory `target` with `previous`'s rows plus this step's input."""
    target.mkdir()
    con = duckdb.connect()
    try:
        say("menyiapkan tabel referensi")
        for name, frame in reference_frames(registry, reference_dir).items():
            con.register(f"df_{name}", frame)
            con.execute(f"create table {name} as select * from df_{name}")
        con.register("df_instansi", _master_table(master))
        con.execute("create table instansi as select * from df_instansi")
        con.register("df_sumber_baru", sources_frame(step.source))
        return write_tables(con, target, registry=registry, sumber_id=step.source.sumber_id, previous=previous,
                            levels=step.levels, domains=step.domains, index=step.index, say=say,
                            notes=step.notes, aspects=step.aspects)
    finally:
        con.close()


def _write_manifest(build: Path, snap_id: str, published: Path | None, rows: dict[str, int],
                    provenance: dict[str, dict]) -> dict:
    """Row counts, sha256 of every Parquet file, and the document facts of the sources still present."""
    con = duckdb.connect()
    try:
        present = {r[0] for r in con.execute("select distinct sumber_id from read_parquet($files)",
                                             {"files": str(build / "sumber" / "*.parquet")}).fetchall()}
    finally:
        con.close()
    carried = storage.read_manifest(published).get("sumber", {}) if published else {}
    sources = {sid: meta for sid, meta in {**carried, **provenance}.items() if sid in present}
    manifest = {"snapshot_id": snap_id, "dibuat": datetime.now(timezone.utc).isoformat(),
                "sebelumnya": published.name if published else None,
                "tables": {t: {"rows": rows[t]} for t in TABLES}, "files": {}, "sumber": sources}
    for path in storage.data_files(build):
        manifest["files"][str(path.relative_to(build))] = storage.file_facts(path)
    storage.write_manifest(build, manifest)
    return manifest


def _switch_pointer(root: Path, snap_id: str) -> None:
    storage.switch_pointer(root, snap_id)


def _prune(snapshots: Path, *, keep: int, current: str) -> None:
    """Keep `keep` snapshots: the published one, its predecessor (the state before the import that
    made it, when keep ≥ 2) and the newest others; keep ≤ 0 prunes nothing."""
    if keep <= 0:
        return
    done = [snapshots / sid for sid in storage.snapshot_ids(snapshots.parent)]
    protect = [current]
    if keep >= 2:
        protect.append(storage.read_manifest(snapshots / current).get("sebelumnya"))
    others = [p for p in done if p.name not in protect]
    room = keep - sum(1 for p in done if p.name in protect)
    for old in others[:len(others) - max(room, 0)]:
        storage.remove_tree(old)
