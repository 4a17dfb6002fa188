"""One definition each (issue 13, item 3), used by the pages and the brief alike.

- **Aspek (atau domain) terlemah**: the lowest value on the 1–5 scale; when two are equal, the one
  that loses more index points against the target level first (Σ kekurangan × bobot / 100 of its
  indicators, or for a domain without indicator levels (target − nilai) × bobot / 100); then the
  instrument's order. A list of "points lost" is a different ranking and is always called so.
- **Kesenjangan terbesar**: the indicator(s) losing the most index points, compared as printed
  (3 decimals); when several share that value they are named as a tie, never one of them alone.
- **Target**: two different numbers that must never be called just "target" side by side —
  the *target indeks nasional tahunan* (a national yearly target, e.g. 2,85 for 2024) and the
  *ambang predikat Baik* (the lower bound of the Baik band, 2,60, which each instansi aims at).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from domain.numbers import is_missing, num, round_half_up

WEAKEST_RULE = ("nilai terendah; bila sama, yang kehilangan poin indeks terbanyak terhadap level target, lalu "
                "urutan instrumen")
TARGET_NASIONAL = "target indeks nasional tahunan"
AMBANG_BAIK = "ambang predikat Baik"
GAP_DECIMALS = 3


def target_nasional_label(tahun: int | None = None, nilai: float | None = None) -> str:
    """'target indeks nasional tahunan 2024 (2,85)'; without a value or year, the parts left out."""
    return (TARGET_NASIONAL + (f" {int(tahun)}" if tahun is not None else "")
            + (f" ({num(nilai, 2)})" if nilai is not None else ""))


def ambang_baik_label(nilai: float | None = None) -> str:
    """'ambang predikat Baik (2,60)'."""
    return AMBANG_BAIK + (f" ({num(nilai, 2)})" if nilai is not None else "")


@dataclass(frozen=True)
class Component:
    """An aspect or domain value of one instansi (or one mean)."""
    kode: str
    nilai: float
    urutan: int = 0
    poin_hilang: float = 0.0        # index points lost against the target level (0 when unknown)


def weakest(components: Iterable[Component], n: int | None = None) -> list[Component]:
    """Weakest first by the one rule (WEAKEST_RULE); components without a value are left out."""
    have = [c for c in components if not is_missing(c.nilai)]
    ranked = sorted(have, key=lambda c: (round_half_up(float(c.nilai), 2), -round_half_up(float(c.poin_hilang), 6),
                                         c.urutan, c.kode))
    return ranked if n is None else ranked[:n]


def components_from(rows: Iterable[Mapping], lost: Mapping[str, float] | None = None) -> list[Component]:
    """Components from records with kode, nilai[, urutan]; `lost` maps kode → points lost."""
    lost = lost or {}
    return [Component(kode=str(r["kode"]), nilai=r["nilai"], urutan=int(r.get("urutan", 0) or 0),
                      poin_hilang=float(lost.get(str(r["kode"]), 0.0) or 0.0)) for r in rows]


def domain_points_lost(nilai: float, bobot_domain: float, target_level: int) -> float:
    """A domain's points lost when only its value is known: max(target − nilai, 0) × bobot / 100."""
    return max(float(target_level) - float(nilai), 0.0) * float(bobot_domain) / 100


@dataclass(frozen=True)
class BiggestGap:
    nomor: tuple[int, ...]          # indicator numbers tied at the largest loss, in the given order
    poin: float                     # that loss, as printed (3 decimals)

    @property
    def tie(self) -> bool:
        return len(self.nomor) > 1


def biggest_gap(rows: Sequence[tuple[int, float]]) -> BiggestGap | None:
    """(no_indikator, points lost) rows of indicators below target → the largest loss and every
    indicator sharing it as printed; None when no indicator loses points."""
    shown = [(int(no), round_half_up(float(p), GAP_DECIMALS)) for no, p in rows if not is_missing(p) and float(p) > 0]
    if not shown:
        return None
    top = max(p for _, p in shown)
    return BiggestGap(nomor=tuple(no for no, p in shown if p == top), poin=top)


def biggest_gap_text(gap: BiggestGap, names: Mapping[int, str], *, max_named: int = 8) -> str:
    """'Kesenjangan terbesar: indikator 5 Nama (0,030 poin)' or, for a tie, 'Kesenjangan terbesar:
    8 indikator sama besarnya (masing-masing 0,030 poin): 1 A, 2 B, …'."""
    poin = num(gap.poin, GAP_DECIMALS)
    if not gap.tie:
        no = gap.nomor[0]
        return f"Kesenjangan terbesar: indikator {no} {names.get(no, '')}".rstrip() + f" ({poin} poin)"
    listed = ", ".join(f"{no} {names.get(no, '')}".rstrip() for no in gap.nomor[:max_named])
    more = len(gap.nomor) - max_named
    return (f"Kesenjangan terbesar: {len(gap.nomor)} indikator sama besarnya (masing-masing {poin} poin): {listed}"
            + (f" dan {more} lainnya" if more > 0 else ""))
