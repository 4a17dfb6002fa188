"""The tables of one snapshot: read the input, score it, check it, write Parquet into the build dir.

`etl.publish` owns the snapshot's life (build directory, manifest, verification, pointer switch);
this module fills the build directory. The level rows are the bulk (18 M rows at 100× the demo),
so they take the shortest path there is:

1. the input (a CSV path, or a pandas/Arrow frame) is streamed once, typed, straight into the
   partitioned Parquet of `nilai_indikator` — no in-memory copy of the table;
2. one aggregate pass over the Parquet just written gives, per instansi-year, everything the
   checks need (row count, indicator bit mask, level range) *and* the weighted sum of every
   aspect (filtered sums: one group per instansi-year instead of one per aspect);
3. aspects, domains and the index follow from those sums (etl/sql/*.sql), on 1/47 of the rows.

Constant columns (`asal`, `sumber_id`) are written as DuckDB ENUM values: the Parquet writer then
stores a one-entry dictionary instead of hashing the same string 18 M times (files still read
back as VARCHAR). Rows carried over from the previous snapshot are copied as they are, beside
the new ones (`lama_*.parquet` next to `baru_*.parquet` in each year).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from domain.instrument import InstrumentRegistry
from domain.warehouse_layout import ASAL_COMPUTED, ASAL_PUBLISHED, TABLES

SQL_DIR = Path(__file__).parent / "sql"
Progress = Callable[[str], None]

INPUT_COLUMNS = {
    "new_levels": (("tahun", "integer"), ("instansi_id", "varchar"), ("instrument_id", "varchar"),
                   ("no_indikator", "integer"), ("level", "integer"), ("level_mandiri", "integer")),
    "new_pub_domains": (("tahun", "integer"), ("instansi_id", "varchar"), ("instrument_id", "varchar"),
                        ("no_domain", "integer"), ("nilai", "double")),
    "new_pub_index": (("tahun", "integer"), ("instansi_id", "varchar"), ("instrument_id", "varchar"),
                      ("indeks", "double"), ("predikat", "varchar")),
}
# marker in level_profile.sql replaced by one filtered sum per aspect/domain number of the instruments
SUMS_MARKER = "/* jumlah per aspek dan domain */"


class PublishError(RuntimeError):
    """The new snapshot failed its checks; nothing was published."""


def sql_text(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def weighted_sums(registry: InstrumentRegistry) -> str:
    """`sum(...) filter (where no_aspek = k) as aspek_k` for every aspect number in the registry,
    and the same per domain (SQL written here from the instruments' integers, no user text)."""
    out = []
    for unit, numbers in (("aspek", {a.no for ins in registry for a in ins.aspects}),
                          ("domain", {d.no for ins in registry for d in ins.domains})):
        out += [f"sum(l.level * w.bobot_milli) filter (where w.no_{unit} = {int(k)}) as {unit}_{int(k)}"
                for k in sorted(numbers)]
    return ",\n    ".join(out) + ","


def write_tables(con: duckdb.DuckDBPyConnection, build: Path, *, registry: InstrumentRegistry, sumber_id: str,
                 previous: Path | None, levels, domains, index, say: Progress) -> tuple[dict[str, int], int]:
    """Fill `build` with the score tables (new input + previous rows it does not replace) and the
    `sumber` table; reference tables must already be in `con`. Returns (rows per table written,
    instansi-years replaced). Raises PublishError when a check fails."""
    con.execute(f"create type asal_t as enum ('{ASAL_PUBLISHED}', '{ASAL_COMPUTED}')")
    con.execute("create type sumber_t as enum (select $sid::varchar)", {"sid": sumber_id})
    rows: dict[str, int] = {}

    say("menghitung aspek, domain dan indeks dari level indikator")
    level_dir = build / "nilai_indikator"
    level_dir.mkdir()
    n_new = _write_new_levels(con, level_dir, levels, sumber_id)
    for view, frame in (("new_pub_domains", domains), ("new_pub_index", index)):
        _register_small(con, view, frame, sumber_id)
    say("  input terdaftar")
    new_files = f"{level_dir}/*/baru_*.parquet"
    con.execute("create view new_levels as " + (
        f"select * from read_parquet('{new_files}', hive_partitioning = true)" if n_new
        else f"select {_typed_select('new_levels', set())} where false"))
    profile = sql_text("level_profile").replace(SUMS_MARKER, weighted_sums(registry))
    con.execute("create table level_profile as " + profile)
    con.execute("create table new_aspects as " + sql_text("aspect_scores"), {"sid": sumber_id})
    say("  aspek")
    con.execute("create table new_domains as " + sql_text("domain_scores"), {"sid": sumber_id})
    con.execute("create table new_index as " + sql_text("index_scores"), {"sid": sumber_id})

    # instansi-years this input covers
    con.execute("""
        create table covered as
        select distinct tahun::integer as tahun, instansi_id from level_profile
        union select distinct tahun::integer, instansi_id from new_pub_domains
        union select distinct tahun::integer, instansi_id from new_pub_index
    """)
    unknown = con.execute("select distinct instansi_id from covered anti join instansi using (instansi_id) "
                          "order by 1 limit 5").fetchall()
    if unknown:
        raise PublishError(f"instansi_id tidak ada di master: {[u[0] for u in unknown]}")
    replaced = con.execute("select count(*) from covered").fetchall()[0][0]

    say("menggabungkan dengan snapshot sebelumnya")
    has_old = {t: bool(previous) and any((previous / t).rglob("*.parquet")) for t in TABLES}
    new_rows = {
        "nilai_aspek": "select tahun, instansi_id, instrument_id, no_aspek, nilai, asal, sumber_id from new_aspects",
        "nilai_domain": "select tahun, instansi_id, instrument_id, no_domain, nilai, asal, sumber_id from new_domains "
                        "union all select tahun, instansi_id, instrument_id, no_domain, nilai, asal, sumber_id "
                        "from new_pub_domains",
        "indeks": "select tahun, instansi_id, instrument_id, indeks, predikat, asal, sumber_id from new_index "
                  "union all select tahun, instansi_id, instrument_id, indeks, predikat, asal, sumber_id "
                  "from new_pub_index",
    }
    for table, new in new_rows.items():
        cols = ", ".join(TABLES[table][0])
        view = f"select {cols} from ({new})"
        if has_old[table]:
            view += f" union all by name {_old_rows(previous, table)}"
        con.execute(f"create view {table} as {view}")
    prev_sources = (f"select * from read_parquet('{previous}/sumber/*.parquet') where sumber_id <> $sid"
                    if has_old["sumber"] else _empty("sumber"))
    con.execute("create table df_sumber_lama as " + prev_sources, {"sid": sumber_id} if has_old["sumber"] else None)

    say("memeriksa data baru")
    check(con)

    say("menulis Parquet")
    rows["nilai_indikator"] = n_new
    if has_old["nilai_indikator"]:  # the previous rows of instansi-years this input does not replace
        rows["nilai_indikator"] += con.execute(
            f"copy ({_old_rows(previous, 'nilai_indikator')}) to '{level_dir}' "
            "(format parquet, partition_by (tahun), compression zstd, filename_pattern 'lama_{i}', "
            "overwrite_or_ignore)").fetchall()[0][0]
    if not rows["nilai_indikator"]:  # no partitions were written: keep the schema in one empty file
        con.execute(f"copy ({_empty('nilai_indikator')}) to '{level_dir / 'kosong.parquet'}' (format parquet)")
    say(f"  nilai_indikator: {rows['nilai_indikator']} baris")
    for table in ("nilai_aspek", "nilai_domain", "indeks"):
        rows[table] = _write(con, build, table)
        say(f"  {table}: {rows[table]} baris")
    # sources still referenced by some index row, with their row counts
    con.execute("""
        create table sumber as
        select s.* exclude (jumlah_baris), c.n as jumlah_baris
        from (select * from df_sumber_baru union all by name select * from df_sumber_lama) s
        join (select sumber_id, count(*) as n from indeks group by all) c using (sumber_id)
    """)
    for table in TABLES:
        if table not in rows:
            rows[table] = _write(con, build, table)
            say(f"  {table}: {rows[table]} baris")
    return rows, replaced


def _write(con: duckdb.DuckDBPyConnection, build: Path, table: str) -> int:
    cols, partitioned = TABLES[table]
    target = build / table
    target.mkdir(exist_ok=True)
    select = f"select {', '.join(cols)} from {table}"
    if partitioned:  # COPY reports the rows it wrote: no separate counting scan
        n_rows = con.execute(f"copy ({select}) to '{target}' "
                             "(format parquet, partition_by (tahun), compression zstd)").fetchall()[0][0]
        if n_rows == 0:  # no partitions were written: keep the schema in one empty file
            con.execute(f"copy ({select}) to '{target / 'kosong.parquet'}' (format parquet)")
    else:
        n_rows = con.execute(f"copy ({select}) to '{target / 'data.parquet'}' "
                             "(format parquet, compression zstd)").fetchall()[0][0]
    return n_rows


def _old_rows(previous: Path, table: str) -> str:
    """The previous snapshot's rows of `table` outside the instansi-years the new input covers."""
    cols = ", ".join(TABLES[table][0])
    return (f"select {cols} from read_parquet('{previous / table}/**/*.parquet', hive_partitioning = true, "
            "union_by_name = true) anti join covered using (tahun, instansi_id)")


def _empty(table: str) -> str:
    cols, _ = TABLES[table]
    return "select " + ", ".join(f"null as {c}" for c in cols) + " where false"


def _typed_select(view: str, present: set[str]) -> str:
    return ", ".join(f"{c if c in present else 'null'}::{t} as {c}" for c, t in INPUT_COLUMNS[view])


def _write_new_levels(con: duckdb.DuckDBPyConnection, target: Path, frame, sumber_id: str) -> int:
    """Stream the input levels, typed, into `target/tahun=*/baru_*.parquet`; returns the row count."""
    consts = f", '{ASAL_PUBLISHED}'::asal_t as asal, $sid::sumber_t as sumber_id"
    copy_to = (f" to '{target}' (format parquet, partition_by (tahun), compression zstd, "
               "filename_pattern 'baru_{i}')")
    if isinstance(frame, (str, Path)):  # a clean CSV in the canonical columns: DuckDB reads it directly
        params = {"path": str(frame)}
        present = set(con.execute("describe select * from read_csv($path)", params).df()["column_name"])
        select = _typed_select("new_levels", present)
        return con.execute(f"copy (select {select}{consts} from read_csv($path)){copy_to}",
                           {**params, "sid": sumber_id}).fetchall()[0][0]
    if frame is None or not len(frame):
        return 0
    present = set(frame.column_names if hasattr(frame, "column_names") else frame.columns)
    con.register("df_new_levels", frame)
    try:
        select = _typed_select("new_levels", present)
        return con.execute(f"copy (select {select}{consts} from df_new_levels){copy_to}",
                           {"sid": sumber_id}).fetchall()[0][0]
    finally:
        con.unregister("df_new_levels")


def _register_small(con: duckdb.DuckDBPyConnection, view: str, frame, sumber_id: str) -> None:
    """Published domain/index rows (at most a few thousand) as a typed table; optional columns null."""
    consts = f", '{ASAL_PUBLISHED}'::asal_t as asal, $sid::sumber_t as sumber_id"
    if isinstance(frame, (str, Path)):
        params = {"path": str(frame), "sid": sumber_id}
        present = set(con.execute("describe select * from read_csv($path)", {"path": str(frame)}).df()["column_name"])
        select = _typed_select(view, present)
        con.execute(f"create table {view} as select {select}{consts} from read_csv($path)", params)
    elif frame is not None and len(frame):
        present = set(frame.column_names if hasattr(frame, "column_names") else frame.columns)
        con.register(f"df_{view}", frame)
        select = _typed_select(view, present)
        con.execute(f"create table {view} as select {select}{consts} from df_{view}", {"sid": sumber_id})
        con.unregister(f"df_{view}")
    else:
        select = _typed_select(view, set())
        con.execute(f"create table {view} as select {select}{consts} where false", {"sid": sumber_id})


def check(con: duckdb.DuckDBPyConnection) -> None:
    """Data-quality checks that fail the load (never fix anything).

    Rows carried over from the previous snapshot passed these checks when it was published; the
    new rows are checked here from `level_profile` (one aggregate pass over the new levels), and
    they cannot collide with old ones (anti-join on the covered instansi-years)."""
    checks = {
        "instrumen tidak dikenal": """
            select count(*) from (select distinct instrument_id from level_profile
                                  union select distinct instrument_id from new_pub_index
                                  union select distinct instrument_id from new_pub_domains) n
            anti join instrumen using (instrument_id)""",
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


def sources_frame(source) -> pd.DataFrame:
    return pd.DataFrame([{
        "sumber_id": source.sumber_id, "nama": source.nama, "jenis": source.jenis,
        "sintetis": source.sintetis, "berkas": source.berkas,
        "dimuat_pada": pd.Timestamp.now(tz="UTC").tz_localize(None), "jumlah_baris": 0,
    }])
