"""The warehouse contract: where snapshots live and which tables/columns they hold.

A warehouse directory holds ``snapshots/<snapshot_id>/<table>/…parquet`` plus a ``CURRENT``
file naming the published snapshot, the publish lock and the append-only import log
(``import_log.jsonl``, one JSON object per line, beside the snapshots so pruning never touches it). Readers (queries gateway) and the writer (etl.publish)
both use these names; nothing else hard-codes a path or a table name.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE = PROJECT_ROOT / "data" / "warehouse"
POINTER_FILE = "CURRENT"
SNAPSHOT_DIR = "snapshots"
MANIFEST_FILE = "manifest.json"
LOCK_FILE = ".publish.lock"
IMPORT_LOG_FILE = "import_log.jsonl"
KEEP_ENV = "SPBE_KEEP"      # snapshots kept after a publish (CLI --keep overrides; 0 = keep all)
DEFAULT_KEEP = 3

# Values of the `asal` column: published in a source vs computed here from indicator levels.
ASAL_PUBLISHED = "dipublikasikan"
ASAL_COMPUTED = "dihitung"

# Roll-up categories, in display order.
KATEGORI_RINGKAS = ("Kementerian", "LPNK", "Lembaga Lain", "Provinsi", "Kabupaten", "Kota")

# table -> (columns, partitioned by tahun?)
TABLES: dict[str, tuple[tuple[str, ...], bool]] = {
    # instansi master (one row per stable id)
    "instansi": (("instansi_id", "nama", "alias", "kelompok", "kategori", "kategori_ringkas",
                  "provinsi", "kode_provinsi", "kode_wilayah"), False),
    # indicator levels (1..5); level_mandiri = self-assessed level where the source has it.
    # Not partitioned: one file per load batch with rows in input order (by year), so row-group
    # statistics on tahun skip other years; the partitioned writer cost the 100× build ~1 s
    # (docs/PERFORMANCE.md). The other score tables are small and partitioned by tahun.
    "nilai_indikator": (("tahun", "instansi_id", "instrument_id", "no_indikator", "level",
                         "level_mandiri", "asal", "sumber_id"), False),
    "nilai_aspek": (("tahun", "instansi_id", "instrument_id", "no_aspek", "nilai", "asal", "sumber_id"), True),
    "nilai_domain": (("tahun", "instansi_id", "instrument_id", "no_domain", "nilai", "asal", "sumber_id"), True),
    "indeks": (("tahun", "instansi_id", "instrument_id", "indeks", "predikat", "asal", "sumber_id"), True),
    # validation notes on published rows kept as published (e.g. an index that disagrees with its
    # domains): shown wherever the row is shown, never used to "fix" it
    "catatan": (("tahun", "instansi_id", "kolom", "nilai", "alasan", "sumber_id"), False),
    # provenance of every row above
    "sumber": (("sumber_id", "nama", "jenis", "sintetis", "berkas", "dimuat_pada", "jumlah_baris"), False),
    # official reference figures, kept apart from anything recomputed
    "ref_seri_nasional": (("tahun", "komponen", "nilai", "jumlah_instansi", "instrumen", "sumber"), False),
    "ref_rerata_kategori": (("tahun", "kategori", "kategori_ringkas", "komponen", "nama_komponen", "nilai", "sumber"), False),
    "ref_target_nasional": (("tahun", "target_indeks", "sumber"), False),
    # instruments, copied from data/reference so SQL can join weights and bands
    "instrumen": (("instrument_id", "nama", "tahun_mulai", "tahun_akhir", "target_level", "target_indeks"), False),
    "instrumen_indikator": (("instrument_id", "no_indikator", "nama_indikator", "no_aspek", "kode_aspek",
                             "label_aspek", "nama_aspek", "bobot_aspek", "no_domain", "kode_domain",
                             "label_domain", "nama_domain", "bobot_domain", "bobot_indikator", "skala"), False),
    "instrumen_predikat": (("instrument_id", "predikat", "batas_bawah", "batas_atas", "urutan"), False),
}


def warehouse_dir(explicit: str | os.PathLike | None = None) -> Path:
    """Warehouse location: explicit argument, else $SPBE_WAREHOUSE, else data/warehouse."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("SPBE_WAREHOUSE")
    return Path(env) if env else DEFAULT_WAREHOUSE


def current_snapshot(root: Path) -> Path | None:
    """Directory of the published snapshot, or None when nothing is published yet."""
    pointer = root / POINTER_FILE
    if not pointer.exists():
        return None
    snap = root / SNAPSHOT_DIR / pointer.read_text(encoding="utf-8").strip()
    return snap if snap.is_dir() else None


def snapshot_manifest(snapshot: Path | None) -> dict:
    """A snapshot's manifest (files, row counts, predecessor, source facts); {} if absent or unreadable."""
    if snapshot is None:
        return {}
    try:
        manifest = json.loads((snapshot / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def read_import_log(root: Path, limit: int | None = None) -> list[dict]:
    """Entries of the import log, oldest first (the last `limit` ones); lines that are not a JSON
    object (a write cut short) are skipped."""
    try:
        lines = (root / IMPORT_LOG_FILE).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    entries = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    return entries[-limit:] if limit else entries
