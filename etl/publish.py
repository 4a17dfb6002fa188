"""Publish a warehouse snapshot atomically.

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
    MANIFEST_FILE, POINTER_FILE, SNAPSHOT_DIR, TABLES, current_snapshot,
)

SQL_DIR = Path(__file__).parent / "sql"
REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
SCORE_TABLES = ("nilai_indikator", "nilai_aspek", "nilai_domain", "indeks")

Progress = Callable[[str], None]


class PublishError(RuntimeError):
    """The new snapshot failed its checks; nothing was published."""


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


def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _empty(table: str) -> str:
    cols, _ = TABLES[table]
    return "select " + ", ".join(f"null as {c}" for c in cols) + " where false"


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
        sources_now = pd.DataFrame([{
            "sumber_id": source.sumber_id, "nama": source.nama, "jenis": source.jenis,
            "sintetis": source.sintetis, "berkas": source.berkas,
            "dimuat_pada": pd.Timestamp.now(tz="UTC").tz_localize(None), "jumlah_baris": 0,
        }])
        con.register("df_sumber_baru", sources_now)

        say("menghitung aspek, domain dan indeks dari level indikator")
        _register_inputs(con, source.sumber_id, levels=levels, domains=domains, index=index)
        say("  input terdaftar")
        con.execute("create table new_aspects as " + _sql("aspect_scores"), {"sid": source.sumber_id})
        say("  aspek")
        con.execute("create table new_domains as " + _sql("domain_scores"), {"sid": source.sumber_id})
        con.execute("create table new_index as " + _sql("index_scores"), {"sid": source.sumber_id})

        # instansi-years this input covers
        con.execute("""
            create table covered as
            select distinct tahun::integer as tahun, instansi_id from new_levels
            union select distinct tahun::integer, instansi_id from new_pub_domains
            union select distinct tahun::integer, instansi_id from new_pub_index
        """)
        unknown = con.execute("select distinct instansi_id from covered anti join instansi using (instansi_id) limit 5").fetchall()
        if unknown:
            raise PublishError(f"instansi_id tidak ada di master: {[u[0] for u in unknown]}")

        say("menggabungkan dengan snapshot sebelumnya")
        new_rows = {
            "nilai_indikator": "select tahun, instansi_id, instrument_id, no_indikator, level, level_mandiri, "
                               "'dipublikasikan' as asal, src.sumber_id from new_levels cross join (select sumber_id from df_sumber_baru) as src",
            "nilai_aspek": "select tahun, instansi_id, instrument_id, no_aspek, nilai, asal, sumber_id from new_aspects",
            "nilai_domain": "select tahun, instansi_id, instrument_id, no_domain, nilai, asal, sumber_id from new_domains "
                            "union all select tahun, instansi_id, instrument_id, no_domain, nilai, 'dipublikasikan', sumber_id from new_pub_domains",
            "indeks": "select tahun, instansi_id, instrument_id, indeks, predikat, asal, sumber_id from new_index "
                      "union all select i.tahun, i.instansi_id, i.instrument_id, i.indeks, i.predikat, 'dipublikasikan', i.sumber_id from new_pub_index i",
        }
        for table in SCORE_TABLES:
            cols = ", ".join(TABLES[table][0])
            has_old = bool(previous) and any((previous / table).rglob("*.parquet"))
            # a view: the (union with the carried-over rows is) streamed once into the Parquet writer
            view = f"select {cols} from ({new_rows[table]})"
            if has_old:
                view += (f" union all by name select {cols} from read_parquet('{previous / table}/**/*.parquet', "
                         "hive_partitioning = true, union_by_name = true) anti join covered using (tahun, instansi_id)")
            con.execute(f"create view {table} as {view}")
        prev_sources = (f"select * from read_parquet('{previous}/sumber/*.parquet') where sumber_id <> $sid"
                        if previous and (previous / "sumber").exists() else _empty("sumber"))
        con.execute(f"create table sumber as select * from df_sumber_baru union all by name ({prev_sources})",
                    {"sid": source.sumber_id} if previous and (previous / "sumber").exists() else None)
        # keep only sources still referenced; count their rows
        con.execute("""
            create or replace table sumber as
            select s.* exclude (jumlah_baris), coalesce(c.n, 0) as jumlah_baris
            from sumber s
            join (select sumber_id, count(*) as n from indeks group by all) c using (sumber_id)
        """)
        replaced = con.execute("select count(*) from covered").fetchall()[0][0]

        say("memeriksa data baru")
        _check(con)

        say("menulis Parquet")
        manifest = {"snapshot_id": snap_id, "dibuat": datetime.now(timezone.utc).isoformat(),
                    "sebelumnya": published.name if published else None, "tables": {}, "files": {}}
        for table, (cols, partitioned) in TABLES.items():
            target = build / table
            target.mkdir()
            select = f"select {', '.join(cols)} from {table}"
            if partitioned:  # COPY reports the rows it wrote: no separate counting scan
                n_rows = con.execute(f"copy ({select}) to '{target}' "
                                     "(format parquet, partition_by (tahun), compression zstd)").fetchall()[0][0]
                if n_rows == 0:  # no partitions were written: keep the schema in one empty file
                    con.execute(f"copy ({select}) to '{target / 'kosong.parquet'}' (format parquet)")
            else:
                n_rows = con.execute(f"copy ({select}) to '{target / 'data.parquet'}' "
                                     "(format parquet, compression zstd)").fetchall()[0][0]
            manifest["tables"][table] = {"rows": n_rows}
            say(f"  {table}: {n_rows} baris")
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


INPUT_COLUMNS = {
    "new_levels": (("tahun", "integer"), ("instansi_id", "varchar"), ("instrument_id", "varchar"),
                   ("no_indikator", "integer"), ("level", "integer"), ("level_mandiri", "integer")),
    "new_pub_domains": (("tahun", "integer"), ("instansi_id", "varchar"), ("instrument_id", "varchar"),
                        ("no_domain", "integer"), ("nilai", "double")),
    "new_pub_index": (("tahun", "integer"), ("instansi_id", "varchar"), ("instrument_id", "varchar"),
                      ("indeks", "double"), ("predikat", "varchar")),
}


def _register_inputs(con: duckdb.DuckDBPyConnection, sumber_id: str, **frames) -> None:
    """Expose the input frames (pandas or Arrow) as typed tables; optional columns become null.
    The (large) level table carries no per-row source column: it is added as a constant on write."""
    for (view, columns), frame in zip(INPUT_COLUMNS.items(), (frames["levels"], frames["domains"], frames["index"])):
        sid_col = "" if view == "new_levels" else ", $sid::varchar as sumber_id"
        sid_par = None if view == "new_levels" else {"sid": sumber_id}
        if isinstance(frame, (str, Path)):  # a clean CSV in the canonical columns: DuckDB reads it directly
            present = set(con.execute("describe select * from read_csv($path)", {"path": str(frame)}).df()["column_name"])
            select = ", ".join(f"{c if c in present else 'null'}::{t} as {c}" for c, t in columns)
            con.execute(f"create table {view} as select {select}{sid_col} from read_csv($path)",
                        {"path": str(frame), **(sid_par or {})})
        elif frame is not None and len(frame):
            present = set(frame.column_names if hasattr(frame, "column_names") else frame.columns)
            con.register(f"df_{view}", frame)
            select = ", ".join(f"{c if c in present else 'null'}::{t} as {c}" for c, t in columns)
            con.execute(f"create table {view} as select {select}{sid_col} from df_{view}", sid_par)
            con.unregister(f"df_{view}")
        else:
            select = ", ".join(f"null::{t} as {c}" for c, t in columns)
            none = "" if view == "new_levels" else ", null::varchar as sumber_id"
            con.execute(f"create table {view} as select {select}{none} where false")


def _check(con: duckdb.DuckDBPyConnection) -> None:
    """Data-quality checks that fail the load (never fix anything)."""
    # rows carried over from the previous snapshot passed these checks when it was published;
    # the new rows are checked here (one aggregate pass over the levels), and they cannot collide
    # with old ones (anti-join on the covered instansi-years)
    con.execute("""
        create temp table level_profile as
        select tahun, instansi_id, instrument_id,
            count(*) as n, bit_or(1::hugeint << no_indikator) as present,
            min(level) as lo, max(level) as hi,
            min(level_mandiri) as mlo, max(level_mandiri) as mhi,
        from new_levels group by all
    """)
    checks = {
        "level di luar skala instrumen": """
            select count(*) from level_profile
            where lo < 1 or hi > 5 or mlo < 1 or mhi > 5""",
        "instrumen tidak sesuai tahun": """
            select count(*) from (select distinct tahun, instrument_id from level_profile
                                  union select distinct tahun, instrument_id from new_pub_index) n
            join instrumen i using (instrument_id)
            where n.tahun < i.tahun_mulai or n.tahun > coalesce(i.tahun_akhir, 9999)""",
        "set indikator tidak lengkap atau ganda": """
            select count(*) from level_profile x
            join (select instrument_id, count(*) as k, bit_or(1::hugeint << no_indikator) as expected
                  from instrumen_indikator group by all) y using (instrument_id)
            where x.n <> y.k or x.present <> y.expected""",  # k rows covering k distinct indicators: each once
        "indeks ganda per instansi-tahun": """
            select count(*) from (select tahun, instansi_id, count(*) c from
                (select tahun, instansi_id from new_index union all select tahun, instansi_id from new_pub_index)
                group by all having c > 1)""",
        "indeks tanpa predikat": "select count(*) from new_index where indeks is not null and predikat is null",
    }
    for label, sql in checks.items():
        bad = con.execute(sql).fetchall()[0][0]
        if bad:
            raise PublishError(f"pemeriksaan gagal: {label} ({bad} kasus); snapshot tidak dipublikasikan")


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
