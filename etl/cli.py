"""`python -m etl` — build, import, score and query the SPBE warehouse.

Exit codes: 0 done/published, 1 input rejected (report printed), 2 usage error.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from domain.warehouse_layout import warehouse_dir


def _progress(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def cmd_demo(args: argparse.Namespace) -> int:
    from etl.demo_publish import publish_demo

    root = warehouse_dir(args.warehouse)
    _progress(f"membangkitkan dan memublikasikan data demo SINTETIS (skala {args.scale}×, seed {args.seed})")
    result = publish_demo(root, scale=args.scale, seed=args.seed, progress=_progress)
    print(json.dumps({"snapshot": result.snapshot_id, "warehouse": str(root), "rows": result.rows,
                      "detik": round(result.seconds, 2)}, ensure_ascii=False))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Read, validate, judge and publish ONE snapshot (etl/cli_import.py)."""
    from etl.cli_import import cmd_import as run

    return run(args)


def cmd_score(args: argparse.Namespace) -> int:
    from domain.instrument import load_registry
    from domain.scoring import score_levels
    from etl.readers import InputError, read_path

    try:
        parsed = read_path(args.path, tahun=args.tahun, instansi=args.instansi)
    except InputError as exc:
        print(json.dumps({"ok": False, "galat": str(exc)}, ensure_ascii=False) if args.json else f"DITOLAK: {exc}")
        return 1
    if parsed.levels is None or not parsed.report.ok:
        payload = {"ok": False, **parsed.report.to_dict()}
        print(json.dumps(payload, ensure_ascii=False, default=str) if args.json else parsed.report.format_text())
        return 1
    registry = load_registry()
    out = []
    for (tahun, iid), grp in parsed.levels.groupby(["tahun", "instansi_id"], sort=True):
        ins = registry.for_year(int(tahun))
        s = score_levels(ins, {int(r.no_indikator): int(r.level) for r in grp.itertuples()})
        out.append({
            "tahun": int(tahun), "instansi_id": iid, "instrumen": ins.id, "indeks": s.indeks,
            "predikat": s.predikat,
            "domain": {ins.domain(k).kode: v for k, v in s.domain_rounded().items()},
            "aspek": {ins.aspect(k).kode: v for k, v in s.aspek_rounded().items()},
        })
    if args.json:
        print(json.dumps({"ok": True, "berkas": str(args.path), "hasil": out,
                          "peringatan": parsed.report.to_dict().get("issues", [])}, ensure_ascii=False, default=str))
    else:
        for r in out:
            print(f"{r['tahun']} {r['instansi_id']}: indeks {r['indeks']:.2f} ({r['predikat']}); "
                  f"domain {r['domain']}; aspek {r['aspek']}")
    return 0


