"""What an import would replace, and whether it may: judged against the published snapshot.

For every instansi-year the files cover, the plan compares what it has now (indicator levels,
index, domains, source, the source document's date) with what it would get, file by file in the
order given (a later file in one import replaces an earlier one, judged the same way). Two
replacements are REFUSED unless the operator allows them:

* ``level``: real (non-synthetic) indicator levels would be replaced by values without levels
  (a published index and domains) — the levels and their source would be gone (`--replace-levels`);
* ``lebih_lama``: the file's document date is earlier than the date of the document that holds
  the instansi-year now (`--allow-older`).

The document date is the date the operator gives (`--tanggal-dokumen`), else the file's
modification time (UTC date), recorded per source in the snapshot manifest. Dates compare by
day; a source without a recorded date (demo, official build, imports before this rule) is never
judged older or newer. Synthetic rows are never protected: replacing them is reported, not refused.
One refused instansi-year refuses the whole import (nothing is published).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from domain.numbers import num
from domain.warehouse_layout import snapshot_manifest
from etl.import_log import file_name
from etl.publish import Source

FLAG = {"level": "--replace-levels", "lebih_lama": "--allow-older"}


@dataclass
class ImportFile:
    """One parsed file of an import, with the facts that identify it."""
    parsed: object              # etl.readers.Parsed
    nama: str                   # file name, no directory
    sha256: str
    tanggal: date | None        # document date
    tanggal_dari: str           # "operator" (--tanggal-dokumen) | "berkas" (modification time)

    @property
    def source(self) -> Source:
        jenis = {"hasil_publikasi": "publikasi"}.get(self.parsed.jenis, self.parsed.format.split("-")[0])
        return Source(sumber_id=f"impor-{self.nama}-{self.sha256[:8]}", nama=f"Impor {self.nama} ({self.parsed.format})",
                      jenis=jenis, sintetis=False, berkas=self.nama)

    def provenance(self) -> dict:
        return {"berkas": self.nama, "sha256": self.sha256, "format": self.parsed.format,
                "tanggal_dokumen": self.tanggal.isoformat() if self.tanggal else None, "tanggal_dari": self.tanggal_dari}


def import_file(parsed, path: str | os.PathLike, tanggal_dokumen: date | None = None) -> ImportFile:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    tanggal = tanggal_dokumen or datetime.fromtimestamp(os.stat(path).st_mtime, tz=timezone.utc).date()
    return ImportFile(parsed=parsed, nama=file_name(path), sha256=h.hexdigest(),
                      tanggal=tanggal, tanggal_dari="operator" if tanggal_dokumen else "berkas")


@dataclass
class Holding:
    """What an instansi-year has: now in the snapshot, or from a file of this import."""
    n_levels: int
    indeks: float | None
    n_domains: int
    sumber: str                 # source name or file name
    sintetis: bool
    tanggal: date | None

    def describe(self) -> str:
        what = (f"{self.n_levels} level indikator" if self.n_levels else "tanpa level indikator")
        if self.indeks is not None and not pd.isna(self.indeks):
            what += f", indeks {num(self.indeks)}"
        if self.n_domains and not self.n_levels:
            what += f", {self.n_domains} domain"
        facts = [self.sumber] + (["SINTETIS"] if self.sintetis else []) + \
                ([f"dokumen {self.tanggal.isoformat()}"] if self.tanggal else [])
        return f"{what} ({'; '.join(facts)})"


@dataclass
class Change:
    tahun: int
    instansi_id: str
    sekarang: Holding | None
    menjadi: Holding
    berkas: str
    alasan: list[str] = field(default_factory=list)      # refusal codes the operator did not allow
    diizinkan: list[str] = field(default_factory=list)   # refusal codes the operator allowed

    @property
    def status(self) -> str:
        return "ditolak" if self.alasan else ("baru" if self.sekarang is None else "diganti")

    def line(self) -> str:
        now = self.sekarang.describe() if self.sekarang else "belum ada"
        text = f"{self.instansi_id} {self.tahun}: {now} → {self.menjadi.describe()}"
        if self.alasan:
            text += " — DITOLAK: " + "; ".join(reason_text(c, self) for c in self.alasan)
        elif self.diizinkan:
            text += " — diizinkan dengan " + ", ".join(FLAG[c] for c in self.diizinkan)
        return text

    def to_dict(self) -> dict:
        return {"tahun": self.tahun, "instansi_id": self.instansi_id, "status": self.status, "berkas": self.berkas,
                "sekarang": self.sekarang.describe() if self.sekarang else None, "menjadi": self.menjadi.describe(),
                "alasan": [reason_text(c, self) for c in self.alasan], "diizinkan": [FLAG[c] for c in self.diizinkan]}


def reason_text(code: str, change: Change) -> str:
    if code == "level":
        return (f"{change.sekarang.n_levels} level indikator nyata dan sumbernya akan hilang (diganti nilai tanpa "
                f"level); tambahkan {FLAG[code]} bila memang disengaja")
    return (f"dokumen {change.berkas} ({change.menjadi.tanggal}) lebih lama daripada sumber yang sekarang "
            f"({change.sekarang.tanggal}); tambahkan {FLAG[code]} bila memang disengaja")


@dataclass
class Plan:
    snapshot: str | None
    changes: list[Change]

    @property
    def refused(self) -> list[Change]:
        return [c for c in self.changes if c.alasan]

    def counts(self) -> dict[str, int]:
        """Per instansi-year, its last change in this import (what the snapshot will hold)."""
        final = {(c.tahun, c.instansi_id): c for c in self.changes}
        first = {}
        for c in self.changes:
            first.setdefault((c.tahun, c.instansi_id), c)
        replaced = [first[k] for k in final if first[k].sekarang is not None]
        return {"baru": sum(1 for k in final if first[k].sekarang is None), "diganti": len(replaced),
                "diganti_sintetis": sum(1 for c in replaced if c.sekarang.sintetis)}

    def levels_moved(self) -> dict[str, int]:
        final = {(c.tahun, c.instansi_id): c for c in self.changes}
        first = {}
        for c in self.changes:
            first.setdefault((c.tahun, c.instansi_id), c)
        return {"masuk": sum(c.menjadi.n_levels for c in final.values()),
                "dihapus": sum(first[k].sekarang.n_levels for k in final if first[k].sekarang is not None)}

    def allowed_flags(self) -> list[str]:
        return sorted({FLAG[code] for c in self.changes for code in c.diizinkan})


def incoming(f: ImportFile) -> dict[tuple[int, str], Holding]:
    """What each instansi-year of one file would get."""
    p = f.parsed
    counts: dict[tuple[int, str], list] = {}
    for frame, slot in ((p.levels, 0), (p.domains, 2)):
        if frame is not None and len(frame):
            for (t, i), n in frame.groupby(["tahun", "instansi_id"]).size().items():
                counts.setdefault((int(t), str(i)), [0, None, 0])[slot] = int(n)
    if p.index is not None and len(p.index):
        for r in p.index.itertuples():
            counts.setdefault((int(r.tahun), str(r.instansi_id)), [0, None, 0])[1] = r.indeks
    return {k: Holding(n_levels=v[0], indeks=v[1], n_domains=v[2], sumber=f.nama, sintetis=False, tanggal=f.tanggal)
            for k, v in counts.items()}


def current_holdings(snapshot: Path | None, covered: list[tuple[int, str]]) -> dict[tuple[int, str], Holding]:
    """What the covered instansi-years have in the published snapshot (one pass over its tables)."""
    if snapshot is None or not covered:
        return {}
    dates = {sid: meta.get("tanggal_dokumen") for sid, meta in snapshot_manifest(snapshot).get("sumber", {}).items()}
    con = duckdb.connect()
    try:
        con.register("df_covered", pd.DataFrame(covered, columns=["tahun", "instansi_id"]).astype({"tahun": "int32"}))
        params = {t: str(snapshot / t / "**" / "*.parquet") for t in ("indeks", "nilai_indikator", "nilai_domain")}
        params["sumber"] = str(snapshot / "sumber" / "*.parquet")
        rows = con.execute("""
            with idx as (select tahun::integer as tahun, instansi_id, indeks, sumber_id
                         from read_parquet($indeks, hive_partitioning = true, union_by_name = true)
                         semi join df_covered using (tahun, instansi_id)),
            lv as (select tahun::integer as tahun, instansi_id, count(*) as n
                   from read_parquet($nilai_indikator, union_by_name = true)
                   semi join df_covered using (tahun, instansi_id) group by all),
            dm as (select tahun::integer as tahun, instansi_id, count(*) as n
                   from read_parquet($nilai_domain, hive_partitioning = true, union_by_name = true)
                   semi join df_covered using (tahun, instansi_id) where asal = 'dipublikasikan' group by all),
            src as (select sumber_id, nama, sintetis from read_parquet($sumber))
            select idx.tahun, idx.instansi_id, idx.indeks, coalesce(lv.n, 0), coalesce(dm.n, 0),
                   idx.sumber_id, src.nama, coalesce(src.sintetis, false)
            from idx left join lv using (tahun, instansi_id) left join dm using (tahun, instansi_id)
            left join src using (sumber_id)
        """, params).fetchall()
    finally:
        con.close()
    out = {}
    for tahun, iid, indeks, n_lv, n_dm, sid, nama, sintetis in rows:
        day = dates.get(sid)
        out[(int(tahun), iid)] = Holding(n_levels=int(n_lv), indeks=indeks, n_domains=int(n_dm), sumber=nama or sid,
                                         sintetis=bool(sintetis), tanggal=date.fromisoformat(day) if day else None)
    return out


def make_plan(snapshot: Path | None, files: list[ImportFile], *, replace_levels: bool = False,
              allow_older: bool = False) -> Plan:
    """Every instansi-year each file covers, in file order, judged against what it has at that point."""
    per_file = [incoming(f) for f in files]
    covered = sorted({k for got in per_file for k in got})
    held = current_holdings(snapshot, covered)
    allowed = {"level": replace_levels, "lebih_lama": allow_older}
    changes = []
    for f, got in zip(files, per_file):
        for key in sorted(got):
            now, new = held.get(key), got[key]
            codes = []
            if now is not None and not now.sintetis:
                if now.n_levels and not new.n_levels:
                    codes.append("level")
                if now.tanggal and new.tanggal and new.tanggal < now.tanggal:
                    codes.append("lebih_lama")
            change = Change(tahun=key[0], instansi_id=key[1], sekarang=now, menjadi=new, berkas=f.nama,
                            alasan=[c for c in codes if not allowed[c]], diizinkan=[c for c in codes if allowed[c]])
            changes.append(change)
            held[key] = new
    return Plan(snapshot=snapshot.name if snapshot else None, changes=changes)
