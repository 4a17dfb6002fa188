"""Check the instansi master against published SPBE result tables.

Optional validation (not part of the test suite: the tables live outside the repo).

    python data/reference/check_master.py [TABLE.csv ...]

Default tables: ../shared/samples/published_results_{2023,2024}.csv next to the repo.
Every `nama_instansi` must equal exactly one instansi's `nama` or one of its `alias`
values, and the matched instansi must agree with the row on kelompok, on the
kategori_ringkas the row's kategori rolls up to, and (for regions) on the province.
Exits 1 and lists the offending rows otherwise.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MASTER = HERE / "instansi.csv"
DEFAULT_TABLES = [
    HERE.parents[2] / "shared" / "samples" / f"published_results_{year}.csv" for year in (2023, 2024)
]
RINGKAS = {
    "Kementerian": "Kementerian",
    "Lembaga Pemerintah Non Kementerian (LPNK)": "LPNK",
    "Provinsi": "Provinsi",
    "Kabupaten": "Kabupaten",
    "Kota": "Kota",
}
# provinsi-column spellings of older tables that differ from the master's
PROVINSI_SPELLINGS = {"Bangka Belitung": "Kepulauan Bangka Belitung"}


def load_lookup(master: Path) -> tuple[dict[str, dict], list[str]]:
    lookup: dict[str, dict] = {}
    clashes = []
    with master.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names = [row["nama"]] + [a for a in row["alias"].split("|") if a]
            for name in names:
                other = lookup.get(name)
                if other is not None and other["instansi_id"] != row["instansi_id"]:
                    clashes.append(f"{name!r}: {other['instansi_id']} and {row['instansi_id']}")
                lookup[name] = row
    return lookup, clashes


def check_table(table: Path, lookup: dict[str, dict]) -> list[str]:
    problems = []
    with table.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = row["nama_instansi"]
            inst = lookup.get(name)
            where = f"{table.name} {row['tahun']} {row['kategori']} {name!r}"
            if inst is None:
                problems.append(f"unmatched: {where}")
                continue
            if inst["kelompok"] != row["kelompok"]:
                problems.append(f"kelompok differs: {where} -> {inst['instansi_id']}")
            if inst["kategori_ringkas"] != RINGKAS.get(row["kategori"], "Lembaga Lain"):
                problems.append(f"kategori differs: {where} -> {inst['instansi_id']} ({inst['kategori']})")
            if row["kelompok"] == "Pemerintah Daerah":
                prov = PROVINSI_SPELLINGS.get(row["provinsi"], row["provinsi"])
                if inst["provinsi"] != prov:
                    problems.append(f"provinsi differs: {where} -> {inst['instansi_id']} ({inst['provinsi']})")
    return problems


def main(argv: list[str]) -> int:
    tables = [Path(a) for a in argv] or DEFAULT_TABLES
    lookup, clashes = load_lookup(MASTER)
    problems = [f"name shared by two instansi: {c}" for c in clashes]
    for table in tables:
        if not table.exists():
            print(f"skip (not found): {table}")
            continue
        found = check_table(table, lookup)
        print(f"{table.name}: {len(found)} problem(s)")
        problems += found
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