def _coerce(value: str):
    if "," in value and not value.replace(",", "").replace(".", "").isdigit():
        return [v for v in value.split(",") if v]
    for cast in (int, float):
        try:
            return cast(value)
        except ValueError:
            pass
    return value


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    from queries.gateway import NoSnapshotError, QueryError, Warehouse, query_params

    params = {}
    for item in args.param or []:
        if "=" not in item:
            print(f"--param harus berbentuk key=value, bukan '{item}'", file=sys.stderr)
            return 2
        key, value = item.split("=", 1)
        params[key] = _coerce(value)
    try:
        for key in query_params(args.name):  # list parameters accept a single value too
            if key.endswith("_ids") and key in params and not isinstance(params[key], list):
                params[key] = [str(params[key])]
        df = Warehouse(args.warehouse).run(args.name, **params)
    except (QueryError, NoSnapshotError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except duckdb.ConversionException as exc:  # a value of the wrong type for a parameter (never SQL)
        print(f"kueri {args.name}: nilai parameter tidak sesuai tipenya ({str(exc).splitlines()[0]})", file=sys.stderr)
        return 2
    if args.format == "json":
        print(df.to_json(orient="records", force_ascii=False, date_format="iso", indent=1))
    else:
        from domain.spreadsheet import neutralise_frame  # = + - @ cells as the dashboard's CSV/XLSX exports

        sys.stdout.write(neutralise_frame(df).to_csv(index=False))
    return 0


# --- report: Lembar RPJMD per instansi (briefs/) -----------------------------------------------
def cmd_report(args: argparse.Namespace) -> int:
    from briefs.batch import OutputExistsError, SelectionError, progress_bar, run_batch, select_instansi
    from queries.gateway import NoSnapshotError, Warehouse

    formats = tuple(f.strip().lower() for f in args.format.split(",") if f.strip())
    if not formats or any(f not in ("docx", "pdf") for f in formats):
        print(f"--format harus docx, pdf atau docx,pdf, bukan '{args.format}'", file=sys.stderr)
        return 2
    try:
        wh = Warehouse(args.warehouse)
    except NoSnapshotError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    try:
        chosen = select_instansi(wh, args.year, provinsi=args.provinsi, instansi=args.instansi)
    except SelectionError as exc:
        print(f"Tidak ada lembar yang dibuat: {exc}", file=sys.stderr)
        return 1
    _progress(f"{len(chosen)} instansi, tahun {args.year}, format {','.join(formats)} → {args.out}")
    try:
        result = run_batch(wh, args.year, chosen, args.out, formats, progress=progress_bar(), overwrite=args.overwrite)
    except (OutputExistsError, OSError) as exc:  # nothing written: existing files/symlinks, or an unusable --out
        print(f"Tidak ada lembar yang dibuat: {exc}", file=sys.stderr)
        return 1
    for iid, reason in result.failed:
        print(f"GAGAL {iid}: {reason}", file=sys.stderr)
    summary = {"instansi": result.instansi, "berkas": len(result.files), "gagal": len(result.failed),
               "detik": round(result.seconds, 1), "lembar_per_menit": round(result.per_minute, 1),
               "folder": str(args.out)}
    print(json.dumps(summary, ensure_ascii=False))
    return 1 if result.failed or not result.files else 0


# --- plan: least-effort RPJMD plan from an LHE or indicator-level file (domain.planner) ----------
def cmd_plan(args: argparse.Namespace) -> int:
    from domain.instrument import load_registry
    from domain.plan_report import cost_text
    from domain.planner import PlanError, make_plan, targets_from_spec
    from etl.readers import InputError, read_path

    try:
        parsed = read_path(args.path, tahun=args.tahun, instansi=args.instansi)
    except InputError as exc:
        print(json.dumps({"ok": False, "galat": str(exc)}, ensure_ascii=False) if args.json else f"DITOLAK: {exc}")
        return 1
    if parsed.levels is None or parsed.levels.empty or not parsed.report.ok:
        payload = {"ok": False, **parsed.report.to_dict()}
        print(json.dumps(payload, ensure_ascii=False, default=str) if args.json else
              (parsed.report.format_text() or "DITOLAK: berkas tidak memuat level indikator"))
        return 1
    sets = parsed.levels.groupby(["tahun", "instansi_id"], sort=True)
    if sets.ngroups > 1:
        print("berkas memuat beberapa instansi-tahun (" + ", ".join(f"{i} {t}" for t, i in sets.groups) +
              "); rencana dibuat untuk satu: pisahkan berkasnya", file=sys.stderr)
        return 2
    (tahun, iid), grp = next(iter(sets))
    ins = load_registry().for_year(int(tahun))
    try:
        locked = [int(n) for n in (args.lock or "").split(",") if n.strip()]
        plan = make_plan(ins, {int(r.no_indikator): int(r.level) for r in grp.itertuples()},
                         targets_from_spec(ins, args.targets), max_step=args.max_step, locked=locked,
                         start_year=args.start_year, jadwal=args.jadwal, level_costs=args.biaya,
                         prioritas_level_target=not args.tanpa_prioritas_level_target)
    except (PlanError, ValueError) as exc:
        print(f"rencana tidak dapat dibuat: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"berkas": str(args.path), "instansi_id": iid, "tahun_penilaian": int(tahun),
                          **plan.to_dict()}, ensure_ascii=False))
    else:
        print(f"{iid} {int(tahun)}: indeks {plan.start_index:.2f}; jadwal {plan.jadwal}; upaya total {plan.total_effort:g}")
        print(f"  {cost_text(plan)}" + (f" Indikator di bawah level {plan.target_level} didahulukan."
                                          if plan.target_level else ""))
        for y in plan.years:
            target = "" if y.target is None else f" (target {y.target:.2f}{'' if y.met else ', TIDAK tercapai'})"
            print(f"  {y.year}: {y.index:.2f} {y.predikat}{target}; naik: {', '.join(map(str, y.raise_)) or '-'}")
        for note in plan.notes:
            print(f"  catatan: {note}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m etl", description="Gudang data SPBE: bangun, impor, hitung, kueri.")
    p.add_argument("--warehouse", help="lokasi gudang data (bawaan: $SPBE_WAREHOUSE atau data/warehouse)")
    sub = p.add_subparsers(dest="command", required=True)
    _add_demo(sub)
    _add_import(sub)
    _add_score(sub)
    _add_query(sub)
    _add_report(sub)
    _add_plan(sub)

    from etl import cli_official
    cli_official.register(sub)

    from etl import cli_snapshots
    cli_snapshots.register(sub)

    from etl import cli_sync
    cli_sync.register(sub)
    return p


