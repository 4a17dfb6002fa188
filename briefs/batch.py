"""Many briefs at once: a province (its government and every kab/kota), or a list of instansi, for one year."""
from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TextIO

import pandas as pd

from briefs.brief import BriefError, build_brief
from briefs.docx_writer import brief_docx
from briefs.pdf_writer import brief_pdf

WRITERS = {"docx": brief_docx, "pdf": brief_pdf}
KAB_KOTA = ("Kabupaten", "Kota")
PROVINCE_ORDER = ("Provinsi", *KAB_KOTA)     # the province government first, then kabupaten, kota


class SelectionError(LookupError):
    """Nothing in the warehouse matches the requested province/instansi for that year."""


class OutputExistsError(FileExistsError):
    """Files (or symlinks) already stand where briefs would be written, and overwriting was not asked for."""


@dataclass
class BatchResult:
    files: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)   # (instansi_id, reason)
    instansi: int = 0
    seconds: float = 0.0

    @property
    def per_minute(self) -> float:
        return 60.0 * self.instansi / self.seconds if self.seconds else 0.0


def _norm(text) -> str:
    return " ".join(str(text or "").lower().replace("provinsi ", "").replace("prov. ", "").split())


def select_instansi(wh, year: int, *, provinsi: str | None = None,
                    instansi: list[str] | None = None) -> pd.DataFrame:
    """Rows of the `ranking` query (instansi scored in `year`) chosen by province or by id/code/name.

    --provinsi takes a province name ("Banten", "Provinsi Jawa Barat") or its Kemendagri code
    ("36") and selects the province government and its kabupaten and kota (each scored that year). --instansi takes ids, region codes or exact names.
    """
    ranked = wh.run("ranking", year=int(year))
    if ranked.empty:
        raise SelectionError(f"tidak ada Indeks SPBE tahun {year} di gudang data")
    if provinsi:
        key = _norm(provinsi)
        code = ranked["kode_wilayah"].fillna("").str.split(".").str[0]
        in_prov = (ranked["provinsi"].map(_norm) == key) | ((code == provinsi.strip()) & (code != ""))
        chosen = ranked[in_prov & ranked["kategori"].isin(PROVINCE_ORDER)]
        if chosen.empty:
            known = sorted(ranked["provinsi"].dropna().unique())
            raise SelectionError(f"tidak ada pemerintah provinsi atau kabupaten/kota tahun {year} untuk provinsi "
                                 f"'{provinsi}'; provinsi yang dikenal: {', '.join(known)}")
        order = chosen["kategori"].map(PROVINCE_ORDER.index)
        return chosen.assign(_urut=order).sort_values(["_urut", "nama"]).drop(columns="_urut").reset_index(drop=True)
    if instansi:
        wanted, missing = [], []
        names = ranked["nama"].str.lower()
        for item in instansi:
            hit = ranked[(ranked["instansi_id"] == item) | (ranked["kode_wilayah"] == item) | (names == item.lower())]
            if hit.empty:
                missing.append(item)
            else:
                wanted.append(hit.iloc[:1])
        if missing:
            raise SelectionError(f"tidak ditemukan atau tidak dinilai tahun {year}: {', '.join(missing)}")
        return pd.concat(wanted, ignore_index=True).drop_duplicates("instansi_id")
    raise SelectionError("pilih --provinsi atau --instansi")


def progress_bar(stream: TextIO | None = None, width: int = 28) -> Callable[[int, int, str], None]:
    """'[#######.....] 3/9 Pemerintah Kota Serang' — redrawn in place on a terminal, one line per
    step otherwise (CI logs)."""
    stream = stream or sys.stderr  # looked up when called: sys.stderr may be replaced after import
    tty = hasattr(stream, "isatty") and stream.isatty()

    def show(done: int, total: int, label: str) -> None:
        filled = int(width * done / total) if total else width
        line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label}"
        if tty:
            stream.write("\r" + line[:110].ljust(110) + ("\n" if done == total else ""))
        else:
            stream.write(line + "\n")
        stream.flush()

    return show


def target_paths(chosen: pd.DataFrame, year: int, out_dir: Path, formats: tuple[str, ...]) -> list[Path]:
    """Where run_batch writes: one file per instansi and format (the stem of Brief.file_stem)."""
    from rendering.export import file_stem

    return [Path(out_dir) / f"{file_stem(f'lembar_rpjmd_{iid}_{int(year)}')}.{fmt}"
            for iid in chosen["instansi_id"] for fmt in formats]


def check_targets(out_dir: Path, paths: list[Path], *, overwrite: bool = False) -> None:
    """Refuse (OutputExistsError, nothing written) when `out_dir` is a symlink or any target already
    exists — a file, a directory or a symlink, even a dangling one — unless `overwrite`."""
    if overwrite:
        return
    out_dir = Path(out_dir)
    if out_dir.is_symlink():
        raise OutputExistsError(f"folder keluaran {out_dir} adalah tautan simbolik (ke {os.readlink(out_dir)}); "
                                "tidak diikuti. Beri folder sebenarnya, atau --overwrite")
    taken = [q for q in paths if q.is_symlink() or q.exists()]
    if taken:
        shown = ", ".join(q.name + (" (tautan simbolik)" if q.is_symlink() else "") for q in taken[:5])
        raise OutputExistsError(f"{len(taken)} berkas sudah ada di {out_dir}: {shown}{' …' if len(taken) > 5 else ''}; "
                                "tidak ada yang ditimpa. Pakai folder lain, atau --overwrite untuk menimpanya")


def write_new(path: Path, payload: bytes, *, overwrite: bool = False) -> None:
    """Write `payload` to `path` without ever writing through a symlink: a new file is created
    exclusively (O_EXCL: fails if anything, even a symlink, appeared there meanwhile); with
    `overwrite` a temporary file in the same folder replaces the entry itself (a symlink is
    replaced, its target left untouched)."""
    if not overwrite:
        with open(path, "xb") as fh:
            fh.write(payload)
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run_batch(wh, year: int, chosen: pd.DataFrame, out_dir: Path, formats: tuple[str, ...] = ("docx", "pdf"),
              progress: Callable[[int, int, str], None] | None = None, *, overwrite: bool = False) -> BatchResult:
    """Write one file per instansi and format into `out_dir`; failures are collected, not fatal.
    Existing files and symlinks are refused up front (OutputExistsError) unless `overwrite`."""
    unknown = [f for f in formats if f not in WRITERS]
    if unknown:
        raise ValueError(f"format tidak dikenal: {unknown}; pilihan: {', '.join(WRITERS)}")
    out_dir = Path(out_dir)
    check_targets(out_dir, target_paths(chosen, year, out_dir, formats), overwrite=overwrite)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = BatchResult(instansi=len(chosen))
    started = time.perf_counter()
    total = len(chosen)
    for i, row in enumerate(chosen.itertuples(index=False), start=1):
        if progress:
            progress(i - 1, total, str(row.nama))
        try:
            brief = build_brief(wh, row.instansi_id, int(year))
            for fmt in formats:
                path = out_dir / f"{brief.file_stem}.{fmt}"
                write_new(path, WRITERS[fmt](brief), overwrite=overwrite)
                result.files.append(path)
        except (BriefError, OSError, RuntimeError) as exc:
            result.failed.append((row.instansi_id, str(exc)))
    if progress:
        progress(total, total, "selesai")
    result.seconds = time.perf_counter() - started
    return result
