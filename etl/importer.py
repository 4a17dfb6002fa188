"""`python -m etl import` behind the CLI: judge, publish ONE snapshot, log — all under the publish lock.

The lock is held from reading the published snapshot, through the judgement (`etl.import_plan`)
and the build, to the pointer switch and the log entry: a second import of the same
instansi-years waits, then is judged against the first one's result (and refused if it would
lose the first one's levels or put an older document back).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from domain.warehouse_layout import DEFAULT_KEEP, current_snapshot, snapshot_manifest
from etl import import_log
from etl.import_plan import ImportFile, Plan, make_plan
from etl.publish import PublishResult, Step, publish_lock, publish_steps_locked
from etl.readers.published import row_notes

WAITING = "menunggu: impor atau rollback lain sedang berjalan di gudang data ini (kunci dipegang) …"


@dataclass
class ImportOutcome:
    plan: Plan
    result: PublishResult | None = None
    log_entry: dict | None = None

    @property
    def published(self) -> bool:
        return self.result is not None


def run_import(root: Path, files: list[ImportFile], *, progress: Callable[[str], None] | None = None,
               **options) -> ImportOutcome:
    """Take the publish lock (saying so when another publisher holds it), then `import_locked`."""
    say = progress or (lambda msg: None)
    with publish_lock(Path(root), on_wait=lambda: say(WAITING)):
        return import_locked(Path(root), files, progress=progress, **options)


def import_locked(root: Path, files: list[ImportFile], *, replace_levels: bool = False, allow_older: bool = False,
                  dry_run: bool = False, keep: int = DEFAULT_KEEP, progress: Callable[[str], None] | None = None,
                  command: str = "") -> ImportOutcome:
    """Plan against the published snapshot; unless refused or a dry run, publish all files as one
    snapshot and append the log entry (with the switch, Ctrl-C deferred). Caller holds the lock."""
    published = current_snapshot(root)
    outcome = ImportOutcome(plan=make_plan(published, files, replace_levels=replace_levels, allow_older=allow_older))
    if dry_run or outcome.plan.refused or not files:
        return outcome
    before = snapshot_manifest(published).get("tables", {})

    def log(result: PublishResult) -> None:
        entry = {
            "aksi": "impor", "perintah": command,
            "berkas": [{**f.provenance(), "sumber_id": f.source.sumber_id} for f in files],
            "instansi_tahun": outcome.plan.counts(), "level_indikator": outcome.plan.levels_moved(),
            "baris": {t: {"sebelum": before.get(t, {}).get("rows", 0), "sesudah": result.rows[t]}
                      for t in ("nilai_indikator", "nilai_domain", "indeks")},
            "diizinkan": outcome.plan.allowed_flags(),
            "snapshot_sebelumnya": result.previous, "snapshot_baru": result.snapshot_id,
        }
        import_log.append(root, entry)
        outcome.log_entry = entry

    steps = [Step(f.source, f.parsed.levels, f.parsed.domains, f.parsed.index,
                  notes=row_notes(f.parsed.report, f.parsed.index), aspects=getattr(f.parsed, "aspects", None))
             for f in files]
    outcome.result = publish_steps_locked(root, steps, keep=keep, progress=progress, after_switch=log,
                                          provenance={f.source.sumber_id: f.provenance() for f in files})
    return outcome
