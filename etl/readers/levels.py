"""Indicator-level tables, wide (one column per indicator) or long (no_indikator + level)."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from domain.instrument import InstrumentRegistry
from etl.cells import map_unique
from etl.match import normalise_name
from etl.readers.tabular import IGNORED, RawTable, common_roles, describe_columns, norm_header
from etl.report import GALAT, PERINGATAN, InputError, Issue, Report
from etl.validate import check_duplicates, check_levels, check_row_keys, emit

NO_NAMES = {"no indikator", "nomor indikator", "indikator", "id indikator", "kode indikator", "no ind",
            "indikator no"}
LEVEL_NAMES = {"level", "level final", "level akhir", "nilai", "nilai akhir", "tingkat kematangan",
               "nilai tingkat kematangan", "level evaluasi", "nilai final", "level verifikasi"}
MANDIRI_NAMES = {"level mandiri", "nilai mandiri", "penilaian mandiri", "mandiri", "level penilaian mandiri",
                 "nilai penilaian mandiri"}
LEVEL_IGNORED = IGNORED | {"nama indikator", "id aspek", "no aspek", "aspek", "kode aspek", "nama aspek",
                           "domain", "bobot", "bobot indikator", "bobot indikator pct"}
_WIDE = re.compile(r"^(?:i|ind|indikator|indicator)?\s?0*(\d{1,3})$")
MIN_WIDE = 3
EXPECTED = ("nilai indikator: tahun, instansi_id/kode_wilayah/nama_instansi, lalu satu kolom per indikator "
            "(1…47, I1, ind_1, indikator_1) atau no_indikator + level [+ level_mandiri]")


def level_roles(labels: list[str]) -> dict:
    """Roles for a levels table, or {} when the header is not one."""
    roles: dict = {"common": common_roles(labels), "wide": {}}
    for pos, label in enumerate(labels):
        h = norm_header(label)
        if "no" not in roles and h in NO_NAMES:
            roles["no"] = pos
        elif "mandiri" not in roles and h in MANDIRI_NAMES:
            roles["mandiri"] = pos
        elif "level" not in roles and h in LEVEL_NAMES:
            roles["level"] = pos
        elif m := _WIDE.match(h):
            roles["wide"].setdefault(int(m.group(1)), pos)
    if "no" in roles and "level" in roles:
        roles["bentuk"] = "panjang"
    elif len(roles["wide"]) >= MIN_WIDE:
        roles["bentuk"] = "lebar"
    else:
        return {}
    return roles


def _need(berkas: str, table: RawTable, what: str, expected: str = EXPECTED) -> None:
    raise InputError(Issue(berkas, table.header_line, None, None,
                           f"{what}. Kolom yang ditemukan: {describe_columns(table.labels)}. "
                           f"Diharapkan untuk {expected}", GALAT))


def instansi_keys(table: RawTable, common: dict, instansi: str | None,
                  expected: str = EXPECTED) -> tuple[pd.DataFrame, str | None]:
    """Matching keys per data row (id, kode, nama + kategori/provinsi from columns or section rows)."""
    data, n = table.data, len(table.data)
    if not any(r in common for r in ("instansi_id", "kode", "nama")):
        if not instansi:
            _need(table.berkas, table, "kolom instansi (instansi_id, kode_wilayah atau nama_instansi) tidak ada "
                                       "dan argumen instansi tidak diberikan", expected)
        same = pd.Series(np.full(n, instansi, dtype=object), dtype=object)
        return pd.DataFrame({"id": same, "nama": same}), None
    keys = pd.DataFrame({role: data[common[src]].reset_index(drop=True) for role, src in
                         (("id", "instansi_id"), ("kode", "kode"), ("nama", "nama")) if src in common})
    for role in ("kategori", "provinsi"):
        ctx = table.context[role].reset_index(drop=True)
        if role in common:
            col = data[common[role]].reset_index(drop=True).astype(object)
            keys[role] = col.where(col.astype(str).str.strip() != "", ctx)
        else:
            keys[role] = ctx
    label = next(table.labels[common[r]] for r in ("instansi_id", "kode", "nama") if r in common)
    return keys, label


def instansi_from_filename(berkas: str, matcher) -> str | None:
    """The one instansi a file's name spells out exactly, by master name or alias, in two words or
    more ('indicator_levels_kota_denpasar_2018_2019.csv' → kota-51.71); None when none or several."""
    tokens = [t for t in normalise_name(Path(berkas).stem).split() if not t.isdigit()]
    for size in range(len(tokens), 1, -1):  # the longest run of words first
        found = {i for start in range(len(tokens) - size + 1)
                 for table in (matcher.by_nama, matcher.by_alias)
                 for i in table.get(" ".join(tokens[start:start + size]), [])}
        if found:
            return found.pop() if len(found) == 1 else None
    return None


def shown_instansi(keys: pd.DataFrame) -> pd.Series:
    """The instansi as written in the file (name, else code, else id)."""
    col = next(c for c in ("nama", "kode", "id") if c in keys.columns)
    return keys[col].astype(object)


def read_levels(table: RawTable, roles: dict, *, registry: InstrumentRegistry, matcher, tahun: int | None,
                instansi: str | None, report: Report) -> tuple[pd.DataFrame, pd.DataFrame]:
    berkas, data, common = table.berkas, table.data, roles["common"]
    if "tahun" not in common and tahun is None:
        _need(berkas, table, "kolom tahun tidak ada dan argumen tahun tidak diberikan")
    if not instansi and not any(r in common for r in ("instansi_id", "kode", "nama")):
        instansi = _instansi_from_berkas(table, matcher, report)
    keys, kolom_instansi = instansi_keys(table, common, instansi)
    baris = pd.Series(table.lines)
    kolom_tahun = table.labels[common["tahun"]] if "tahun" in common else None
    _warn_unread_columns(table, roles, report)
    years, ids, matches = check_row_keys(
        baris=baris, tahun_raw=data[common["tahun"]] if "tahun" in common else None, tahun_arg=tahun,
        kolom_tahun=kolom_tahun, keys=keys, kolom_instansi=kolom_instansi, matcher=matcher, registry=registry,
        berkas=berkas, report=report, instansi_arg=instansi)
    valid = (years.notna() & ids.notna()).to_numpy()
    since = len(report.issues)
    if roles["bentuk"] == "panjang":
        rows = _long_rows(table, roles, baris, years, ids, valid)
        out = check_levels(rows, registry, berkas=berkas, report=report, kolom_lengkap=table.labels[roles["no"]],
                           kategori=getattr(matcher, "kategori", None))
    else:
        long = _wide_rows(table, roles, baris, years, ids, valid, keys=keys, kolom_instansi=kolom_instansi,
                          report=report)
        out = check_levels(long, registry, berkas=berkas, report=report, kolom_lengkap=None,
                           kategori=getattr(matcher, "kategori", None))
    if kolom_instansi:   # the file names its instansi per row: say whose row each problem is on
        report.name_rows(berkas, dict(zip(table.lines, shown_instansi(keys).astype(str))), since)
    return out, matches


def _instansi_from_berkas(table: RawTable, matcher, report: Report) -> str | None:
    """A file without an instansi column: the instansi named by the file name (with a peringatan)."""
    berkas = table.berkas
    instansi = instansi_from_filename(berkas, matcher)
    if instansi:
        report.add(Issue(berkas, table.header_line, None, None,
                         f"berkas tanpa kolom instansi: instansi diambil dari nama berkas — "
                         f"{matcher.nama.get(instansi, instansi)} ({instansi}); jika keliru, sebutkan instansinya "
                         "(argumen --instansi)", PERINGATAN))
    return instansi


def _warn_unread_columns(table: RawTable, roles: dict, report: Report) -> None:
    """One peringatan naming the columns that have no role (and are not known to be ignorable)."""
    used = set(roles["common"].values()) | {roles.get(k) for k in ("no", "level", "mandiri")}
    if roles["bentuk"] == "lebar":
        used |= set(roles["wide"].values())
    extra = [table.labels[p] for p in range(len(table.labels))
             if p not in used and norm_header(table.labels[p]) not in LEVEL_IGNORED]
    if extra:
        report.add(Issue(table.berkas, table.header_line, None, None,
                         f"kolom tidak dikenal dan tidak dibaca: {', '.join(extra)}", PERINGATAN))


def _long_rows(table: RawTable, roles: dict, baris: pd.Series, years: pd.Series, ids: pd.Series,
               valid: np.ndarray) -> pd.DataFrame:
    """Rows for check_levels from a long table (one row per indicator), valid keys only."""
    data, lab = table.data, table.labels

    def col(pos):
        return data[pos][valid].reset_index(drop=True)
    return pd.DataFrame({
        "baris": baris[valid].to_numpy(), "tahun": years[valid].astype("int64").to_numpy(),
        "instansi_id": ids[valid].to_numpy(),
        "no_raw": col(roles["no"]), "level_raw": col(roles["level"]),
        "mandiri_raw": col(roles["mandiri"]) if "mandiri" in roles else None,
        "kolom_no": lab[roles["no"]], "kolom_level": lab[roles["level"]],
        "kolom_mandiri": lab[roles["mandiri"]] if "mandiri" in roles else None,
    })


def _wide_rows(table: RawTable, roles: dict, baris: pd.Series, years: pd.Series, ids: pd.Series,
               valid: np.ndarray, *, keys, kolom_instansi, report: Report) -> pd.DataFrame:
    """Rows for check_levels from a wide table (one source row per instansi-year, a column per
    indicator): repeated instansi-years and rows without any value are reported; one row per filled cell."""
    berkas, data = table.berkas, table.data
    keyed = pd.DataFrame({"baris": baris[valid].to_numpy(), "tahun": years[valid].astype("int64").to_numpy(),
                          "instansi_id": ids[valid].to_numpy()})
    dup = check_duplicates(keyed, what="nilai indikator", berkas=berkas, kolom=kolom_instansi, report=report,
                           nilai=shown_instansi(keys)[valid].reset_index(drop=True))
    rows_pos = np.flatnonzero(valid)[~dup]
    keyed = keyed[~dup].reset_index(drop=True)
    ind = sorted(roles["wide"].items())
    positions = [pos for _, pos in ind]
    sub = data.iloc[rows_pos, positions]
    present = np.column_stack([
        map_unique(sub.iloc[:, j], lambda u: (u.astype(str).str.strip() != "").to_numpy()).to_numpy(dtype=bool)
        for j in range(len(positions))]) if len(positions) else np.zeros((len(rows_pos), 0), dtype=bool)
    empty = keyed[present.sum(axis=1) == 0].assign(nilai=None)
    emit(report, berkas, empty, lambda r: "baris ini tidak berisi satu pun nilai indikator; diharapkan level 1–5 "
                                          "di setiap kolom indikator", kolom=None)
    r_idx, k_idx = np.nonzero(present)
    cells = sub.to_numpy(dtype=object)
    header = np.array([table.labels[p] for p in positions], dtype=object)
    return pd.DataFrame({
        "baris": keyed["baris"].to_numpy()[r_idx], "tahun": keyed["tahun"].to_numpy()[r_idx],
        "instansi_id": pd.Series(keyed["instansi_id"].to_numpy(dtype=object)[r_idx], dtype=object),
        "no_raw": pd.Series(np.array([str(no) for no, _ in ind], dtype=object)[k_idx], dtype=object),
        "level_raw": pd.Series(cells[r_idx, k_idx], dtype=object),
        "mandiri_raw": None,
        "kolom_no": pd.Series(header[k_idx], dtype=object), "kolom_level": pd.Series(header[k_idx], dtype=object),
        "kolom_mandiri": None})
