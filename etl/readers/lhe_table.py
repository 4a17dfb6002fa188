"""The indicator table of an LHE ("Perolehan Nilai Tingkat Kematangan Indikator"), in the layouts
real documents take once turned into text:

- one row per line, tab- or space-separated (`no  indikator  level`), as pypdf and text copies give;
- a name wrapped over several lines, the level on the last one or alone on a line after it (pypdf);
- `pdftotext -layout`: a row's number and level alone on one line between the two halves of its
  wrapped name, or the number on one line and the level on the next;
- plain `pdftotext`: the table column by column (all numbers, then all names, then all levels);
- monitoring reports of the 2022 round (*Laporan Hasil Pemantauan*): two level columns, the
  previous year and this one; the header may name the years.

Only numbers and levels are taken; the indicator names are not needed (the number identifies the
indicator in the year's instrument).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

HEADING = re.compile(r"perolehan\s+nilai\s+tingkat\s+kematangan\s+indikator", re.IGNORECASE)
_INT = re.compile(r"^\d{1,3}[.)]?$")
_VALUE = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_WIDE = re.compile(r"\t| {2,}")
_YEAR = re.compile(r"\b(20[1-3]\d)\b")
_LEVEL = re.compile(r"^[1-5]$")
MAX_HEADINGS = 20        # headings tried (a table of contents names it too; a real LHE has one or two)


def _span(max_no: int) -> int:
    """Lines a table may take after its heading: wrapped names, page titles and footers included."""
    return 10 * max_no + 200


@dataclass
class Entry:
    no: int
    baris: int                        # 1-based line of the row's number
    levels: list[str] = field(default_factory=list)   # one per level column, as written ('' if none)

    @property
    def closed(self) -> bool:
        return bool(self.levels)


@dataclass
class Table:
    heading: int                      # 0-based line of the heading
    entries: list[Entry]
    ncols: int                        # level columns: 1, or 2 in a monitoring report
    col_years: list[int]              # years printed over the level columns (empty when not printed)
    ncols_from: str                   # how ncols was decided (for messages)


@dataclass
class _Tok:
    lead: int | None                  # row number at the start of the line
    text: bool                        # the line has words (a name or a part of one)
    trailing: list[str]               # numbers at the end of the line (level candidates)
    wide: bool                        # the trailing numbers are set apart by tabs/wide gaps
    numbers: list[str]                # all tokens, when the line holds numbers only


def _tokenise(line: str) -> _Tok:
    stripped = line.strip()
    if not stripped:
        return _Tok(None, False, [], False, [])
    tokens = stripped.split()
    if all(_VALUE.match(t) or _INT.match(t) for t in tokens):
        return _Tok(None, False, [], False, [t.rstrip(".)") for t in tokens])
    lead = int(tokens[0].rstrip(".)")) if _INT.match(tokens[0]) else None
    fields = [f.strip() for f in _WIDE.split(stripped) if f.strip()]
    wide = len(fields) > 1
    if wide:  # tabs / wide gaps separate the cells: a number inside a name cell ('Sektor 1') stays in it
        trailing = []
        for f in reversed(fields[1:] if lead is not None and _INT.match(fields[0]) else fields):
            if not _VALUE.match(f):
                break
            trailing.insert(0, f)
    else:
        trailing = []
        for t in reversed(tokens[1:] if lead is not None else tokens):
            if not _VALUE.match(t):
                break
            trailing.insert(0, t)
    return _Tok(lead, True, trailing, wide, [])


def _header_years(lines: list[str], start: int) -> list[int]:
    """Years printed in the table header (between the heading and the first row)."""
    years: list[int] = []
    for line in lines[start + 1:start + 12]:
        tok = _tokenise(line)
        if tok.lead is not None or tok.numbers:
            break
        for y in _YEAR.findall(line):
            if int(y) not in years:
                years.append(int(y))
    return years


def _columns(toks: list[_Tok], years: list[int]) -> tuple[int, str]:
    """Number of level columns, and why."""
    if len(years) == 2:
        return 2, f"judul kolom menyebut tahun {years[0]} dan {years[1]}"
    rows = [t for t in toks if t.text and t.trailing]
    wide = [len(t.trailing) for t in rows if t.wide]
    if wide:
        two = sum(1 for n in wide if n == 2)
        if two >= 0.8 * len(wide):
            return 2, "setiap baris memuat dua kolom nilai"
        return 1, ""
    double = sum(1 for t in rows if len(t.trailing) >= 2 and _LEVEL.match(t.trailing[-2]))
    if rows and double >= 0.8 * len(rows) and len(rows) >= 5:
        return 2, "setiap baris diakhiri dua nilai level"
    return 1, ""


def _entries(toks: list[_Tok], first: int, max_no: int, ncols: int) -> list[Entry]:
    """Rows from the tokens of the lines after a heading (toks[0] is line index `first`)."""
    out: list[Entry] = []
    for k, tok in enumerate(toks):
        idx, current = first + k, (out[-1] if out else None)
        expect = current.no + 1 if current else 1
        if tok.numbers:
            vals = tok.numbers
            if len(vals) == ncols + 1 and vals[0].isdigit() and int(vals[0]) == expect and \
                    all(_VALUE.match(v) for v in vals[1:]):
                out.append(Entry(expect, idx + 1, vals[1:]))          # orphan 'no  level' line
            elif current is not None and not current.closed and len(vals) == ncols:
                current.levels = vals                                 # level alone after a wrapped name
            continue
        if tok.lead is not None and tok.text:
            if (current and tok.lead <= current.no) or tok.lead > max_no:
                break
            levels = tok.trailing[-ncols:] if len(tok.trailing) >= ncols else []
            out.append(Entry(tok.lead, idx + 1, levels))
        elif current is not None and not current.closed and len(tok.trailing) >= ncols:
            current.levels = tok.trailing[-ncols:]
    return out


def _column_blocks(lines: list[str], start: int, max_no: int) -> list[Entry]:
    """Plain `pdftotext`: a run of row numbers 1, 2, 3 … on lines of their own, later a run of as
    many lines holding only a level. Anything else: no entries."""
    nums: list[tuple[int, int]] = []
    i, end = start + 1, min(len(lines), start + 1 + _span(max_no))
    while i < end and len(nums) < max_no:
        s = lines[i].strip()
        if s == str(len(nums) + 1):
            nums.append((len(nums) + 1, i + 1))
        elif s and nums:
            break
        i += 1
    if len(nums) < 5:
        return []
    levels: list[list[str]] = []
    for line in lines[i:end + 2 * max_no]:
        s = line.split()
        if s and all(_LEVEL.match(t) for t in s) and len(s) <= 2:
            levels.append(s)
            if len(levels) == len(nums):
                break
        elif s and levels:
            levels = []          # the run was broken: start over at the next run of levels
    if len(levels) != len(nums) or len({len(v) for v in levels}) != 1:
        return []
    return [Entry(no, baris, lv) for (no, baris), lv in zip(nums, levels)]


def read_table(lines: list[str], max_no: int) -> Table | None:
    """The heading whose table yields the most rows (a table of contents also names the heading)."""
    best: Table | None = None
    heads = [i for i, ln in enumerate(lines) if HEADING.search(ln)][:MAX_HEADINGS]
    for h in heads:
        years = _header_years(lines, h)
        region = [_tokenise(line) for line in lines[h + 1:h + 1 + _span(max_no)]]
        ncols, why = _columns(region, years)
        entries = _entries(region, h + 1, max_no, ncols)
        if len(entries) < 5:
            blocks = _column_blocks(lines, h, max_no)
            if len(blocks) > len(entries):
                entries, ncols = blocks, len(blocks[0].levels)
                why = "dua kolom nilai" if ncols == 2 else ""
        table = Table(h, entries, ncols, years if len(years) == ncols == 2 else [], why)
        if best is None or len(table.entries) > len(best.entries):
            best = table
    return best
