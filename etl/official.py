"""The official record as the embedded default: build the warehouse from `data/official/`.

`data/official/hasil_evaluasi_<tahun>.csv` are the per-instansi results (index, D1–D4, predikat) of
KemenPANRB's annual evaluation reports, converted by `etl.official_report` (`python -m etl
convert-report`) with row provenance (document, table, section). `publish_official` reads them with
the same readers and validators as any import — rows the validator flags are kept as published and
their flags stay in the report — and publishes them into a warehouse that holds nothing synthetic.
Kota Serang's 2021 LHE (47 real indicator levels, `etl.demo.SERANG_2021_LEVELS`) joins them under
its own source, so the level views have one real example.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from domain.instrument import REFERENCE_DIR
from etl import import_log
from etl.publish import PublishResult, Source, Step, load_master_frame, publish_lock, publish_steps_locked
from etl.readers import InputError, Report, read_path
from etl.readers.published import row_notes

OFFICIAL_DIR = REFERENCE_DIR.parent / "official"
REPORT_TITLE = {"2023": "Laporan Evaluasi SPBE 2023 (KemenPANRB)", "2024": "Laporan Evaluasi SPBE 2024 (KemenPANRB)"}


@dataclass
class OfficialBuild:
    result: PublishResult | None = None
    reports: dict[str, Report] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


def official_files(folder: Path = OFFICIAL_DIR) -> list[Path]:
    files = sorted(folder.glob("hasil_evaluasi_*.csv"))
    if not files:
        raise FileNotFoundError(f"tidak ada berkas hasil_evaluasi_<tahun>.csv di {folder.name}/; "
                                "jalankan `python -m etl convert-report` dengan laporan resmi")
    return files


def _source(path: Path) -> Source:
    year = path.stem.rsplit("_", 1)[-1]
    title = REPORT_TITLE.get(year, f"Laporan Evaluasi SPBE {year} (KemenPANRB)")
    return Source(sumber_id=f"resmi-{path.stem}", nama=f"{title} — hasil per instansi (indeks, domain, predikat)",
                  jenis="publikasi", sintetis=False, berkas=f"data/official/{path.name}")


def publish_official(root: Path, *, folder: Path = OFFICIAL_DIR, with_serang_lhe: bool = True,
                     keep: int | None = None, progress: Callable[[str], None] | None = None) -> OfficialBuild:
    """Replace the warehouse content with the official results, as ONE snapshot (earlier snapshots stay
    available for `python -m etl rollback`); the import log records it.

    Raises InputError when a file is refused as a whole; a file whose rows are refused stops the build
    before anything is published (the report names file, row, instansi and value)."""
    from etl.demo_publish import SERANG_SOURCE, serang_levels

    build = OfficialBuild()
    steps, files = [], []
    for path in official_files(folder):
        parsed = read_path(path)
        build.reports[path.name] = parsed.report
        if not parsed.report.ok:
            raise InputError(parsed.report.errors[0])
        build.rows[path.name] = int(len(parsed.index))
        steps.append(Step(_source(path), domains=parsed.domains, index=parsed.index,
                          notes=row_notes(parsed.report, parsed.index)))
        files.append({"berkas": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                      "sumber_id": steps[-1].source.sumber_id})
    if with_serang_lhe:
        steps.append(Step(SERANG_SOURCE, levels=serang_levels()))

    def log(result: PublishResult) -> None:
        import_log.append(root, {"aksi": "resmi", "perintah": "python -m etl official", "berkas": files,
                                 "instansi_tahun": {"baru": sum(build.rows.values())},
                                 "snapshot_sebelumnya": result.previous, "snapshot_baru": result.snapshot_id})

    options = {} if keep is None else {"keep": keep}
    with publish_lock(Path(root)):
        build.result = publish_steps_locked(Path(root), steps, master=load_master_frame(), carry_previous=False,
                                            progress=progress, after_switch=log, **options)
    return build
