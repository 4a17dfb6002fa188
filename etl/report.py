"""Validation report: every problem found in an input file, one `Issue` per problem.

Levels (``tingkat``):
- ``galat``      the row (or file) is wrong; blocks publishing
- ``tinjau``     needs a human decision (e.g. an instansi name only fuzzily known); blocks publishing
- ``peringatan`` published as it is, but reported (e.g. a published index that disagrees with its domains)
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Iterable, Iterator

from domain.numbers import num

GALAT = "galat"
PERINGATAN = "peringatan"
TINJAU = "tinjau"
TINGKAT = (GALAT, TINJAU, PERINGATAN)
BLOCKING = (GALAT, TINJAU)


@dataclass(frozen=True)
class Issue:
    berkas: str
    baris: int | None        # 1-based line (text/CSV) or row (Excel) as the user sees it
    kolom: str | None        # column header as written in the file
    nilai: str | None        # the offending value as written
    alasan: str              # Indonesian, says what was expected
    tingkat: str = GALAT
    instansi: str | None = None  # the row's instansi as written in the file, when the row names one

    def __post_init__(self):
        if self.tingkat not in TINGKAT:
            raise ValueError(f"tingkat harus salah satu dari {TINGKAT}, bukan {self.tingkat!r}")

    def line(self) -> str:
        where = self.berkas if self.baris is None else f"{self.berkas}:{self.baris}"
        if self.instansi:
            where += f", {self.instansi}"
        parts = [where]
        if self.kolom is not None:
            parts.append(f"kolom={self.kolom}")
        if self.nilai is not None:
            parts.append(f"nilai='{self.nilai}'")
        return f"{' '.join(parts)}: [{self.tingkat}] {self.alasan}"


class InputError(Exception):
    """The whole file cannot be read (empty, not a table, bad encoding, too big, missing columns)."""

    def __init__(self, issue: Issue):
        super().__init__(issue.line())
        self.issue = issue


@dataclass
class Report:
    issues: list[Issue] = field(default_factory=list)

    def add(self, *args, **kwargs) -> Issue:
        """``add(issue)`` or ``add(berkas, baris, kolom, nilai, alasan, tingkat="galat")``."""
        issue = args[0] if len(args) == 1 and not kwargs and isinstance(args[0], Issue) else Issue(*args, **kwargs)
        self.issues.append(issue)
        return issue

    def extend(self, issues: Iterable[Issue]) -> None:
        self.issues.extend(issues)

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    def name_rows(self, berkas: str, names: dict[int, str], since: int = 0) -> None:
        """Give the issues of `berkas` added since position `since` the instansi of their row
        ("hasil.csv:336, Pemerintah Provinsi Jawa Timur kolom=…"), so a warning names who it is about."""
        for n in range(since, len(self.issues)):
            i = self.issues[n]
            if i.berkas == berkas and i.instansi is None and i.baris in names:
                self.issues[n] = replace(i, instansi=names[i.baris])

    @property
    def ok(self) -> bool:
        """True when nothing blocks publishing (no galat, no tinjau)."""
        return not any(i.tingkat in BLOCKING for i in self.issues)

    @property
    def errors(self) -> list[Issue]:
        """Blocking issues: galat and tinjau."""
        return [i for i in self.issues if i.tingkat in BLOCKING]

    @property
    def reviews(self) -> list[Issue]:
        return [i for i in self.issues if i.tingkat == TINJAU]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.tingkat == PERINGATAN]

    def counts(self) -> dict[str, int]:
        return {t: sum(1 for i in self.issues if i.tingkat == t) for t in TINGKAT}

    def sorted(self) -> list[Issue]:
        return sorted(self.issues, key=lambda i: (i.berkas, i.baris if i.baris is not None else -1))

    def to_dict(self) -> dict:
        return {"ok": self.ok, "jumlah": self.counts(), "issues": [asdict(i) for i in self.sorted()]}

    def format_text(self, limit: int | None = 50) -> str:
        """One line per issue ("berkas:baris kolom=… nilai='…': [tingkat] alasan"), file order."""
        ordered = self.sorted()
        shown = ordered if limit is None else ordered[:limit]
        lines = [i.line() for i in shown]
        if len(ordered) > len(shown):
            lines.append(f"… dan {len(ordered) - len(shown)} masalah lain")
        return "\n".join(lines)


# Numbers in messages: THE formatter (domain/numbers.py: id-ID, half-up as the published figures);
# the readers import it under this name.
fmt_num = num


def fmt_numbers(numbers: Iterable[int]) -> str:
    """Compact list of integers: [1, 2, 3, 5, 7, 8] -> '1–3, 5, 7–8'."""
    nums = sorted(set(int(n) for n in numbers))
    out, start, prev = [], None, None
    for n in nums:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append(str(start) if start == prev else f"{start}–{prev}")
            start = prev = n
    if start is not None:
        out.append(str(start) if start == prev else f"{start}–{prev}")
    return ", ".join(out)
