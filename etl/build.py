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
the new ones (`lama.parquet` next to `baru.parquet`).

The level table is one file per batch, not partitioned by year (see `TABLES`): its rows keep the
input's order (by year in every input we have), so Parquet row-group statistics on `tahun` let
DuckDB skip other years, and the build avoids the partitioned writer's extra pass.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from domain.instrument import InstrumentRegistry
from domain.scoring import row_sets, weight_numerator, weight_scale
from domain.storage import sql_path
from domain.warehouse_layout import ASAL_COMPUTED, ASAL_PUBLISHED, TABLES

SQL_DIR = Path(__file__).parent / "sql"
Progress = Callable[[str], None]

INPUT_COLUMNS = {
    "new_levels": (("tahun", "integer"), ("instansi_id", "varchar"), ("instrument_id", "varchar"),
                   ("no_indikator", "integer"), ("level", "integer"), ("level_mandiri", "integer")),
    "new_pub_domains": (("tahun", "integer"), ("instansi_id", "varchar"), ("instrument_id", "varchar"),
                        ("no_domain", "integer"), ("nilai", "double")),
    "new_pub_aspects": (("tahun", "integer"), ("instansi_id", "varchar"), ("instrument_id", "varchar"),
                        ("no_aspek", "integer"), ("nilai", "double")),
    "new_pub_index": (("tahun", "integer"), ("instansi_id", "varchar"), ("instrument_id", "varchar"),
                      ("indeks", "double"), ("predikat", "varchar")),
}
# markers in level_profile.sql, replaced by SQL written from the instrument registry
LOOKUP_MARKER = "/* bobot dan aspek per indikator */"
SUMS_MARKER = "/* jumlah per aspek */"
ROLLUP_MARKER = "/* jumlah per domain dan total */"


class PublishError(RuntimeError):
    """The new snapshot failed its checks; nothing was published."""


