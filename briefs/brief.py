"""Gather one instansi-year's Lembar RPJMD from the dashboard's named queries.

Every number in the brief comes from a query result (instansi_profile, instansi_components,
instansi_trend, national_trend, category_averages, category_trend, indicator_gaps,
instansi_levels, years) or from the instrument's reference data (predikat bands, target level).
The numbers quoted in the narrative are kept in ``Brief.numbers`` under stable keys so tests can
check them against the queries.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from briefs import figures, narrative
from domain.definitions import components_from, domain_points_lost, weakest
from domain.guidance import load_guidance, next_level_requirement
from domain.instrument import load_registry
from domain.kategori import mask_thin_means
from rendering.export import source_line

WEAK_AREAS = 3          # weakest aspects (or domains) described
STEPS_PER_AREA = 3      # indicators listed per weak aspect
GAP_ROWS = 12           # indicator rows in the gap-to-target table

BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember")


class BriefError(LookupError):
    """No brief can be made (instansi not scored in that year)."""


@dataclass(frozen=True)
class Step:
    """One indicator of a weak area and what its next level requires."""
    no_indikator: int
    nama: str
    level: int
    next_level: int
    target_level: int
    naik_satu_level: float | None       # index points for one level up (bobot / 100)
    syarat: str | None                  # guidance text of the next level; None when unknown


@dataclass(frozen=True)
class WeakArea:
    jenis: str                          # "aspek" or "domain"
    kode: str
    label: str
    nilai: float
    rerata_kategori: float | None
    rerata_nasional: float | None
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True)
class OwnAssessment:
    """The analyst's own levels (an uploaded LHE or level file), scored; never published."""
    berkas: str
    tahun: int
    instrument_id: str
    instrument_nama: str
    indeks: float
    predikat: str
    komponen: tuple[tuple[str, str, str, float], ...]  # (jenis, kode, label, nilai): domains, then aspects
    sumber: str = "penilaian sendiri, tidak dipublikasikan"  # or 'LHE resmi KemenPANRB (unggahan sesi ini)'


@dataclass
class Brief:
    instansi_id: str
    nama: str
    tahun: int
    kelompok: str
    kategori: str
    kategori_ringkas: str
    provinsi: str | None
    kode_wilayah: str | None
    instrument_id: str
    instrument_nama: str
    indeks: float
    predikat: str
    synthetic: bool                     # the brief shows synthetic numbers (own or comparison)
    synthetic_own: bool                 # this instansi's own values are synthetic
    sumber: str
    source_line: str
    dibuat: date
    has_indicators: bool
    numbers: dict[str, float | int | None]
    narrative: list[str]
    key_figures: list[tuple[str, str]]
    target_table: pd.DataFrame          # posisi terhadap target: Ukuran, Nilai, Selisih
    gap_table: pd.DataFrame             # indicator (or domain) rows below target
    gap_rest: int                       # indicator rows below target not shown in gap_table
    weakest: list[WeakArea]
    components: pd.DataFrame
    trend: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    radar_png: bytes | None = None
    trend_png: bytes | None = None
    assessment: OwnAssessment | None = None     # briefs.assessment.with_assessment
    plan: dict | None = None                    # domain.plan_report.plan_section (+ short indicator names)
    assessment_notes: list[str] = field(default_factory=list)
    year_table: pd.DataFrame | None = None      # Tahun, Indeks SPBE, Predikat, Perubahan, Instrumen

    @property
    def dibuat_text(self) -> str:
        return f"{self.dibuat.day} {BULAN[self.dibuat.month - 1]} {self.dibuat.year}"

    @property
    def synthetic_line(self) -> str:
        if not self.synthetic:
            return ""
        if self.synthetic_own:
            return "DATA SINTETIS — angka per instansi dibangkitkan kode untuk demo, bukan hasil evaluasi KemenPANRB"
        return "DATA SINTETIS — rata-rata dan peringkat pembanding dihitung dari data demo sintetis"

    @property
    def file_stem(self) -> str:
        from rendering.export import file_stem
        return file_stem(f"lembar_rpjmd_{self.instansi_id}_{self.tahun}")


def _val(x):
    """Query value → float/int/None (NaN/NA → None)."""
    if x is None or x is pd.NA:
        return None
    if isinstance(x, float) and math.isnan(x):
        return None
    if hasattr(x, "item"):
        x = x.item()
    return x


def _gather(wh, instansi_id: str, year: int) -> dict[str, pd.DataFrame]:
    return {
        "profile": wh.run("instansi_profile", year=year, instansi_id=instansi_id),
        "components": mask_thin_means(wh.run("instansi_components", year=year, instansi_id=instansi_id)),
        "trend": wh.run("instansi_trend", instansi_ids=[instansi_id]),
        "national": wh.run("national_trend"),
        "categories": wh.run("category_averages", year=year),
        "gaps": wh.run("indicator_gaps", year=year, instansi_id=instansi_id),
        "levels": wh.run("instansi_levels", year=year, instansi_id=instansi_id),
        "years": wh.run("years"),
        "category_trend": wh.run("category_trend"),
        "flags": wh.run("instansi_notes", year=year, instansi_id=instansi_id),
        "benchmarks": wh.run("instansi_benchmarks", year=year, instansi_id=instansi_id),
    }


