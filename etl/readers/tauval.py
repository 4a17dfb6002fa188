"""TAUVAL export: per-instansi records of KemenPANRB's evaluation application (eval.spbe.go.id), as JSON.

A record: ``{"kode": "1111", "tahun": "2025", "nama_instansi": "…", "kategori": "Kementerian",
"daerah": "Pusat", "nilai": {"D2001": "2.4000000000", …, "A2001": "5.0000000000", …, "indeks": "…"}}``.
A file is one record, a list of records, or an object holding them under one member
(``{"data": [...]}``, ``{"records": [...]}``, ``{"data": {record}}`` …). Values are decimal strings
(JSON numbers are read too, exactly); a null or empty value is missing, not 0.

Mapping, from the instrument of the record's year: ``D20nn`` is domain nn, ``A20nn`` aspect nn
(D2001 → D1 Kebijakan, A2008 → A8 Layanan Publik under PermenPANRB 59/2020); a code the instrument
does not have, or any other key in ``nilai`` besides ``indeks``, is an error naming the record.
Instansi are matched by ``nama_instansi`` (with ``kategori``) like every other reader; ``kode``
is TAUVAL's own number (not a Kemendagri code) and ``daerah`` (Pusat/Daerah) are not used.
The predikat is the band of the UNROUNDED index (``Instrument.predikat``).

Each record's position in the file (1-based) is its ``baris``. Records that do not add up are
kept as published and reported by name (``peringatan``): a domain of 0 while its aspects are
filled, a domain that does not follow from its aspects, an index that does not follow from its
domains (Σ × bobot, tolerance `etl.validate.TOLERANCE`), values outside 1–5.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import numpy as np
import pandas as pd

from domain.instrument import Instrument, InstrumentRegistry
from domain.scoring import domain_values, index_value
from etl.readers.limits import SPLIT_ADVICE, Limits, count
from etl.report import GALAT, PERINGATAN, InputError, Issue, Report, fmt_num
from etl.validate import DOMAIN_COLUMNS, INDEX_COLUMNS, TOLERANCE, check_duplicates, check_row_keys

EXPECTED = ("ekspor TAUVAL (JSON): satu rekaman, daftar rekaman, atau objek yang memuat daftar itu; rekaman "
            "{\"tahun\", \"nama_instansi\", \"kategori\", \"nilai\": {\"D2001\"…, \"A2001\"…, \"indeks\"}}")
ASPECT_COLUMNS = ["tahun", "instansi_id", "instrument_id", "no_aspek", "nilai", "baris"]
_CODE = re.compile(r"^([DA])20(\d{2})$")
MISSING = object()


def _refuse(berkas: str, alasan: str, nilai: str | None = None) -> InputError:
    return InputError(Issue(berkas, None, None, nilai, alasan, GALAT))


def sniff(berkas: str, text: str, limits: Limits) -> list | None:
    """The records of a JSON text (None when the text is not JSON: it starts with neither { nor [)."""
    start = text.lstrip()[:1]
    if start not in ("{", "["):
        return None
    try:
        doc = json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise _refuse(berkas, f"JSON tidak valid: {exc.msg} (baris {exc.lineno}, kolom {exc.colno}); "
                              f"diharapkan {EXPECTED}") from None
    except (RecursionError, ValueError) as exc:
        raise _refuse(berkas, f"JSON tidak dapat dibaca ({exc.__class__.__name__}: {str(exc)[:80]}); "
                              f"diharapkan {EXPECTED}") from None
    records = records_of(berkas, doc)
    if len(records) > limits.rows:
        raise _refuse(berkas, f"berkas berisi {count(len(records))} rekaman, melebihi batas {count(limits.rows)}; "
                              f"berkas tidak dibaca — {SPLIT_ADVICE}", str(len(records)))
    return records


def _no_constant(name: str):
    raise ValueError(f"{name} bukan angka JSON")


def _is_record(item) -> bool:
    return isinstance(item, dict) and "nilai" in item


def records_of(berkas: str, doc) -> list:
    """One record, a list of records, or an object holding them under one member."""
    if _is_record(doc):
        return [doc]
    if isinstance(doc, dict):
        held = [v for v in doc.values() if isinstance(v, list) or _is_record(v)]
        if len(held) != 1:
            keys = ", ".join(repr(str(k))[:40] for k in list(doc)[:10]) or "-"
            raise _refuse(berkas, f"objek JSON tanpa 'nilai' dan tanpa tepat satu daftar rekaman (kunci: {keys}); "
                                  f"diharapkan {EXPECTED}")
        doc = held[0] if isinstance(held[0], list) else [held[0]]
    if not isinstance(doc, list):
        raise _refuse(berkas, f"JSON berisi {type(doc).__name__}, bukan rekaman; diharapkan {EXPECTED}")
    if not doc:
        raise _refuse(berkas, "daftar rekaman TAUVAL kosong; tidak ada yang dibaca")
    if not any(_is_record(item) for item in doc):
        raise _refuse(berkas, f"JSON ini bukan ekspor TAUVAL: tidak ada rekaman dengan 'nilai'; diharapkan {EXPECTED}")
    return doc


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def read_tauval(berkas: str, records: list, *, registry: InstrumentRegistry, matcher, tahun: int | None,
                instansi: str | None, report: Report) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(index, domains, aspects, matches) of the records that load; every problem an Issue naming the record."""
    since = len(report.issues)
    names = {pos: _text(r.get("nama_instansi")) if isinstance(r, dict) else "" for pos, r in enumerate(records, 1)}
    names = {pos: name or f"rekaman ke-{pos}" for pos, name in names.items()}
    shaped = [pos for pos, r in enumerate(records, 1) if _is_record(r) and isinstance(r["nilai"], dict)]
    for pos in sorted(set(names) - set(shaped)):
        report.add(Issue(berkas, pos, "nilai", None, "bukan rekaman TAUVAL (objek dengan 'nilai' berisi "
                         "D20xx/A20xx/indeks); tidak dimuat", GALAT))
    recs = [records[pos - 1] for pos in shaped]
    baris = pd.Series(shaped, dtype="int64")
    keys = pd.DataFrame({"nama": [_text(r.get("nama_instansi")) or None for r in recs],
                         "kategori": [_text(r.get("kategori")) or None for r in recs]}, dtype=object)
    from_file = any(_text(r.get("tahun")) for r in recs) or tahun is None
    years, ids, matches = check_row_keys(
        baris=baris, tahun_raw=pd.Series([_text(r.get("tahun")) for r in recs], dtype=object) if from_file else None,
        tahun_arg=tahun, kolom_tahun="tahun" if from_file else None, keys=keys, kolom_instansi="nama_instansi",
        matcher=matcher, registry=registry, berkas=berkas, report=report, instansi_arg=instansi)
    valid = (years.notna() & ids.notna()).to_numpy()
    keyed = pd.DataFrame({"baris": baris[valid].to_numpy(), "tahun": years[valid].astype("int64").to_numpy(),
                          "instansi_id": ids[valid].to_numpy()})
    dup = check_duplicates(keyed, what="rekaman", berkas=berkas, kolom="nama_instansi", report=report,
                           nilai=pd.Series([names[b] for b in keyed["baris"]], dtype=object))
    rows: dict[str, list] = {"index": [], "domains": [], "aspects": []}
    for row in keyed[~dup].itertuples(index=False):
        _load_record(berkas, int(row.baris), records[row.baris - 1]["nilai"], registry.for_year(int(row.tahun)),
                     {"tahun": int(row.tahun), "instansi_id": row.instansi_id}, rows, report)
    report.name_rows(berkas, names, since)
    return (pd.DataFrame(rows["index"], columns=INDEX_COLUMNS), pd.DataFrame(rows["domains"], columns=DOMAIN_COLUMNS),
            pd.DataFrame(rows["aspects"], columns=ASPECT_COLUMNS), matches)


def _load_record(berkas: str, pos: int, nilai: dict, ins: Instrument, key: dict, rows: dict, report: Report) -> None:
    """Check one record and, unless it cannot load, append its index, domain and aspect rows."""
    got = _record_values(berkas, pos, nilai, ins, report)
    if got is None:
        return
    indeks, domains, aspects = got
    _check_record(berkas, pos, ins, indeks, domains, aspects, report)
    key = {**key, "instrument_id": ins.id}
    rows["index"].append({**key, "indeks": float(indeks[1]), "predikat": ins.predikat(indeks[1]), "baris": pos})
    rows["domains"] += [{**key, "no_domain": no, "nilai": _float(v), "baris": pos} for no, (_, v) in sorted(domains.items())]
    rows["aspects"] += [{**key, "no_aspek": no, "nilai": _float(v), "baris": pos} for no, (_, v) in sorted(aspects.items())]


def _float(value) -> float:
    return np.nan if value is None else float(value)


def _number(value) -> Decimal | None | object:
    """A value as an exact Decimal; None when missing (null, ''); MISSING when not a finite number."""
    if value is None or isinstance(value, bool):
        return None if value is None else MISSING
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    else:
        text = str(value).strip()
        if text in ("", "-"):
            return None
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            return MISSING
    return number if number.is_finite() else MISSING


def _record_values(berkas: str, pos: int, nilai: dict, ins: Instrument, report: Report):
    """((code, indeks), {no_domain: (code, value)}, {no_aspek: (code, value)}) of one record, or None
    when the record cannot load (unknown code, a value that is not a number, no index)."""
    domains, aspects, indeks, ok = {}, {}, None, True
    have = {"D": {d.no for d in ins.domains}, "A": {a.no for a in ins.aspects}}
    for key, raw in nilai.items():
        code = str(key).strip()
        shown = None if raw is None else str(raw)[:60]
        m = _CODE.match(code.upper())
        if code.casefold() != "indeks" and not (m and int(m.group(2)) in have[m.group(1)]):
            what = ({"D": "domain", "A": "aspek"}[m.group(1)] + f" {int(m.group(2))}") if m else "kode"
            report.add(Issue(berkas, pos, f"nilai.{code}", shown,
                             f"kode '{code}' tidak dikenal: {what} tidak ada di {ins.nama} (domain "
                             f"{_codes(ins.domains, 'D')}, aspek {_codes(ins.aspects, 'A')}, indeks); rekaman tidak dimuat",
                             GALAT))
            ok = False
            continue
        value = _number(raw)
        if value is MISSING or (value is not None and not Decimal(0) <= value <= Decimal(5)):
            why = "bukan angka" if value is MISSING else "di luar rentang 0–5"
            report.add(Issue(berkas, pos, f"nilai.{code}", shown,
                             f"nilai {code} '{shown}' {why}; diharapkan angka 1–5 (mis. \"2.4000000000\"); "
                             "rekaman tidak dimuat", GALAT))
            ok = False
        elif code.casefold() == "indeks":
            indeks = (code, value)
        elif m.group(1) == "D":
            domains[int(m.group(2))] = (code, value)
        else:
            aspects[int(m.group(2))] = (code, value)
    if ok and (indeks is None or indeks[1] is None or not Decimal(1) <= indeks[1] <= Decimal(5)):
        shown = None if indeks is None or indeks[1] is None else str(indeks[1])
        what = "indeks kosong atau tidak ada" if shown is None else f"indeks {shown} di luar rentang 1–5"
        report.add(Issue(berkas, pos, "nilai.indeks", shown,
                         f"{what}; diharapkan Indeks SPBE 1,00–5,00; rekaman tidak dimuat", GALAT))
        ok = False
    return (indeks, domains, aspects) if ok else None


def _codes(items, letter: str) -> str:
    nos = [x.no for x in items]
    return f"{letter}20{min(nos):02d}–{letter}20{max(nos):02d}"


def _check_record(berkas: str, pos: int, ins: Instrument, indeks: tuple, domains: dict, aspects: dict,
                  report: Report) -> None:
    """Warnings on a record kept as published: ranges, missing values, and what does not add up."""
    def warn(kolom: str, nilai, alasan: str) -> None:
        shown = format(nilai, "f") if isinstance(nilai, Decimal) else nilai  # as written: 0.0000000000, not 0E-10
        report.add(Issue(berkas, pos, kolom, shown,
                         alasan + "; dimuat seperti dipublikasikan, periksa sumbernya", PERINGATAN))

    zero_filled = set()
    for d in ins.domains:
        mine = [a for a in ins.aspects if a.no_domain == d.no]
        code, value = domains.get(d.no, (f"D20{d.no:02d}", None))
        filled = [(aspects[a.no][0], aspects[a.no][1]) for a in mine if a.no in aspects and aspects[a.no][1]]
        if value == 0 and filled:
            zero_filled.add(d.no)
            warn(f"nilai.{code}", value, f"domain {d.kode} ({d.label}) bernilai 0 padahal aspeknya terisi ("
                 + ", ".join(f"{c} {fmt_num(float(v))}" for c, v in filled) + ")")
        elif value is not None and not Decimal(1) <= value <= Decimal(5):
            warn(f"nilai.{code}", value, f"nilai domain {d.kode} ({d.label}) {fmt_num(float(value))} di luar rentang 1–5")
    for a in ins.aspects:
        code, value = aspects.get(a.no, (None, None))
        if value is not None and not Decimal(1) <= value <= Decimal(5):
            warn(f"nilai.{code}", value, f"nilai aspek {a.kode} ({a.label}) {fmt_num(float(value))} di luar rentang 1–5")
    _check_sums(ins, indeks, domains, aspects, zero_filled, warn)


def _check_sums(ins: Instrument, indeks: tuple, domains: dict, aspects: dict, zero_filled: set, warn) -> None:
    """Domain vs its aspects (Σ aspek × bobot / bobot domain) and index vs domains (Σ domain × bobot / 100)."""
    given = {no: v for no, (_, v) in domains.items() if v is not None}
    missing = [d for d in ins.domains if d.no not in given]
    if missing:
        warn("nilai", None, "nilai domain " + ", ".join(f"D20{d.no:02d} ({d.kode} {d.label})" for d in missing)
             + f" kosong (bukan 0): konsistensi indeks {fmt_num(float(indeks[1]))} dengan domain tidak dapat diperiksa")
    asp = {no: v for no, (_, v) in aspects.items() if v is not None}
    if asp and len(asp) < len(ins.aspects):
        absent = [a for a in ins.aspects if a.no not in asp]
        warn("nilai", None, "nilai aspek " + ", ".join(f"A20{a.no:02d} ({a.kode} {a.label})" for a in absent)
             + " kosong: domainnya tidak dapat diperiksa terhadap aspek")
    computed = domain_values(ins, {a.no: Fraction(asp.get(a.no, 0)) for a in ins.aspects})
    for d in ins.domains:
        mine = [a.no for a in ins.aspects if a.no_domain == d.no]
        if d.no not in given or d.no in zero_filled or not all(no in asp for no in mine):
            continue
        diff = float(Fraction(given[d.no]) - computed[d.no])
        if round(abs(diff), 6) > TOLERANCE:
            code = domains[d.no][0]
            warn(f"nilai.{code}", given[d.no],
                 f"domain {d.kode} ({d.label}) {fmt_num(float(given[d.no]))} ≠ {fmt_num(float(computed[d.no]))} dari "
                 f"aspeknya (selisih {fmt_num(abs(diff))}; Σ aspek × bobot / {fmt_num(float(d.bobot), 1)})")
    if missing:
        return
    implied = index_value(ins, {no: Fraction(v) for no, v in given.items()})
    diff = float(Fraction(indeks[1]) - implied)
    if round(abs(diff), 6) > TOLERANCE:
        warn(f"nilai.{indeks[0]}", indeks[1],
             f"indeks {fmt_num(float(indeks[1]))} ≠ {fmt_num(float(implied))} dari domain (selisih "
             f"{fmt_num(abs(diff))}; Σ domain × bobot {ins.nama} / 100)")
