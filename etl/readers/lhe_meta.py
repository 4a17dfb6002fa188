"""Year and instansi of an LHE, from the places KemenPANRB prints them — never from prose.

Year, strongest first:
1. the cover: "INDEKS SPBE TAHUN 2021" on one line, or "INDEKS SPBE" and "TAHUN 2021" on two;
2. a title line (the whole line, capitalised): "EVALUASI SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK
   TAHUN 2021", "Laporan Hasil Evaluasi SPBE Tahun 2023", "PEMANTAUAN SPBE TAHUN 2022";
3. weak, with a notice: the report's date ("Jakarta, 29 Desember 2021"; January–March counts for
   the year before) or number ("Nomor: B/123/KT.01/2023").
A sentence such as "…hasil evaluasi SPBE tahun 2022 dapat menggambarkan…" is none of these.

Instansi, strongest first: the heading "INDEKS SPBE – <INSTANSI>" beside the score table (every
LHE has it; the name may wrap onto the next line), then the cover's name lines (wrapped, before or
after "INDEKS SPBE / TAHUN …", depending on how the PDF was turned into text). A name that the
master knows exactly wins over one that only looks like a name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_UPPER_NAME = re.compile(r"^[A-Z][A-Z .,'&()/-]*[A-Z.)]$")
_COVER_ONE = re.compile(r"^indeks\s+spbe\s+tahun\s+(\d{4})$", re.IGNORECASE)
_COVER_HEAD = re.compile(r"^indeks\s+spbe$", re.IGNORECASE)
_COVER_YEAR = re.compile(r"^tahun\s+(\d{4})$", re.IGNORECASE)
_TITLE = re.compile(
    r"^(?:laporan\s+)?(?:hasil\s+)?(?:pemantauan\s+dan\s+evaluasi|pemantauan|evaluasi)\s+"
    r"(?:spbe|sistem\s+pemerintahan\s+berbasis\s+elektronik(?:\s*\(spbe\))?)\s+(tahun)\s+(\d{4})$", re.IGNORECASE)
_MONTHS = ("januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober",
           "november", "desember")
_DATE = re.compile(r"^[A-Z][A-Za-z .]{2,30},\s*\d{1,2}\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})$", re.IGNORECASE)
_NUMBER = re.compile(r"^nomor\s*:?\s*[A-Z0-9./-]*/(\d{4})$", re.IGNORECASE)
HEADING = re.compile(r"^\s*INDEKS\s+SPBE\s*[–—‒−-]\s*(\S.*)$", re.IGNORECASE)   # linear on any line
_TRAILER = re.compile(r"\s+(?:\d+[.,]\d+|\((?:memuaskan|sangat baik|baik|cukup|kurang)\))(?=\s|$).*$", re.IGNORECASE)
_BOILERPLATE = re.compile(
    r"^(?:laporan\s+hasil|sistem\s+pemerintahan|deputi|kementerian\s+pendayagunaan|pendayagunaan\s+aparatur|"
    r"dan\s+reformasi\s+birokrasi|kementerian$|panrb$|indeks\s+spbe|tahun\s+\d{4}|nilai\s+indeks|daftar\s+isi|"
    r"kata\s+pengantar|ringkasan)", re.IGNORECASE)
COVER_LINES = 60
MAX_HEADINGS = 5         # 'INDEKS SPBE – …' headings looked at (a real LHE has one)


@dataclass(frozen=True)
class Found:
    value: object          # year (int) or name (str)
    baris: int             # 1-based line
    teks: str              # the line(s) as written
    sumber: str            # where it came from, in Indonesian ("sampul", "judul", "tanggal laporan", …)
    lemah: bool = False    # a weak source: used with a notice


def _clean(line: str) -> str:
    return " ".join(line.split())


def years(lines: list[str]) -> list[Found]:
    """Every year statement in the document, strongest first (cover, titles, then weak sources)."""
    cover, titles, weak = [], [], []
    for i, raw in enumerate(lines):
        s = _clean(raw)
        if not s:
            continue
        if (m := _COVER_ONE.match(s)) and i < COVER_LINES:
            cover.append(Found(int(m.group(1)), i + 1, s, "sampul"))
        elif _COVER_HEAD.match(s) and i < COVER_LINES:
            nxt = next((j for j in range(i + 1, min(i + 4, len(lines))) if lines[j].strip()), None)
            if nxt is not None and (m := _COVER_YEAR.match(_clean(lines[nxt]))):
                cover.append(Found(int(m.group(1)), nxt + 1, f"{s} / {_clean(lines[nxt])}", "sampul"))
        elif (m := _TITLE.match(s)) and s[0].isupper() and m.group(1)[0].isupper():
            titles.append(Found(int(m.group(2)), i + 1, s, "judul"))
        elif m := _DATE.match(s):
            month, year = _MONTHS.index(m.group(1).lower()) + 1, int(m.group(2))
            weak.append(Found(year - 1 if month <= 3 else year, i + 1, s,
                              "tanggal laporan" + (" (Januari–Maret: tahun sebelumnya)" if month <= 3 else ""), True))
        elif m := _NUMBER.match(s):
            weak.append(Found(int(m.group(1)), i + 1, s, "nomor laporan", True))
    return cover + titles + weak


def _name_runs(lines: list[str], i: int, limit: int = 3) -> list[tuple[str, int]]:
    """Upper-case name lines from line i on (blank lines before the first skipped), joined 1…limit."""
    got: list[tuple[str, int]] = []
    for j in range(i, min(i + 8, len(lines))):
        s = _clean(lines[j])
        if not s:
            if got:
                break
            continue
        if not _UPPER_NAME.match(s) or _BOILERPLATE.match(s) or len(got) == limit:
            break
        got.append((s, j + 1))
    return [(" ".join(s for s, _ in got[:k]), got[0][1]) for k in range(1, len(got) + 1)]


def heading_names(lines: list[str]) -> list[Found]:
    """'INDEKS SPBE – NAME' (+ wrapped continuation lines), each way of joining it, longest first."""
    out: list[Found] = []
    seen = 0
    for i, raw in enumerate(lines):
        m = HEADING.match(raw)
        if not m:
            continue
        seen += 1
        if seen > MAX_HEADINGS:
            break
        first = _TRAILER.sub("", _clean(m.group(1))).strip(" :–-")
        if not first or not re.search(r"[^\W\d_]{3}", first):
            continue
        parts = [first]
        for j in range(i + 1, min(i + 4, len(lines))):
            s = _TRAILER.sub("", _clean(lines[j])).strip()
            if not s:
                continue
            if not (_UPPER_NAME.match(s) and first.isupper()) or _BOILERPLATE.match(s):
                break
            parts.append(s)
        for k in range(len(parts), 0, -1):
            name = " ".join(parts[:k])
            out.append(Found(name, i + 1, name, "judul 'INDEKS SPBE – …'"))
    return out


def cover_names(lines: list[str]) -> list[Found]:
    """Name lines on the cover: after the year line first, then the cover's other upper-case runs."""
    out: list[Found] = []
    top = lines[:COVER_LINES]
    for i, raw in enumerate(top):
        s = _clean(raw)
        if _COVER_ONE.match(s) or _COVER_YEAR.match(s):
            for name, line in reversed(_name_runs(top, i + 1)):
                out.append(Found(name, line, name, "sampul"))
    for i, raw in enumerate(top):
        s = _clean(raw)
        if s and _UPPER_NAME.match(s) and not _BOILERPLATE.match(s) and (i == 0 or not _UPPER_NAME.match(
                _clean(top[i - 1])) or _BOILERPLATE.match(_clean(top[i - 1]))):
            for name, line in reversed(_name_runs(top, i)):
                if all(f.value != name for f in out):
                    out.append(Found(name, line, name, "sampul", lemah=True))
    return out