def _weak_areas(comp: pd.DataFrame, gaps: pd.DataFrame, guidance: dict, has_indicators: bool,
                instrument=None) -> list[WeakArea]:
    """The weakest aspects (or domains) by the one definition of the pages (domain.definitions.weakest)."""
    jenis = "aspek" if has_indicators and (comp["jenis"] == "aspek").any() else "domain"
    part = comp[(comp["jenis"] == jenis) & comp["nilai"].notna()]
    if jenis == "aspek":
        lost = gaps.groupby("kode_aspek")["biaya_indeks"].sum().to_dict() if len(gaps) else {}
    else:
        weights = {d.kode: float(d.bobot) for d in instrument.domains} if instrument is not None else {}
        target = instrument.target_level if instrument is not None else 3
        lost = {k: domain_points_lost(v, weights.get(k, 0.0), target) for k, v in zip(part["kode"], part["nilai"])}
    order = [c.kode for c in weakest(components_from(part.to_dict("records"), lost), WEAK_AREAS)]
    part = part.set_index("kode", drop=False).loc[order]
    out = []
    for r in part.itertuples():
        steps: list[Step] = []
        if jenis == "aspek" and len(gaps):
            ind = gaps[(gaps["kode_aspek"] == r.kode) & gaps["naik_satu_level"].notna()]  # below the scale's top
            ind = ind.sort_values(["level", "bobot_indikator", "no_indikator"], ascending=[True, False, True])
            for g in ind.head(STEPS_PER_AREA).itertuples():
                steps.append(Step(
                    no_indikator=int(g.no_indikator), nama=str(g.nama_indikator), level=int(g.level),
                    next_level=int(g.level) + 1, target_level=int(g.target_level),
                    naik_satu_level=_val(g.naik_satu_level),
                    syarat=next_level_requirement(guidance, int(g.no_indikator), int(g.level))))
        out.append(WeakArea(jenis=jenis, kode=str(r.kode), label=str(r.label), nilai=float(r.nilai),
                            rerata_kategori=_val(r.rerata_kategori), rerata_nasional=_val(r.rerata_nasional),
                            steps=tuple(steps)))
    return out


def _gap_table(gaps: pd.DataFrame, comp: pd.DataFrame, target_level: int, has_indicators: bool) -> tuple[pd.DataFrame, int]:
    if has_indicators:
        below = gaps[gaps["kekurangan"] > 0].sort_values(
            ["biaya_indeks", "bobot_indikator", "no_indikator"], ascending=[False, False, True])
        table = pd.DataFrame({
            "No": below["no_indikator"].astype(int),
            "Indikator": [figures.short_indicator_name(n) for n in below["nama_indikator"]],
            "Aspek": below["kode_aspek"],
            "Level": below["level"].astype(int),
            "Target": below["target_level"].astype(int),
            "Poin indeks": below["biaya_indeks"].astype(float),
            "Kategori di bawah target (%)": below["di_bawah_target_pct"].astype(float),
        })
        return table.head(GAP_ROWS).reset_index(drop=True), max(len(table) - GAP_ROWS, 0)
    dom = comp[comp["jenis"] == "domain"]
    table = pd.DataFrame({
        "Domain": [f"{k} {lab}" for k, lab in zip(dom["kode"], dom["label"])],
        "Nilai": dom["nilai"].astype(float),
        "Target level": target_level,
        "Kekurangan": [max(target_level - v, 0.0) for v in dom["nilai"]],
        "Rata-rata kategori": dom["rerata_kategori"].astype(float),
    })
    return table.reset_index(drop=True), 0


def year_table(trend: pd.DataFrame, registry) -> pd.DataFrame:
    """Index and predikat of every evaluated year (instansi_trend), the change from the previous
    evaluated year (empty across an instrument change) and the instrument. A stored predikat that is
    not one of the instrument's bands is replaced by the band of the index (as `band_predikat`)."""
    rows, prev = [], None
    for r in trend.sort_values("tahun").itertuples():
        if _val(r.indeks) is None:
            continue
        ins = registry.by_id(str(r.instrument_id))
        same = prev is not None and prev[1] == ins.id
        predikat = r.predikat if r.predikat in {b.nama for b in ins.bands} else ins.predikat(float(r.indeks))
        rows.append({"Tahun": int(r.tahun), "Indeks SPBE": float(r.indeks), "Predikat": predikat,
                     "Perubahan": float(r.indeks) - prev[0] if same else None, "Instrumen": ins.nama})
        prev = (float(r.indeks), ins.id)
    return pd.DataFrame(rows, columns=["Tahun", "Indeks SPBE", "Predikat", "Perubahan", "Instrumen"])


