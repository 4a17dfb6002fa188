"""The roll-up categories (kategori ringkas) as reference data: ``data/reference/kategori.csv``.

One row per category: its name (``kategori_ringkas``, as the instansi master writes it), display
order (``urutan``), group (``kelompok``: Instansi Pusat / Pemerintah Daerah) and whether it is a
kab/kota-level regional government (``kab_kota``: the province comparisons average these). The
file is copied into every snapshot (table ``kategori``) so SQL joins it; Python reads it here.
Adding a category is adding a row.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

KATEGORI_FILE = Path(__file__).resolve().parent.parent / "data" / "reference" / "kategori.csv"
COLUMNS = ("kategori_ringkas", "urutan", "kelompok", "kab_kota")
BOOLEAN = {"true": True, "false": False}
MIN_MEAN_INSTANSI = 5  # a mean recomputed from fewer instansi of a category is not drawn as that category's mean


class KategoriError(ValueError):
    """A categories file that is not a consistent table."""


@dataclass(frozen=True)
class Kategori:
    nama: str
    urutan: int
    kelompok: str
    kab_kota: bool


@lru_cache(maxsize=8)
def load_kategori(path: Path | str = KATEGORI_FILE) -> tuple[Kategori, ...]:
    """The categories in display order; refuses missing columns, duplicates and bad values."""
    path = Path(path)
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise KategoriError(f"{path.name}: kolom hilang {missing}")
        rows = list(reader)
    out = []
    for n, row in enumerate(rows, start=2):
        flag = row["kab_kota"].strip().lower()
        if not row["urutan"].strip().isdigit() or flag not in BOOLEAN or not row["kategori_ringkas"].strip():
            raise KategoriError(f"{path.name} baris {n}: urutan bilangan bulat, kab_kota true/false, nama terisi")
        out.append(Kategori(row["kategori_ringkas"].strip(), int(row["urutan"]), row["kelompok"].strip(), BOOLEAN[flag]))
    if len({k.nama for k in out}) != len(out) or len({k.urutan for k in out}) != len(out):
        raise KategoriError(f"{path.name}: nama atau urutan kategori ganda")
    return tuple(sorted(out, key=lambda k: k.urutan))


def kategori_names(path: Path | str = KATEGORI_FILE) -> tuple[str, ...]:
    """Category names in display order."""
    return tuple(k.nama for k in load_kategori(path))


def kab_kota_names(path: Path | str = KATEGORI_FILE) -> tuple[str, ...]:
    """The kab/kota-level categories (averaged per province)."""
    return tuple(k.nama for k in load_kategori(path) if k.kab_kota)


def mask_thin_means(comp):
    """An instansi_components frame with each `rerata_<x>` left empty where `jumlah_<x>` is below
    MIN_MEAN_INSTANSI (e.g. a year the warehouse holds one LHE of: its 'national mean' is itself)."""
    out = comp.copy()
    for col in [c for c in comp.columns if c.startswith("rerata_")]:
        n = "jumlah_" + col.removeprefix("rerata_")
        if n in out.columns:
            out[col] = out[col].where(out[n].fillna(0) >= MIN_MEAN_INSTANSI)
    return out
