"""Next-level guidance: what an instansi must have/do to be at each maturity level.

Guidance is data: ``data/reference/guidance/<instrument_id>.csv`` with columns
``no_indikator,level,syarat`` (paraphrased summaries of the regulation's criteria, not legal
text). An instrument without such a file has no guidance. Pure stdlib.
"""
from __future__ import annotations

import csv
from pathlib import Path

from domain.instrument import REFERENCE_DIR

GUIDANCE_DIR = REFERENCE_DIR / "guidance"
GUIDANCE_COLUMNS = ("no_indikator", "level", "syarat")


class GuidanceError(ValueError):
    """A guidance file that is malformed."""


def load_guidance(instrument_id: str, directory: Path | str | None = None) -> dict[tuple[int, int], str]:
    """Return {(no_indikator, level): syarat} for an instrument, or {} if it has no guidance file."""
    base = Path(directory) if directory is not None else GUIDANCE_DIR
    path = base / f"{instrument_id}.csv"
    if not path.is_file():
        return {}
    guidance: dict[tuple[int, int], str] = {}
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = set(GUIDANCE_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise GuidanceError(f"{path.name}: kolom hilang {sorted(missing)}")
        for lineno, row in enumerate(reader, start=2):
            try:
                key = (int(row["no_indikator"]), int(row["level"]))
            except (TypeError, ValueError) as exc:
                raise GuidanceError(f"{path.name}:{lineno}: nomor indikator/level tidak valid") from exc
            text = (row["syarat"] or "").strip()
            if not text:
                raise GuidanceError(f"{path.name}:{lineno}: syarat kosong")
            if key in guidance:
                raise GuidanceError(f"{path.name}:{lineno}: indikator {key[0]} level {key[1]} ganda")
            guidance[key] = text
    return guidance


def next_level_requirement(guidance: dict[tuple[int, int], str], no_indikator: int,
                           current_level: int) -> str | None:
    """The syarat of level ``current_level + 1`` for an indicator; None at the top level.

    Also None when the guidance has no entry for that indicator/level (e.g. no guidance file).
    """
    return guidance.get((int(no_indikator), int(current_level) + 1))
