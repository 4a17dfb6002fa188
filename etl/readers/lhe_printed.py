"""The LHE's own figures: the score table "Nilai Indeks SPBE, Domain, dan Aspek" (index, then each
domain followed by its aspects, in the instrument's order) and the headline beside the heading
"INDEKS SPBE – <INSTANSI>" (index and predikat). What the reader computes from the indicator
levels (domain.scoring) is checked against them; every difference becomes an Issue naming the
figure and both values.

The table's values are paired with their rows by order, and only when the text keeps the rows
(each "Domain …" label carries its value on its line, as pypdf and `pdftotext -layout` give).
Plain `pdftotext` prints the table column by column; then only the headline index is compared,
and a notice says so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.instrument import Instrument
from domain.scoring import Scores
from etl.readers.lhe_meta import HEADING as NAME_HEADING
from etl.report import PERINGATAN, Issue, Report, fmt_num

SCORE_HEADING = re.compile(r"nilai\s+indeks\s+spbe\s*,\s*domain\s*,?\s*dan\s+aspek", re.IGNORECASE)
KOLOM = "Nilai Indeks SPBE, Domain, dan Aspek"
_STOP = re.compile(r"^\s*(?:kekuatan\s+dan\s+kelemahan|perolehan\s+nilai|rekomendasi)\b", re.IGNORECASE)
_VAL = re.compile(r"(?<![\d,.])(\d[.,]\d{2})(?![\d,.%])")
_PREDIKAT = re.compile(r"\((memuaskan|sangat baik|baik|cukup|kurang)\)", re.IGNORECASE)
BLOCK_LINES = 80


@dataclass
class Printed:
    items: list[tuple[str, int | None, int, list[float]]] = field(default_factory=list)  # (jenis, no, baris, vals)
    headline: tuple[int, float] | None = None         # (baris, index) beside the heading
    predikat: tuple[int, str] | None = None           # (baris, predikat) beside the heading
    notice: Issue | None = None                       # why the table's rows were not compared


def _num(s: str) -> float:
    return float(s.replace(",", "."))


def _order(ins: Instrument) -> list[tuple[str, int | None]]:
    out: list[tuple[str, int | None]] = [("indeks", None)]
    if not ins.domains:
        return out + [("aspek", a.no) for a in ins.aspects]
    for d in ins.domains:
        out += [("domain", d.no)] + [("aspek", a.no) for a in ins.aspects if a.no_domain == d.no]
    return out


def _headline(lines: list[str], found: Printed) -> None:
    for i, line in enumerate(lines):
        if not NAME_HEADING.match(line):
            continue
        for j in sorted(range(max(0, i - 3), min(len(lines), i + 5)), key=lambda j: abs(j - i)):
            vals = _VAL.findall(lines[j])
            pred = _PREDIKAT.search(lines[j])
            if found.headline is None and len(vals) == 1 and (j == i or len(lines[j].split()) <= 2):
                found.headline = (j + 1, _num(vals[0]))
            if found.predikat is None and pred:
                found.predikat = (j + 1, pred.group(1).title())
        return


def _rows(lines: list[str], start: int) -> list[tuple[int, list[str], str]]:
    rows = []
    for i in range(start + 1, min(len(lines), start + 1 + BLOCK_LINES)):
        if _STOP.match(lines[i]):
            break
        vals = _VAL.findall(lines[i])
        if vals:
            rows.append((i + 1, vals, _VAL.split(lines[i])[0].strip()))
    return rows


def read_printed(berkas: str, lines: list[str], ins: Instrument) -> Printed:
    found = Printed()
    _headline(lines, found)
    start = next((i for i, ln in enumerate(lines) if SCORE_HEADING.search(ln)), None)
    if start is None:
        return found
    rows, order = _rows(lines, start), _order(ins)
    if len(rows) == len(order) + 1 and not rows[0][2] and rows[0][1] == rows[1][1]:
        rows = rows[1:]          # the headline repeated above the table
    if not rows:
        return found
    widths = {len(v) for _, v, _ in rows}
    expected = f"{len(order)} baris (indeks, {len(ins.domains)} domain, {len(ins.aspects)} aspek)"
    if len(rows) != len(order) or len(widths) != 1 or widths.pop() > 2:
        found.notice = Issue(berkas, start + 1, KOLOM, None,
                             f"tabel '{KOLOM}' memuat {len(rows)} baris bernilai, diharapkan {expected}; nilai "
                             "domain dan aspek yang tercetak tidak dibandingkan dengan hasil hitung", PERINGATAN)
        return found
    labelled = all("domain" in text.casefold() for (jenis, _), (_, _, text) in zip(order, rows) if jenis == "domain")
    if not labelled:
        found.notice = Issue(berkas, start + 1, KOLOM, None,
                             f"tabel '{KOLOM}' terbaca kolom demi kolom (nama dan nilai terpisah); nilai domain dan "
                             "aspek yang tercetak tidak dibandingkan, hanya indeks di samping judul", PERINGATAN)
        return found
    found.items = [(jenis, no, baris, [_num(v) for v in vals]) for (jenis, no), (baris, vals, _) in zip(order, rows)]
    return found


def _label(ins: Instrument, jenis: str, no: int | None) -> str:
    if jenis == "domain":
        return f"domain {ins.domain(no).kode} ({ins.domain(no).nama})"
    if jenis == "aspek":
        return f"aspek {ins.aspect(no).kode} ({ins.aspect(no).nama})"
    return "Indeks SPBE"


def _value(sc: Scores, jenis: str, no: int | None) -> float:
    if jenis == "domain":
        return sc.domain_rounded()[no]
    if jenis == "aspek":
        return sc.aspek_rounded()[no]
    return sc.indeks


def compare(berkas: str, printed: Printed, ins: Instrument, computed: list[tuple[int, Scores]],
            report: Report) -> int:
    """Issues for every printed figure that differs from the computed one; returns how many were
    compared. `computed` is (year, scores) per level column, left to right."""
    if printed.notice is not None:
        report.add(printed.notice)
    checks: list[tuple[str, int, float, float, int]] = []     # (label, baris, printed, computed, year)
    for jenis, no, baris, vals in printed.items:
        for (year, sc), val in zip(computed[-len(vals):], vals):
            checks.append((_label(ins, jenis, no), baris, val, _value(sc, jenis, no), year))
    year, last = computed[-1]
    if printed.headline:
        checks.append(("Indeks SPBE (di samping judul)", printed.headline[0], printed.headline[1], last.indeks, year))
    for label, baris, val, got, yr in checks:
        if abs(val - got) > 0.005 + 1e-9:
            report.add(Issue(berkas, baris, KOLOM, fmt_num(val),
                             f"{label} {yr}: tercetak di LHE {fmt_num(val)}, dihitung dari level indikator "
                             f"{fmt_num(got)}; periksa level indikator yang terbaca (atau angka di LHE)", PERINGATAN))
    if printed.predikat and printed.predikat[1].casefold() != str(last.predikat).casefold():
        report.add(Issue(berkas, printed.predikat[0], KOLOM, printed.predikat[1],
                         f"predikat {year}: tercetak di LHE '{printed.predikat[1]}', dihitung dari level indikator "
                         f"'{last.predikat}' (indeks {fmt_num(last.indeks)})", PERINGATAN))
    return len(checks)
