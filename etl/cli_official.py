"""`python -m etl official` (the default warehouse: official results) and `convert-report` (the converter)."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from domain.warehouse_layout import warehouse_dir


def _progress(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def cmd_official(args: argparse.Namespace) -> int:
    from etl.official import publish_official
    from etl.readers import InputError

    root = warehouse_dir(args.warehouse)
    if args.if_absent:
        state = _published_state(root)
        if state == "resmi":
            print(f"gudang data sudah terbit tanpa data sintetis: {root}; tidak dibangun ulang")
            return 0
        if state == "sintetis":
            _progress("gudang data ini memuat data demo SINTETIS: diganti dengan data resmi "
                      "(snapshot lama tetap tersimpan; demo punya gudang sendiri: make demo)")
    _progress("memublikasikan hasil evaluasi RESMI KemenPANRB dari data/official/")
    try:
        build = publish_official(root, progress=_progress)
    except (InputError, FileNotFoundError) as exc:
        print(f"DITOLAK: {exc}", file=sys.stderr)
        return 1
    for name, report in build.reports.items():
        print(f"{name}: {build.rows[name]} instansi, {len(report.warnings)} peringatan (dimuat seperti dipublikasikan)")
        if args.verbose and report.warnings:
            print(report.format_text(limit=None))
    print(json.dumps({"snapshot": build.result.snapshot_id, "warehouse": str(root), "rows": build.result.rows},
                     ensure_ascii=False))
    return 0


def _published_state(root: Path) -> str | None:
    """None: nothing published; 'sintetis': the published snapshot holds synthetic rows; 'resmi': it does not."""
    from queries.gateway import NoSnapshotError, Warehouse

    try:
        wh = Warehouse(root)
    except NoSnapshotError:
        return None
    try:
        return "sintetis" if bool(wh.run("sources")["sintetis"].any()) else "resmi"
    finally:
        wh.close()


def cmd_convert_report(args: argparse.Namespace) -> int:
    from etl.official_report import ConversionError, convert_report, output_name, sha256, to_csv
    from etl.readers import load_master

    provinces = sorted({p for p in load_master()["provinsi"] if p})
    args.out.mkdir(parents=True, exist_ok=True)
    for report in args.reports:
        try:
            rows = convert_report(report, provinces)
        except (ConversionError, OSError) as exc:
            print(f"DITOLAK: {exc}", file=sys.stderr)
            return 1
        target = args.out / output_name(report)
        target.write_text(to_csv(rows), encoding="utf-8")
        print(f"{report.name} (sha256 {sha256(report)[:12]}…) → {target}: {len(rows)} baris")
    return 0


def register(sub) -> None:
    o = sub.add_parser("official", help="bangun gudang data dari hasil evaluasi RESMI (data/official/) — bawaan make run")
    o.add_argument("--if-absent", action="store_true", help="jangan bangun ulang bila gudang data sudah terbit")
    o.add_argument("--verbose", action="store_true", help="cetak setiap peringatan validasi")
    o.set_defaults(func=cmd_official)

    c = sub.add_parser("convert-report", help="tabel hasil per instansi dari laporan evaluasi resmi (.md) → CSV")
    c.add_argument("reports", nargs="+", type=Path, help="laporan_evaluasi_spbe_<tahun>.md")
    c.add_argument("--out", type=Path, default=Path("data/official"), help="folder keluaran (bawaan data/official)")
    c.set_defaults(func=cmd_convert_report)
