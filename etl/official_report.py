"""Convert the per-instansi result tables of KemenPANRB's annual evaluation reports into CSV.

    python -m etl convert-report ../shared/reference/laporan_evaluasi_spbe_2024.md --out data/official/

The reports (`laporan_evaluasi_spbe_<tahun>.md`, converted from the official PDF) print one table
per category ("Tabel 9. Hasil Evaluasi SPBE Kementerian") and one per province ("Tabel 17. Hasil
Evaluasi SPBE Pemerintah Daerah di Aceh"); tables continue across pages without a new title. Each
row is copied as printed: the values are not checked or "fixed" here (the importer's validator
flags inconsistent rows by name and keeps them as published). Every row carries its provenance:
document, table and section (category or province).

The province in a title is matched to the instansi master's province list (the reports misspell
some, e.g. "Nusa Tenggara Tlmur"); a title that matches no province stops the conversion.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

COLUMNS = ["tahun", "kelompok", "kategori", "provinsi", "no", "nama_instansi", "d1_kebijakan", "d2_tata_kelola",
           "d3_manajemen", "d4_layanan", "indeks", "predikat", "dokumen", "tabel", "bagian"]
VALUE_COLUMNS = {"d1": "d1_kebijakan", "d2": "d2_tata_kelola", "d3": "d3_manajemen", "d4": "d4_layanan",
                 "indeks": "indeks", "predikat": "predikat"}
PEMDA_TITLE = re.compile(r"^Pemerintah Daerah(?: di)?\s+(?P<prov>.+)$", re.I)
TITLE = re.compile(r"Tabel\s+(?P<no>\d+)\.\s+Hasil Evaluasi SPBE\s+(?P<what>.+?)\s*(?:\*\*)?\s*$", re.I)
YEAR = re.compile(r"laporan_evaluasi_spbe_(\d{4})")
NUMBER = re.compile(r"^\d*[.,]?\d+$")


class ConversionError(ValueError):
    """The report cannot be converted as a whole (names the line and what was expected)."""


@dataclass
class Section:
    tabel: str
    kelompok: str
    kategori: str | None     # None for pemda: Provinsi/Kabupaten/Kota follows from the row's name
    provinsi: str


def cells(line: str) -> list[str]:
    return [re.sub(r"\s+", " ", c.replace("<br>", " ")).strip() for c in line.strip().strip("|").split("|")]


def pemda_kategori(nama: str) -> str:
    low = nama.lower()
    if low.startswith("pemerintah kab") or low.startswith("kabupaten"):
        return "Kabupaten"
    if low.startswith("pemerintah kota") or low.startswith("kota "):
        return "Kota"
    return "Provinsi"


def number_text(raw: str) -> str:
    """'3,80' → '3.80' and ',60' → '0.60' (as printed, decimals kept); '' stays empty; anything else is kept
    verbatim for the importer to refuse by name."""
    raw = raw.strip()
    if not NUMBER.match(raw):
        return raw
    raw = raw.replace(",", ".")
    return f"0{raw}" if raw.startswith(".") else raw


def _section(title: re.Match, provinces: list[str], lineno: int, dokumen: str) -> Section:
    what = re.sub(r"\s+", " ", title.group("what").replace("*", "")).strip()
    tabel = f"Tabel {title.group('no')}"
    m = PEMDA_TITLE.match(what)
    if not m:
        return Section(tabel, "Instansi Pusat", what, "")
    provinsi = match_province(m.group("prov"), provinces)
    if provinsi is None:
        raise ConversionError(f"{dokumen} baris {lineno}: provinsi '{m.group('prov')}' pada judul {tabel} "
                              f"tidak cocok dengan tepat satu dari {len(provinces)} provinsi master instansi")
    return Section(tabel, "Pemerintah Daerah", None, provinsi)


def _tokens(name: str) -> set[str]:
    return set(re.sub(r"[^a-z0-9 ]", " ", name.lower().replace("d.i", "di")).split())


def match_province(title: str, provinces: list[str]) -> str | None:
    """Exact name; else the one province whose name holds every word of the title ('Bangka Belitung'
    → 'Kepulauan Bangka Belitung'); else a close spelling ('Tlmur' → 'Timur', ratio ≥ 90)."""
    words = _tokens(title)
    exact = [p for p in provinces if _tokens(p) == words]
    if len(exact) == 1:
        return exact[0]
    holding = [p for p in provinces if words <= _tokens(p)]
    if len(holding) == 1:
        return holding[0]
    found = process.extract(" ".join(sorted(words)), [" ".join(sorted(_tokens(p))) for p in provinces],
                            scorer=fuzz.ratio, score_cutoff=90, limit=2)
    return provinces[found[0][2]] if len(found) == 1 else None


def _header_map(row: list[str]) -> dict[str, int] | None:
    names = [re.sub(r"<[^>]*>|\s+", "", c).lower() for c in row]    # '<b>D</b> 1' → 'd1'
    if "namainstansi" not in names or "indeks" not in names:
        return None
    return {key: names.index(key) for key in ("no", "namainstansi", *VALUE_COLUMNS) if key in names}


def convert_report(path: Path, provinces: list[str]) -> list[dict[str, str]]:
    """Rows of every 'Hasil Evaluasi SPBE …' table in one report, in document order."""
    dokumen = path.name
    m = YEAR.search(dokumen)
    if not m:
        raise ConversionError(f"{dokumen}: tahun tidak terbaca dari nama berkas "
                              "(diharapkan laporan_evaluasi_spbe_<tahun>.md)")
    tahun = m.group(1)
    section: Section | None = None
    header: dict[str, int] | None = None
    rows: list[dict[str, str]] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        title = TITLE.search(line)
        if title and "|" not in line:
            section, header = _section(title, provinces, lineno, dokumen), None
            continue
        if section is None or not line.lstrip().startswith("|"):
            continue
        row = cells(line)
        if set("".join(row)) <= set("-: "):
            continue
        mapped = _header_map(row)
        if mapped is not None:
            header = mapped
            continue
        if header is None or not row[header["no"]].isdigit():
            continue
        rows.append(_row(row, header, section, tahun, dokumen))
    if not rows:
        raise ConversionError(f"{dokumen}: tidak ada tabel 'Hasil Evaluasi SPBE …' dengan kolom Nama Instansi dan Indeks")
    return rows


def _row(row: list[str], header: dict[str, int], section: Section, tahun: str, dokumen: str) -> dict[str, str]:
    nama = row[header["namainstansi"]]
    out = {"tahun": tahun, "kelompok": section.kelompok,
           "kategori": section.kategori or pemda_kategori(nama), "provinsi": section.provinsi,
           "no": row[header["no"]], "nama_instansi": nama}
    for key, col in VALUE_COLUMNS.items():
        raw = row[header[key]] if key in header and header[key] < len(row) else ""
        out[col] = raw if key == "predikat" else number_text(raw)
    bagian = section.kategori or f"Pemerintah Daerah {section.provinsi}"
    out.update(dokumen=dokumen, tabel=section.tabel, bagian=bagian)
    return out


def to_csv(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def output_name(report: Path) -> str:
    m = YEAR.search(report.name)
    return f"hasil_evaluasi_{m.group(1) if m else report.stem}.csv"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
