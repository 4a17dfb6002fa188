"""The warehouse contract: which tables and columns a snapshot holds.

Where the files live (``snapshots/<snapshot_id>/<table>/…parquet``, the ``CURRENT`` pointer, the
manifest, the publish lock, the append-only ``import_log.jsonl``) is the storage seam's,
`domain.storage`; its names are re-exported here. Readers (queries gateway) and the writer
(etl.publish) both use these names; nothing else hard-codes a path or a table name.
"""
from __future__ import annotations

from domain.kategori import KATEGORI_FILE, kategori_names

# the physical side (pointer, manifest, lock, files, path quoting) is the storage seam's; its
# names are re-exported here for the callers that know the warehouse by its contract
from domain.storage import (  # noqa: F401 - re-exported
    DEFAULT_WAREHOUSE,
    IMPORT_LOG_FILE,
    LOCK_FILE,
    MANIFEST_FILE,
    POINTER_FILE,
    PROJECT_ROOT,
    SNAPSHOT_DIR,
    current_snapshot,
    read_import_log,
    warehouse_dir,
)
from domain.storage import read_manifest as snapshot_manifest  # noqa: F401 - re-exported

KEEP_ENV = "SPBE_KEEP"      # snapshots kept after a publish (CLI --keep overrides; 0 = keep all)
DEFAULT_KEEP = 3

# Values of the `asal` column: published in a source vs computed here from indicator levels.
ASAL_PUBLISHED = "dipublikasikan"
ASAL_COMPUTED = "dihitung"

# Roll-up categories in display order, from data/reference/kategori.csv (domain.kategori).
KATEGORI_RINGKAS = kategori_names()

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
    # roll-up categories (data/reference/kategori.csv): order, group, kab/kota level — joined, never listed in SQL
    "kategori": (("kategori_ringkas", "urutan", "kelompok", "kab_kota"), False),
    # instruments, copied from data/reference so SQL can join weights and bands
    "instrumen": (("instrument_id", "nama", "tahun_mulai", "tahun_akhir", "target_level", "target_indeks",
                   "nama_indeks", "level_min", "level_max"), False),
    "instrumen_indikator": (("instrument_id", "no_indikator", "nama_indikator", "no_aspek", "kode_aspek",
                             "label_aspek", "nama_aspek", "bobot_aspek", "no_domain", "kode_domain",
                             "label_domain", "nama_domain", "bobot_domain", "bobot_indikator", "skala"), False),
    "instrumen_predikat": (("instrument_id", "predikat", "batas_bawah", "batas_atas", "urutan", "warna"), False),
}

# reference tables a snapshot published before they existed reads from the committed file instead
COMMITTED_REFERENCE = {"kategori": KATEGORI_FILE}
# columns added to a table after snapshots were published with it: an older snapshot reads them as
# typed nulls (re-publish to fill them)
ADDED_COLUMNS = {"instrumen": {"nama_indeks": "varchar", "level_min": "integer", "level_max": "integer"},
                 "instrumen_predikat": {"warna": "varchar"}}
