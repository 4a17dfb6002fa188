"""The analyst's own assessment and RPJMD plan, added to a Lembar RPJMD.

    year = comparison_year(wh.run("instansi_trend", instansi_ids=[a.instansi_id]), a.tahun, a.instrument_id)
    brief = with_assessment(build_brief(wh, a.instansi_id, year), a, plan_section(plan, ins, guidance))

``upload`` is anything shaped like ``ui.upload.UploadedAssessment`` (berkas, tahun, instansi_id,
instrument_id, levels): briefs never import Streamlit. The levels are scored with
``domain.scoring.score_levels`` — the same code as the page — and the plan is the page's own
``plan_section`` dict, so the brief says exactly what the analyst saw. The numbers it prints are
recorded in ``Brief.numbers`` under ``penilaian_sendiri_*`` and ``rencana_*`` keys.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pandas as pd

from briefs.brief import Brief, BriefError, OwnAssessment
from briefs.figures import short_indicator_name
from domain.instrument import InstrumentRegistry, load_registry
from domain.scoring import score_levels

LABEL = "penilaian sendiri, tidak dipublikasikan"


def comparison_year(trend: pd.DataFrame, tahun: int, instrument_id: str) -> int | None:
    """Warehouse year of the brief for an uploaded assessment of ``tahun``: that year when the
    instansi is scored then on the same instrument, else its latest year on that instrument, else
    its latest year at all (the brief then says the instruments differ); None if never scored.
    ``trend``: the instansi's rows of ``instansi_trend``."""
    if trend is None or trend.empty:
        return None
    same = sorted(int(y) for y in trend.loc[trend["instrument_id"] == instrument_id, "tahun"])
    if int(tahun) in same:
        return int(tahun)
    return same[-1] if same else int(trend["tahun"].max())


def raised_text(no: int, nama: str, levels: int = 1) -> str:
    """'1', 'Tingkat Kematangan Kebijakan Internal …', 2 → '1 Kebijakan Internal … (+2)'."""
    return f"{int(no)} {short_indicator_name(nama)}" + (f" (+{levels})" if levels > 1 else "")


def _plan_copy(plan: dict) -> dict:
    """The plan_section dict with, per year, the raised indicators as short texts."""
    steps = Counter((r["tahun"], r["no_indikator"]) for r in plan["kenaikan"])
    names = {r["no_indikator"]: r["nama_indikator"] for r in plan["kenaikan"]}
    years = [{**row, "indikator_dinaikkan_teks": [raised_text(no, names.get(no, str(no)), steps[(row["tahun"], no)])
                                                   for no in row["indikator_dinaikkan"]]}
             for row in plan["tahun"]]
    return {**plan, "tahun": years, "kenaikan": [dict(r) for r in plan["kenaikan"]], "catatan": list(plan["catatan"])}


def with_assessment(brief: Brief, upload, plan: dict | None = None, *,
                    registry: InstrumentRegistry | None = None) -> Brief:
    """A copy of ``brief`` that also carries the uploaded assessment's scores and, optionally,
    the plan (``domain.plan_report.plan_section``) made from those same levels."""
    if str(upload.instansi_id) != brief.instansi_id:
        raise BriefError(f"penilaian {upload.instansi_id} tidak dapat dimuat di lembar {brief.instansi_id}")
    registry = registry or load_registry()
    ins = registry.by_id(upload.instrument_id)
    sc = score_levels(ins, upload.levels)
    if plan is not None and abs(float(plan["indeks_awal"]) - sc.indeks) > 1e-9:
        raise ValueError(f"rencana berawal dari indeks {plan['indeks_awal']}, penilaian ini {sc.indeks}")
    komponen = tuple(("domain", d.kode, d.label, float(sc.domain[d.no])) for d in ins.domains) + \
        tuple(("aspek", x.kode, x.label, float(sc.aspek[x.no])) for x in ins.aspects)
    sumber = str(getattr(upload, "sumber", "") or LABEL)   # an uploaded KemenPANRB LHE is not a self-assessment
    own = OwnAssessment(berkas=str(upload.berkas), tahun=int(upload.tahun), instrument_id=ins.id,
                        instrument_nama=ins.nama, indeks=sc.indeks, predikat=sc.predikat, komponen=komponen,
                        sumber=sumber)
    numbers = dict(brief.numbers)
    numbers.update({"penilaian_sendiri_tahun": own.tahun, "penilaian_sendiri_indeks": own.indeks})
    numbers.update({f"penilaian_sendiri_{jenis}_{kode}": nilai for jenis, kode, _, nilai in komponen})
    official = sumber.startswith("LHE resmi")
    notes = [f"{'Unggahan' if official else 'Penilaian sendiri'} ({sumber}): berkas {own.berkas}, tahun {own.tahun}, "
             f"{ins.nama}; level indikator dinilai dengan rumus yang sama dengan gudang data. "
             + ("Hasil evaluasi KemenPANRB dari LHE yang diunggah, tidak diterbitkan ke gudang data."
                if official else "Bukan hasil evaluasi KemenPANRB.")]
    if own.tahun != brief.tahun:
        notes.append(f"Angka gudang data pada lembar ini (ringkasan, grafik, kesenjangan, pembanding) adalah tahun "
                     f"{brief.tahun}: tahun {own.tahun} tidak ada di gudang data untuk instansi ini dengan instrumen "
                     f"{ins.nama}, jadi dipakai tahun terakhir yang ada.")
    if ins.id != brief.instrument_id:
        notes.append(f"Instrumen berbeda ({ins.nama} pada penilaian sendiri, {brief.instrument_nama} pada gudang "
                     "data): perbandingan nilai hanya indikatif.")
    copy = None
    if plan is not None:
        copy = _plan_copy(plan)
        numbers.update({"rencana_indeks_awal": float(plan["indeks_awal"]),
                        "rencana_jumlah_kenaikan": len(plan["kenaikan"]),
                        "rencana_total_upaya": float(plan["total_upaya"])})
        for row in plan["tahun"]:
            numbers[f"rencana_{row['tahun']}_indeks"] = row["indeks"]
            numbers[f"rencana_{row['tahun']}_target"] = row["target"]
            numbers[f"rencana_{row['tahun']}_jumlah_kenaikan"] = row["jumlah_kenaikan"]
    return replace(brief, assessment=own, plan=copy, numbers=numbers, assessment_notes=notes)
