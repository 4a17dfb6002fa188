"""Published per-instansi results: domain values, Indeks SPBE and predikat, as the annexes print them."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from domain.instrument import Instrument, InstrumentRegistry
from etl.readers.levels import instansi_keys, shown_instansi
from etl.readers.tabular import IGNORED, RawTable, common_roles, describe_columns, norm_header
from etl.report import GALAT, PERINGATAN, InputError, Issue, Report
from etl.validate import DOMAIN_COLUMNS, INDEX_COLUMNS, check_duplicates, check_row_keys
from etl.validate_published import check_published

EXPECTED = ("hasil publikasi: nama_instansi (atau instansi_id/kode_wilayah), indeks, tahun "
            "[+ kolom domain D1…D4 / 'Domain Kebijakan' …, predikat]")
_INDEKS = re.compile(r"^(?:nilai |skor )?(?:indeks|skor|nilai)(?: spbe)?(?: akhir)?(?: tahun)?(?: \d{4})?$")
_DOMAIN_NO = re.compile(r"^(?:nilai |indeks )?(?:d|domain ?)(\d)\b")


def domain_words(registry: InstrumentRegistry) -> set[str]:
    return {norm_header(d.label) for ins in registry for d in ins.domains}


def published_roles(labels: list[str], registry: InstrumentRegistry) -> dict:
    """Roles for a published-results table, or {} when the header is not one."""
    words = domain_words(registry)
    roles: dict = {"common": common_roles(labels), "domains": []}
    taken = set(roles["common"].values())
    for pos, label in enumerate(labels):
        if pos in taken:
            continue
        h = norm_header(label)
        if not h or "aspek" in h or re.match(r"^a\d", h):
            continue
        m = _DOMAIN_NO.match(h)
        word = next((w for w in sorted(words, key=len, reverse=True) if re.search(rf"\b{w}\b", h)), None)
        if m or word or h.startswith("domain") or " domain " in f" {h} ":
            roles["domains"].append((pos, label, int(m.group(1)) if m else None, word))
        elif "indeks" not in roles and _INDEKS.match(h):
            roles["indeks"] = pos
        elif "predikat" not in roles and (h.startswith("predikat") or h == "kategori predikat"):
            roles["predikat"] = pos
    if "indeks" not in roles:
        return {}
    return roles


def map_domains(cands: list, ins: Instrument, words: set[str]) -> tuple[dict[int, tuple[int, str]], list[str]]:
    """{no_domain: (position, label)} for one instrument, and what does not fit."""
    mapping, problems = {}, []
    labels = {norm_header(d.label): d.no for d in ins.domains}
    for pos, label, num, word in cands:
        if word is not None:
            no = labels.get(word)
            if no is None:
                problems.append(f"kolom '{label}' (domain {word.title()}) tidak ada di {ins.nama}")
                continue
        elif num is not None and num in {d.no for d in ins.domains}:
            no = num
        else:
            problems.append(f"kolom '{label}' tidak cocok dengan domain {ins.nama}")
            continue
        if no in mapping:
            problems.append(f"kolom '{label}' dan '{mapping[no][1]}' sama-sama domain {ins.domain(no).label}")
            continue
        mapping[no] = (pos, label)
    if mapping or problems:
        missing = [d for d in ins.domains if d.no not in mapping]
        if missing:
            problems.append("kolom domain " + ", ".join(f"{d.kode} {d.label}" for d in missing) + " tidak ada")
    return mapping, problems


NOTE_COLUMNS = ["tahun", "instansi_id", "kolom", "nilai", "alasan"]


def row_notes(report: Report, index: pd.DataFrame | None, berkas: str | None = None) -> pd.DataFrame:
    """The warnings on rows that were loaded (a published row kept as published despite a flag), as
    warehouse notes: one row per warning with the row's tahun and instansi_id (`catatan` table)."""
    if index is None or index.empty or "baris" not in index.columns:
        return pd.DataFrame(columns=NOTE_COLUMNS)
    where = index.drop_duplicates("baris").set_index("baris")[["tahun", "instansi_id"]]
    rows = [{"tahun": int(where.at[i.baris, "tahun"]), "instansi_id": str(where.at[i.baris, "instansi_id"]),
             "kolom": i.kolom or "", "nilai": i.nilai or "", "alasan": i.alasan}
            for i in report.warnings
            if i.baris in where.index and (berkas is None or i.berkas == berkas)]
    return pd.DataFrame(rows, columns=NOTE_COLUMNS)