def public_source(sumber: str) -> str:
    """The data source as a reader of the brief needs it: generator settings of demo data
    ('seed 42, skala 1×') are internal and left out."""
    text = re.sub(r",?\s*\b(?:seed|skala)\s+[\d.,]+\s*×?", "", str(sumber or ""), flags=re.IGNORECASE)
    text = re.sub(r"\(\s*\)", "", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def band_predikat(profile: pd.Series, instrument, registry) -> tuple[pd.Series, list[str]]:
    """The profile with a predikat that is one of the instrument's bands, and a note when it is not
    the one in the data: a predikat outside the bands is never printed as the official predikat
    (imports refuse it; this guards a warehouse filled some other way). The replacement is the band
    of the published index; the odd text itself is not copied into the brief."""
    out, notes = profile.copy(), []
    for col, idx_col, year_col in (("predikat", "indeks", None), ("predikat_sebelumnya", "indeks_sebelumnya",
                                                                    "tahun_sebelumnya")):
        if col not in out or _val(out.get(idx_col)) is None:
            continue
        ins = instrument if year_col is None else registry.for_year(int(out[year_col]))
        if out[col] in {b.nama for b in ins.bands}:
            continue
        out[col] = ins.predikat(float(out[idx_col]))  # bands the index as stored, unrounded (domain rule)
        which = "tahun ini" if year_col is None else f"tahun {int(out[year_col])}"
        notes.append(f"Predikat {which} di sumber data bukan salah satu predikat {ins.nama}; lembar ini memakai "
                     f"predikat menurut indeksnya ({out[col]}).")
    return out, notes


def build_brief(warehouse, instansi_id: str, year: int, *, charts: bool = True,
                today: date | None = None) -> Brief:
    """Collect everything one brief needs from the named queries (plus the chart PNGs)."""
    year = int(year)
    q = _gather(warehouse, instansi_id, year)
    if q["profile"].empty:
        raise BriefError(f"{instansi_id} tidak memiliki Indeks SPBE tahun {year} di gudang data")
    p = q["profile"].iloc[0]
    registry = load_registry()
    instrument = registry.by_id(str(p["instrument_id"]))
    p, predikat_notes = band_predikat(p, instrument, registry)
    years_row = q["years"][q["years"]["tahun"] == year]
    synthetic_own = bool(_val(p["sintetis"]))
    synthetic = synthetic_own or bool(len(years_row) and bool(years_row["ada_sintetis"].iloc[0]))
    has_indicators = len(q["levels"]) > 0 and len(q["gaps"]) > 0
    guidance = load_guidance(instrument.id) if has_indicators else {}

    comp = q["components"]
    weakest = _weak_areas(comp, q["gaps"], guidance, has_indicators, instrument)
    gap_table, gap_rest = _gap_table(q["gaps"], comp, instrument.target_level, has_indicators)
    text = narrative.compose(profile=p, components=comp, trend=q["trend"], national=q["national"],
                             categories=q["categories"], gaps=q["gaps"], instrument=instrument,
                             registry=registry, has_indicators=has_indicators, benchmarks=q.get("benchmarks"))
    notes = list(predikat_notes)
    notes += [f"Catatan validasi (angka dimuat seperti dipublikasikan, tidak diperbaiki): {r.alasan}"
              for r in q["flags"].itertuples()]
    if synthetic_own:
        notes.append("Seluruh angka per instansi pada lembar ini SINTETIS (data demo), bukan hasil evaluasi. "
                     "Garis nasional berlabel resmi adalah angka publikasi KemenPANRB.")
    elif synthetic:
        notes.append("Angka instansi ini berasal dari sumber non-sintetis, tetapi rata-rata kategori/nasional yang "
                     "dihitung ulang dan peringkat memakai data demo SINTETIS instansi lain tahun ini.")
    brief = Brief(
        instansi_id=instansi_id, nama=str(p["nama"]), tahun=year, kelompok=str(p["kelompok"]),
        kategori=str(p["kategori"]), kategori_ringkas=str(p["kategori_ringkas"]),
        provinsi=_val(p["provinsi"]), kode_wilayah=_val(p["kode_wilayah"]),
        instrument_id=instrument.id, instrument_nama=instrument.nama,
        indeks=float(p["indeks"]), predikat=str(p["predikat"]), synthetic=synthetic, synthetic_own=synthetic_own,
        sumber=public_source(_val(p["sumber"]) or ""), source_line=source_line(year, synthetic=synthetic),
        dibuat=today or date.today(), has_indicators=has_indicators,
        numbers=text.numbers, narrative=text.paragraphs, key_figures=text.key_figures,
        target_table=text.target_table, gap_table=gap_table, gap_rest=gap_rest, weakest=weakest,
        components=comp, trend=q["trend"], notes=notes, year_table=year_table(q["trend"], registry),
    )
    if charts:
        brief.radar_png, brief.trend_png = figures.brief_charts(
            brief, comp=comp, trend=q["trend"], national=q["national"], registry=registry,
            category=q["category_trend"][q["category_trend"]["kategori"] == brief.kategori_ringkas])
    return brief
