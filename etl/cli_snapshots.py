"""`python -m etl snapshots` (list) and `python -m etl rollback [SNAPSHOT]` (publish an earlier one again)."""
from __future__ import annotations

import argparse
import json
import sys

from domain.warehouse_layout import warehouse_dir


def cmd_snapshots(args: argparse.Namespace) -> int:
    from etl.snapshots import list_snapshots

    root = warehouse_dir(args.warehouse)
    items = list_snapshots(root)
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=1))
        return 0
    if not items:
        print(f"belum ada snapshot di {root}")
        return 0
    print(f"  {'SNAPSHOT':<30} {'DIBUAT (UTC)':<19} {'INDEKS':>7} {'LEVEL':>9}  SUMBER")
    for s in items:
        when = (s["dibuat"] or "?")[:19].replace("T", " ")
        rows = s["baris"]
        names = "; ".join(s["sumber"]) if len(s["sumber"]) <= 3 else \
            "; ".join(s["sumber"][:3]) + f" (+{len(s['sumber']) - 3})"
        extra = f" [impor: {', '.join(s['impor'])}]" if s["impor"] else ""
        print(f"{'*' if s['terbit'] else ' '} {s['snapshot']:<30} {when:<19} {rows['indeks'] or 0:>7} "
              f"{rows['nilai_indikator'] or 0:>9}  {len(s['sumber'])}: {names}{extra}")
    print("* = terbit (CURRENT)")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    from etl.build import PublishError
    from etl.snapshots import SnapshotError, rollback

    root = warehouse_dir(args.warehouse)
    command = "python -m etl rollback" + (f" {args.snapshot}" if args.snapshot else "")
    try:
        entry = rollback(root, args.snapshot, command=command,
                         progress=lambda m: print(m, file=sys.stderr, flush=True))
    except SnapshotError as exc:
        print(f"rollback tidak dilakukan: {exc}", file=sys.stderr)
        return 1
    except PublishError as exc:
        print(f"rollback DITOLAK: snapshot gagal verifikasi ({exc}); CURRENT tidak berubah", file=sys.stderr)
        return 1
    print(f"ROLLBACK: CURRENT {entry['snapshot_sebelumnya'] or '-'} → {entry['snapshot_baru']} "
          "(terverifikasi; dicatat di log impor)")
    return 0


def register(sub) -> None:
    s = sub.add_parser("snapshots", help="daftar snapshot: id, waktu, baris, sumber, mana yang terbit")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_snapshots)

    r = sub.add_parser("rollback", help="terbitkan lagi snapshot sebelumnya (atau SNAPSHOT), setelah diverifikasi")
    r.add_argument("snapshot", nargs="?", help="id snapshot (bawaan: pendahulu snapshot yang terbit)")
    r.set_defaults(func=cmd_rollback)