def _add_demo(sub) -> None:
    d = sub.add_parser("demo", help="bangun gudang data demo (SINTETIS)")
    d.add_argument("--scale", type=int, default=1, help="faktor skala (1, 10, 100)")
    d.add_argument("--seed", type=int, default=None)
    d.set_defaults(func=cmd_demo)


def _add_import(sub) -> None:
    i = sub.add_parser("import", help="deteksi, validasi dan publikasikan berkas")
    i.add_argument("paths", nargs="+", type=Path)
    i.add_argument("--dry-run", action="store_true", help="validasi dan tampilkan apa yang akan diganti; jangan publikasikan")
    i.add_argument("--json", action="store_true", help="laporan sebagai JSON")
    i.add_argument("--tahun", type=int, help="tahun bila berkas tidak memuatnya")
    i.add_argument("--instansi", help="instansi (id, kode wilayah atau nama) bila berkas tidak memuatnya")
    i.add_argument("--limit", type=int, default=50, help="baris laporan yang dicetak")
    from etl.cli_import import add_import_flags
    add_import_flags(i)
    i.set_defaults(func=cmd_import)


def _add_score(sub) -> None:
    s = sub.add_parser("score", help="hitung indeks dari berkas level indikator atau LHE (tanpa publikasi)")
    s.add_argument("path", type=Path)
    s.add_argument("--json", action="store_true")
    s.add_argument("--tahun", type=int)
    s.add_argument("--instansi")
    s.set_defaults(func=cmd_score)


def _add_query(sub) -> None:
    q = sub.add_parser("query", help="jalankan kueri bernama dari queries/*.sql")
    q.add_argument("name")
    q.add_argument("--param", action="append", metavar="KEY=VALUE")
    q.add_argument("--format", choices=("csv", "json"), default="csv")
    q.set_defaults(func=cmd_query)


def _add_report(sub) -> None:
    r = sub.add_parser("report", help="Lembar RPJMD (DOCX/PDF) per instansi untuk satu tahun")
    r.add_argument("--year", type=int, required=True, help="tahun evaluasi")
    who = r.add_mutually_exclusive_group(required=True)
    who.add_argument("--provinsi", help="nama atau kode provinsi: semua kabupaten/kota di dalamnya")
    who.add_argument("--instansi", nargs="+", metavar="ID", help="id, kode wilayah atau nama instansi")
    r.add_argument("--out", type=Path, required=True, help="folder keluaran")
    r.add_argument("--format", default="docx,pdf", help="docx, pdf atau docx,pdf (bawaan)")
    r.add_argument("--overwrite", action="store_true",
                   help="timpa berkas yang sudah ada (tautan simbolik diganti, tujuannya tidak ditulisi)")
    r.set_defaults(func=cmd_report)


def _add_plan(sub) -> None:
    pl = sub.add_parser("plan", help="rencana upaya terkecil menuju target tahunan dari LHE/berkas level indikator")
    pl.add_argument("path", type=Path)
    pl.add_argument("--targets", required=True, help="mis. 2025=2.8,2026=3.0,2029=Sangat Baik")
    pl.add_argument("--max-step", type=int, default=1, help="kenaikan level maksimum per indikator per tahun")
    pl.add_argument("--jadwal", choices=("awal", "merata"), default="awal",
                    help="awal: sedini mungkin; merata: kenaikan yang sama, disebar rata per tahun")
    pl.add_argument("--lock", help="indikator yang tidak dinaikkan, mis. 1,2,45")
    pl.add_argument("--start-year", type=int, help="tahun pertama rencana (bawaan: tahun target pertama)")
    pl.add_argument("--biaya", choices=("naik", "datar"), default="naik",
                    help="biaya per kenaikan level: naik (bawaan; 1→2 1, 2→3 1,5, 3→4 3, 4→5 6) atau datar "
                         "(1 per level, seperti rencana sebelum isu 13)")
    pl.add_argument("--tanpa-prioritas-level-target", action="store_true",
                    help="jangan dahulukan indikator di bawah level target (3): optimum biaya saja")
    pl.add_argument("--json", action="store_true")
    pl.add_argument("--tahun", type=int)
    pl.add_argument("--instansi")
    pl.set_defaults(func=cmd_plan)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "seed", 0) is None:
        from etl.demo import DEMO_SEED
        args.seed = DEMO_SEED
    return args.func(args)