def sql_text(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _quoted(ins) -> str:
    return "'" + ins.id.replace("'", "''") + "'"


def indicator_lookup(registry: InstrumentRegistry) -> str:
    """`bobot_skala` and `no_aspek` of each level row (sector rows included): per instrument a list
    indexed by the indicator number (domain.scoring.weight_numerator × weight_scale as integers; null
    outside the instrument). Written from the registry's numbers; ids are quoted as SQL strings."""
    scale = weight_scale(registry)
    cols = {"bobot_skala": lambda ins, i: int(weight_numerator(ins, i.no) * scale),
            "no_aspek": lambda ins, i: int(i.no_aspek)}
    out = []
    for col, value in cols.items():
        arms = []
        for ins in registry:
            top = max(r.no for r in ins.rows)
            cells = ["null"] * top
            for ind in ins.rows:
                cells[ind.no - 1] = str(value(ins, ind))
            arms.append(f"when {_quoted(ins)} then case when l.no_indikator between 1 and {int(top)} "
                        f"then [{', '.join(cells)}][l.no_indikator] end")
        out.append(f"case l.instrument_id {' '.join(arms)} end as {col}")
    return ",\n        ".join(out) + ","


def aspect_sums(registry: InstrumentRegistry) -> str:
    """`sum(...) filter (where no_aspek = k) as aspek_k` for every aspect number in the registry; in
    instruments where aspect k is a mean of its rows ('rerata'), divided by its row count (exact:
    weight_scale makes it so)."""
    out = []
    for k in sorted({a.no for ins in registry for a in ins.aspects}):
        total = f"sum(level * bobot_skala) filter (where no_aspek = {int(k)})"
        mean_in = ", ".join(_quoted(ins) for ins in registry if k in ins.rerata)
        if mean_in:
            total = (f"case when instrument_id in ({mean_in}) "
                     f"then {total} // count(*) filter (where no_aspek = {int(k)}) else {total} end")
        out.append(f"{total} as aspek_{int(k)}")
    return ",\n        ".join(out) + ","


def domain_sums(registry: InstrumentRegistry) -> str:
    """`domain_k` = the sum of its aspects' sums, and `jumlah_total` = all aspect sums, per instrument."""
    out = []
    for k in sorted({d.no for ins in registry for d in ins.domains}):
        arms = [f"when {_quoted(ins)} then " + " + ".join(f"aspek_{int(a.no)}" for a in ins.aspects if a.no_domain == k)
                for ins in registry if any(a.no_domain == k for a in ins.aspects)]
        out.append(f"case instrument_id {' '.join(arms)} end as domain_{int(k)}")
    arms = [f"when {_quoted(ins)} then " + " + ".join(f"aspek_{int(a.no)}" for a in ins.aspects) for ins in registry]
    out.append(f"case instrument_id {' '.join(arms)} end as jumlah_total")
    out.append(f"{int(weight_scale(registry))}::bigint as skala_bobot")
    return ",\n    ".join(out) + ","


def row_set_check(registry: InstrumentRegistry) -> str:
    """Instansi-years whose indicator rows are not a set their instrument scores for the instansi's
    kategori (domain.scoring.row_sets: the indicators, plus complete sector groups for pemda)."""
    arms = []
    for ins in registry:
        sets = []
        for rows, kategori in row_sets(ins):
            cond = f"x.n = {len(rows)} and x.present = '{sum(1 << no for no in rows)}'::hugeint"
            if kategori is not None:
                cond += " and m.kategori_ringkas in (" + ", ".join(
                    "'" + k.replace("'", "''") + "'" for k in sorted(kategori)) + ")"
            sets.append(f"({cond})")
        arms.append(f"when {_quoted(ins)} then {' or '.join(sets)}")
    allowed = "case x.instrument_id " + " ".join(arms) + " end"  # ids and kategori quoted above, integers
    return ("select count(*) from level_profile x left join instansi m using (instansi_id) "
            "where not coalesce(" + allowed + ", false)")


def level_profile_sql(registry: InstrumentRegistry) -> str:
    return (sql_text("level_profile").replace(LOOKUP_MARKER, indicator_lookup(registry))
            .replace(SUMS_MARKER, aspect_sums(registry)).replace(ROLLUP_MARKER, domain_sums(registry)))


def write_tables(con: duckdb.DuckDBPyConnection, build: Path, *, registry: InstrumentRegistry, sumber_id: str,
                 previous: Path | None, levels, domains, index, say: Progress,
                 notes: pd.DataFrame | None = None, aspects=None) -> tuple[dict[str, int], int]:
    """Fill `build` with the score tables (new input + previous rows it does not replace) and the
    `sumber` table; reference tables must already be in `con`. Returns (rows per table written,
    instansi-years replaced). Raises PublishError when a check fails."""
    con.execute(f"create type asal_t as enum ('{ASAL_PUBLISHED}', '{ASAL_COMPUTED}')")
    con.execute("create type sumber_t as enum (select $sid::varchar)", {"sid": sumber_id})
    # the new input's source id as a constant of that one-value ENUM (usable in views: no parameter)
    con.execute("create macro sumber_baru() as enum_first(null::sumber_t)::sumber_t")

    say("menghitung aspek, domain dan indeks dari level indikator")
    level_dir = build / "nilai_indikator"
    level_dir.mkdir()
    n_new = _write_new_levels(con, level_dir, levels)
    for view, frame in (("new_pub_domains", domains), ("new_pub_index", index), ("new_pub_aspects", aspects)):
        _register_small(con, view, frame)
    say("  input terdaftar")
    new_files = sql_path(level_dir / "baru.parquet")  # paths reach SQL only quoted (domain.storage)
    con.execute("create view new_levels as " + (
        f"select * from read_parquet({new_files})" if n_new
        else f"select {_typed_select('new_levels', set())} where false"))
    con.execute("create table level_profile as " + level_profile_sql(registry))
    say("  aspek")  # aspects and domains (3 M + 1.5 M rows at 100×) stream into their Parquet later
    con.execute("create view new_aspects as " + sql_text("aspect_scores"))
    con.execute("create view new_domains as " + sql_text("domain_scores"))
    con.execute("create table new_index as " + sql_text("index_scores"))

    # instansi-years this input covers
    con.execute("""
        create table covered as
        select distinct tahun::integer as tahun, instansi_id from level_profile
        union select distinct tahun::integer, instansi_id from new_pub_domains
        union select distinct tahun::integer, instansi_id from new_pub_index
        union select distinct tahun::integer, instansi_id from new_pub_aspects
    """)
    unknown = con.execute("select distinct instansi_id from covered anti join instansi using (instansi_id) "
                          "order by 1 limit 5").fetchall()
    if unknown:
        raise PublishError(f"instansi_id tidak ada di master: {[u[0] for u in unknown]}")
    replaced = con.execute("select count(*) from covered").fetchall()[0][0]

    say("menggabungkan dengan snapshot sebelumnya")
    has_old = {t: bool(previous) and any((previous / t).rglob("*.parquet")) for t in TABLES}
    _merge_views(con, previous, has_old, notes, sumber_id)

    say("memeriksa data baru")
    check(con, registry)

    say("menulis Parquet")
    rows = _write_all(con, build, previous, has_old, n_new, say)
    return rows, replaced


def _merge_views(con: duckdb.DuckDBPyConnection, previous: Path | None, has_old: dict[str, bool],
                 notes: pd.DataFrame | None, sumber_id: str) -> None:
    """Views of the score tables and notes (new rows + the previous snapshot's rows this input does
    not replace) and the previous sources other than this input's."""
    new_rows = {
        "nilai_aspek": "select tahun, instansi_id, instrument_id, no_aspek, nilai, asal, sumber_id from new_aspects "
                       "union all select tahun, instansi_id, instrument_id, no_aspek, nilai, asal, sumber_id "
                       "from new_pub_aspects",
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
    _notes_view(con, notes, previous if has_old["catatan"] else None)
    glob = sql_path(previous / "sumber" / "*.parquet") if has_old["sumber"] else ""
    prev_sources = (f"select * from read_parquet({glob}) where sumber_id <> $sid"
                    if has_old["sumber"] else _empty("sumber"))
    con.execute("create table df_sumber_lama as " + prev_sources, {"sid": sumber_id} if has_old["sumber"] else None)


def _write_all(con: duckdb.DuckDBPyConnection, build: Path, previous: Path | None, has_old: dict[str, bool],
               n_new: int, say: Progress) -> dict[str, int]:
    """Write every table of the snapshot into `build`; returns the rows written per table."""
    rows: dict[str, int] = {}
    level_dir = build / "nilai_indikator"
    rows["nilai_indikator"] = n_new
    if has_old["nilai_indikator"]:  # the previous rows of instansi-years this input does not replace
        target = sql_path(level_dir / "lama.parquet")
        rows["nilai_indikator"] += con.execute(
            f"copy ({_old_rows(previous, 'nilai_indikator')}) to {target} "
            "(format parquet, compression zstd)").fetchall()[0][0]
    if not any(level_dir.iterdir()):  # no input levels, none carried over: keep the schema in one empty file
        target = sql_path(level_dir / "kosong.parquet")
        con.execute(f"copy ({_empty('nilai_indikator')}) to {target} (format parquet)")
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
    return rows


def _notes_view(con: duckdb.DuckDBPyConnection, notes: pd.DataFrame | None, previous: Path | None) -> None:
    """`catatan`: this input's validation notes (tahun, instansi_id, kolom, nilai, alasan) plus the
    previous snapshot's notes on instansi-years this input does not replace."""
    cols = [c for c in TABLES["catatan"][0] if c != "sumber_id"]
    frame = notes if notes is not None and len(notes) else pd.DataFrame(columns=cols)
    con.register("df_catatan_baru", frame[cols].astype({"tahun": "int64"}).astype(
        {c: "string" for c in cols if c != "tahun"}))
    view = ("select tahun::integer as tahun, instansi_id::varchar as instansi_id, kolom::varchar as kolom, "
            "nilai::varchar as nilai, alasan::varchar as alasan, sumber_baru()::varchar as sumber_id "
            "from df_catatan_baru")
    if previous is not None:
        view += f" union all by name {_old_rows(previous, 'catatan')}"
    con.execute(f"create view catatan as {view}")


def _write(con: duckdb.DuckDBPyConnection, build: Path, table: str) -> int:
    cols, partitioned = TABLES[table]
    folder = build / table
    folder.mkdir(exist_ok=True)
    select = f"select {', '.join(cols)} from {table}"
    if partitioned:  # COPY reports the rows it wrote: no separate counting scan
        target = sql_path(folder)
        n_rows = con.execute(f"copy ({select}) to {target} "
                             "(format parquet, partition_by (tahun), compression zstd)").fetchall()[0][0]
        if n_rows == 0:  # no partitions were written: keep the schema in one empty file
            target = sql_path(folder / "kosong.parquet")
            con.execute(f"copy ({select}) to {target} (format parquet)")
    else:
        target = sql_path(folder / "data.parquet")
        n_rows = con.execute(f"copy ({select}) to {target} "
                             "(format parquet, compression zstd)").fetchall()[0][0]
    return n_rows


def _old_rows(previous: Path, table: str) -> str:
    """The previous snapshot's rows of `table` outside the instansi-years the new input covers."""
    cols = ", ".join(TABLES[table][0])
    glob = sql_path(previous / table / "**" / "*.parquet")
    return (f"select {cols} from read_parquet({glob}, hive_partitioning = true, "
            "union_by_name = true) anti join covered using (tahun, instansi_id)")


def _empty(table: str) -> str:
    cols, _ = TABLES[table]
    return "select " + ", ".join(f"null as {c}" for c in cols) + " where false"


def _typed_select(view: str, present: set[str]) -> str:
    return ", ".join(f"{c if c in present else 'null'}::{t} as {c}" for c, t in INPUT_COLUMNS[view])


CONSTS = f", '{ASAL_PUBLISHED}'::asal_t as asal, sumber_baru() as sumber_id"


def _from_input(con: duckdb.DuckDBPyConnection, view: str, frame, make: str) -> int:
    """Run `make` (SQL ending in `select`) over the typed input rows of `view` plus the constant
    columns: a CSV path is read by DuckDB directly, a pandas/Arrow frame is scanned in place, no
    input gives no rows. Returns the first value of the result (COPY: the rows written)."""
    params = {}
    if isinstance(frame, (str, Path)):  # a clean CSV in the canonical columns
        params = {"path": str(frame)}
        present = set(con.execute("describe select * from read_csv($path)", params).df()["column_name"])
        source = " from read_csv($path)"
    elif frame is not None and len(frame):
        present = set(frame.column_names if hasattr(frame, "column_names") else frame.columns)
        con.register(f"df_{view}", frame)
        source = f" from df_{view}"
    else:
        present, source = set(), " where false"
    try:
        select = _typed_select(view, present)
        result = con.execute(make.replace("{rows}", f"select {select}{CONSTS}{source}"), params or None).fetchall()
        return result[0][0] if result else 0
    finally:
        if source.startswith(" from df_"):
            con.unregister(f"df_{view}")


def _write_new_levels(con: duckdb.DuckDBPyConnection, target: Path, frame) -> int:
    """Stream the input levels, typed, into `target/baru.parquet`; returns the row count."""
    if not isinstance(frame, (str, Path)) and (frame is None or not len(frame)):
        return 0
    new_files = sql_path(target / "baru.parquet")
    return _from_input(con, "new_levels", frame, f"copy ({{rows}}) to {new_files} "
                                                  "(format parquet, compression zstd)")


def _register_small(con: duckdb.DuckDBPyConnection, view: str, frame) -> None:
    """Published domain/aspect/index rows (a few thousand) as a typed table; optional columns null."""
    _from_input(con, view, frame, f"create table {view} as {{rows}}")


def check(con: duckdb.DuckDBPyConnection, registry: InstrumentRegistry) -> None:
    """Data-quality checks that fail the load (never fix anything).

    Rows carried over from the previous snapshot passed these checks when it was published; the
    new rows are checked here from `level_profile` (one aggregate pass over the new levels), and
    they cannot collide with old ones (anti-join on the covered instansi-years)."""
    checks = {
        "instrumen tidak dikenal": """
            select count(*) from (select distinct instrument_id from level_profile
                                  union select distinct instrument_id from new_pub_index
                                  union select distinct instrument_id from new_pub_domains
                                  union select distinct instrument_id from new_pub_aspects) n
            anti join instrumen using (instrument_id)""",
        "aspek tidak ada di instrumennya": """
            select count(*) from new_pub_aspects
            anti join (select distinct instrument_id, no_aspek from instrumen_indikator) using (instrument_id, no_aspek)""",
        "level di luar skala instrumen": """
            select count(*) from level_profile join instrumen as i using (instrument_id)
            where lo < i.level_min or hi > i.level_max or mlo < i.level_min or mhi > i.level_max""",
        "instrumen tidak sesuai tahun": """
            select count(*) from (select distinct tahun, instrument_id from level_profile
                                  union select distinct tahun, instrument_id from new_pub_index) n
            join instrumen i using (instrument_id)
            where n.tahun < i.tahun_mulai or n.tahun > coalesce(i.tahun_akhir, 9999)""",
        # k rows covering k distinct indicators of an allowed set: each once
        "set indikator tidak lengkap atau ganda": row_set_check(registry),
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
