"""`python -m etl import`: read and validate every file, then judge, publish ONE snapshot and log
(`etl.importer`). Exit codes: 0 published (or a clean dry run), 1 a file or a replacement was
refused (nothing published), 2 usage error, 130 Ctrl-C before the switch (nothing published)."""
from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date

from domain.warehouse_layout import warehouse_dir
from etl.import_log import file_name


def _progress(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal harus berbentuk YYYY-MM-DD, bukan {text!r}") from None


def add_import_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--replace-levels", action="store_true",
                        help="izinkan nilai tanpa level (indeks/domain) menggantikan level indikator nyata")
    parser.add_argument("--allow-older", action="store_true",
                        help="izinkan dokumen yang lebih lama menggantikan sumber yang lebih baru")
    parser.add_argument("--tanggal-dokumen", type=_date, metavar="YYYY-MM-DD",
                        help="tanggal dokumen sumber (bawaan: tanggal ubah berkas) untuk aturan 'lebih lama'")
    parser.add_argument("--keep", type=int, metavar="N",
                        help="snapshot yang disimpan (bawaan: $SPBE_KEEP atau 3; 0 = semua)")


def command_text(args: argparse.Namespace) -> str:
    """The command as logged: file names only, no directories, no warehouse path."""
    parts = ["python -m etl import", *(file_name(p) for p in args.paths)]
    for flag in ("dry_run", "replace_levels", "allow_older"):
        if getattr(args, flag, False):
            parts.append("--" + flag.replace("_", "-"))
    for flag in ("tanggal_dokumen", "keep", "tahun"):
        if getattr(args, flag, None) is not None:
            parts.append(f"--{flag.replace('_', '-')} {getattr(args, flag)}")
    return " ".join(parts)


def _read_all(args: argparse.Namespace) -> tuple[list, list, bool]:
    from etl.import_plan import import_file
    from etl.readers import InputError, read_path

    files, summary, failed = [], [], False
    for i, path in enumerate(args.paths, start=1):
        _progress(f"[{i}/{len(args.paths)}] membaca {path}")
        try:
            parsed = read_path(path, tahun=args.tahun, instansi=args.instansi)
        except InputError as exc:
            failed = True
            summary.append({"berkas": str(path), "status": "ditolak", "galat": [exc.issue.__dict__]})
            if not args.json:
                print(f"DITOLAK {path}: {exc}")
            continue
        report = parsed.report
        n_rows = {k: int(len(getattr(parsed, k))) for k in ("levels", "domains", "index") if getattr(parsed, k) is not None}
        summary.append({"berkas": str(path), "jenis": parsed.jenis, "format": parsed.format,
                        "status": "valid" if report.ok else "ditolak", "baris": n_rows, **report.to_dict()})
        if not args.json:
            print(f"{'VALID' if report.ok else 'DITOLAK'} {path} ({parsed.format}): "
                  f"{len(report.errors)} galat/tinjau, {len(report.warnings)} peringatan")
            text = report.format_text(limit=args.limit)
            if text:
                print(text)
        if report.ok:
            files.append(import_file(parsed, path, args.tanggal_dokumen))
        else:
            failed = True
    return files, summary, failed


def _print_plan(plan, limit: int) -> None:
    order = {"ditolak": 0, "diganti": 1}
    shown = sorted((c for c in plan.changes if c.status in order),
                   key=lambda c: (order[c.status], bool(c.sekarang and c.sekarang.sintetis)))
    for c in shown[:limit]:
        print("  " + c.line())
    if len(shown) > limit:
        print(f"  … dan {len(shown) - limit} lainnya (lihat --limit atau --json)")
    n = plan.counts()
    print(f"Instansi-tahun: {n['baru']} baru, {n['diganti']} diganti ({n['diganti_sintetis']} di antaranya data "
          f"SINTETIS), {len(plan.refused)} ditolak.")


def cmd_import(args: argparse.Namespace) -> int:
    from etl.build import PublishError
    from etl.importer import run_import
    from etl.snapshots import SnapshotError, keep_setting

    root = warehouse_dir(args.warehouse)
    try:
        keep = keep_setting(args.keep)
    except SnapshotError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    files, summary, failed = _read_all(args)
    if failed or not files:
        out = {"dipublikasikan": False, "alasan": "ada berkas ditolak" if failed else "tidak ada data", "berkas": summary}
        print(json.dumps(out, ensure_ascii=False, default=str, indent=1) if args.json else
              "Tidak ada yang dipublikasikan; snapshot yang terbit tidak berubah.")
        return 1
    try:
        outcome = run_import(root, files, replace_levels=args.replace_levels, allow_older=args.allow_older,
                             dry_run=args.dry_run, keep=keep, progress=_progress, command=command_text(args))
    except KeyboardInterrupt:
        print("Dihentikan (Ctrl-C) sebelum snapshot baru terbit: tidak ada yang dipublikasikan; "
              "snapshot yang terbit tidak berubah.")
        return 130
    except PublishError as exc:
        print(f"DITOLAK saat membangun snapshot: {exc}")
        return 1
    return _report(outcome, args, summary, root)


def _report(outcome, args: argparse.Namespace, summary: list, root) -> int:
    plan, res = outcome.plan, outcome.result
    if args.json:
        print(json.dumps({
            "dipublikasikan": outcome.published, "warehouse": str(root),
            "alasan": None if outcome.published else ("penggantian ditolak" if plan.refused else "--dry-run"),
            "snapshot": res.snapshot_id if res else None, "sebelumnya": res.previous if res else plan.snapshot,
            "pemangkasan_terhenti": bool(res and res.prune_interrupted), "ringkas": plan.counts(),
            "rencana": [c.to_dict() for c in plan.changes], "berkas": summary,
        }, ensure_ascii=False, default=str, indent=1))
    else:
        _print_plan(plan, args.limit)
        if plan.refused:
            print(f"DITOLAK: {len(plan.refused)} instansi-tahun akan kehilangan data tanpa izin. Tidak ada yang "
                  f"dipublikasikan; snapshot yang terbit ({plan.snapshot or '-'}) tidak berubah.")
        elif not outcome.published:
            print("Uji kering: semua berkas valid; tidak ada yang dipublikasikan.")
        else:
            print(f"DIPUBLIKASIKAN {len(args.paths)} berkas sebagai satu snapshot {res.snapshot_id} "
                  f"(sebelumnya {res.previous or '-'}); dicatat di log impor.")
            if res.prune_interrupted:
                print("Pemangkasan snapshot lama terhenti (Ctrl-C): impor ini SUDAH dipublikasikan dan dicatat; "
                      "snapshot lama yang tersisa dipangkas pada publikasi berikutnya.")
    return 1 if plan.refused else 0