def read_published(table: RawTable, roles: dict, *, registry: InstrumentRegistry, matcher, tahun: int | None,
                   instansi: str | None, report: Report) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    berkas, data, common = table.berkas, table.data, roles["common"]
    since = len(report.issues)
    if "tahun" not in common and tahun is None:
        raise InputError(Issue(berkas, table.header_line, None, None,
                               f"kolom tahun tidak ada dan argumen tahun tidak diberikan. Kolom yang ditemukan: "
                               f"{describe_columns(table.labels)}. Diharapkan untuk {EXPECTED}", GALAT))
    keys, kolom_instansi = instansi_keys(table, common, instansi, EXPECTED)
    names = dict(zip(table.lines, shown_instansi(keys).astype(str)))
    _warn_unread_columns(table, roles, report)
    baris = pd.Series(table.lines)
    kolom_tahun = table.labels[common["tahun"]] if "tahun" in common else None
    years, ids, matches = check_row_keys(
        baris=baris, tahun_raw=data[common["tahun"]] if "tahun" in common else None, tahun_arg=tahun,
        kolom_tahun=kolom_tahun, keys=keys, kolom_instansi=kolom_instansi, matcher=matcher, registry=registry,
        berkas=berkas, report=report, instansi_arg=instansi)
    valid = (years.notna() & ids.notna()).to_numpy()
    rows = pd.DataFrame({"baris": baris[valid].to_numpy(), "tahun": years[valid].astype("int64").to_numpy(),
                         "instansi_id": ids[valid].to_numpy(), "indeks_raw": data[roles["indeks"]][valid].to_numpy()})
    if "predikat" in roles:
        rows["predikat_raw"] = data[roles["predikat"]][valid].to_numpy()
    dup = check_duplicates(rows, what="instansi", berkas=berkas, kolom=kolom_instansi, report=report,
                           nilai=shown_instansi(keys)[valid].reset_index(drop=True))
    rows = rows[~dup]
    src = np.flatnonzero(valid)[~dup]
    index_parts, domain_parts = _check_per_instrument(table, roles, rows, src, registry=registry, report=report)
    report.name_rows(berkas, names, since)
    index = pd.concat(index_parts, ignore_index=True) if index_parts else pd.DataFrame(columns=INDEX_COLUMNS)
    domains = pd.concat(domain_parts, ignore_index=True) if domain_parts else pd.DataFrame(columns=DOMAIN_COLUMNS)
    return index, domains, matches


def _warn_unread_columns(table: RawTable, roles: dict, report: Report) -> None:
    """One peringatan naming the columns that have no role (and are not known to be ignorable)."""
    used = set(roles["common"].values()) | {roles.get("indeks"), roles.get("predikat")} | {c[0] for c in roles["domains"]}
    extra = [table.labels[p] for p in range(len(table.labels))
             if p not in used and norm_header(table.labels[p]) not in IGNORED]
    if extra:
        report.add(Issue(table.berkas, table.header_line, None, None,
                         f"kolom tidak dikenal dan tidak dibaca: {', '.join(extra)}", PERINGATAN))


def _check_per_instrument(table: RawTable, roles: dict, rows: pd.DataFrame, src: np.ndarray, *,
                          registry: InstrumentRegistry, report: Report) -> tuple[list, list]:
    """check_published per instrument of the rows' years (src: position of each row in table.data);
    years whose instrument the domain columns do not fit are refused with one galat.
    Returns (index parts, domain parts)."""
    berkas, data = table.berkas, table.data
    labels = {"indeks": table.labels[roles["indeks"]], "predikat": table.labels[roles["predikat"]]
              if "predikat" in roles else None}
    words = domain_words(registry)
    if not roles["domains"]:
        report.add(Issue(berkas, table.header_line, None, None,
                         "tabel tidak punya kolom domain; konsistensi indeks dengan domain tidak dapat diperiksa",
                         PERINGATAN))
    index_parts, domain_parts = [], []
    ins_of_year = {int(y): registry.for_year(int(y)).id for y in rows["tahun"].unique()}
    row_ins = rows["tahun"].map(ins_of_year).to_numpy()
    for ins_id in dict.fromkeys(row_ins):
        ins = registry.by_id(ins_id)
        sel = row_ins == ins_id
        mapping, problems = map_domains(roles["domains"], ins, words)
        group = rows[sel].copy()
        if problems:
            years_txt = ", ".join(str(y) for y in sorted(group["tahun"].unique()))
            report.add(Issue(berkas, table.header_line, None, None,
                             f"kolom domain tidak sesuai instrumen tahun {years_txt} ({ins.nama}, "
                             f"{len(ins.domains)} domain: {', '.join(d.label for d in ins.domains)}): "
                             f"{'; '.join(problems)}; {len(group)} baris tahun itu tidak dimuat", GALAT))
            continue
        for no, (pos, _label) in mapping.items():
            group[f"d{no}_raw"] = data[pos].to_numpy()[src[sel]]
        index, domains = check_published(group, ins, domain_cols={no: lab for no, (_, lab) in mapping.items()},
                                         labels=labels, berkas=berkas, report=report)
        index_parts.append(index)
        domain_parts.append(domains)
    return index_parts, domain_parts
