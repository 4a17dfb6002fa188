"""A planner result as plain data for reports: the RPJMD brief, the XLSX export and the page.

    section = plan_section(plan, instrument, load_guidance(instrument.id))
    section["ringkasan"]   # one Indonesian paragraph
    section["tahun"]       # one row per plan year (index, predikat, target, met, raises)
    section["kenaikan"]    # one row per level-up: year, indicator, from → to, index gain, requirement

Pure (stdlib + domain): numbers stay numbers (floats, ints), texts are Indonesian; formatting
for display (decimal comma) is the caller's job, except inside the sentences of ``ringkasan``
(written with domain.numbers, half-up like every other output).
"""
from __future__ import annotations

from fractions import Fraction

from domain.guidance import next_level_requirement
from domain.instrument import Instrument
from domain.numbers import amount, num
from domain.planner import Plan

JADWAL_TEKS = {
    "awal": "setiap kenaikan level dijadwalkan sedini mungkin (indeks tiap tahun setinggi mungkin)",
    "merata": "kenaikan level yang sama dijadwalkan setepat waktu mungkin (tiap tahun hanya yang "
              "diperlukan untuk target tahun itu; upaya total sama, beban menyebar ke tahun berikutnya)",
}
NO_GUIDANCE = "— (panduan belum tersedia untuk instrumen ini)"


def plan_section(plan: Plan, instrument: Instrument, guidance: dict[tuple[int, int], str]) -> dict:
    """The plan as a dict: title, summary sentence(s), yearly rows, one row per level-up, notes.

    ``guidance``: {(no_indikator, level): syarat} (``domain.guidance.load_guidance``); the
    requirement of a level-up from L to L+1 is the syarat of level L+1.
    """
    years = [y.year for y in plan.years]
    first, last = (min(years), max(years)) if years else (None, None)
    rows, raises = [], []
    prev = None
    for y in plan.years:
        before = prev if prev is not None else {no: lv - y.steps.get(no, 0) for no, lv in y.levels.items()}
        for no in y.raise_:
            ind = instrument.indicator(no)
            for level in range(before[no], y.levels[no]):
                raises.append({
                    "tahun": y.year, "no_indikator": no, "nama_indikator": ind.nama,
                    "kode_aspek": instrument.aspect(ind.no_aspek).kode,
                    "dari_level": level, "ke_level": level + 1,
                    "tingkat": instrument.level_name(no, level + 1),
                    "tambah_indeks": float(Fraction(ind.bobot) / 100),
                    "syarat": next_level_requirement(guidance, no, level) or NO_GUIDANCE,
                })
        rows.append({
            "tahun": y.year, "target": y.target, "indeks": y.index, "predikat": y.predikat,
            "tercapai": y.met, "indeks_maksimum": y.best_reachable,
            "jumlah_kenaikan": sum(y.steps.values()), "upaya": y.effort,
            "indikator_dinaikkan": list(y.raise_),
        })
        prev = y.levels
    start_pred = instrument.predikat(plan.start_index)
    end = plan.years[-1] if plan.years else None
    parts = [f"Dari indeks {num(plan.start_index)} ({start_pred})"]
    if end is not None:
        parts.append(f"rencana {first}–{last} mencapai {num(end.index)} ({end.predikat}) pada {last} "
                     f"dengan {len(raises)} kenaikan level (upaya total {amount(plan.total_effort)})")
    text = ", ".join(parts) + "."
    if plan.reachable:
        text += " Semua target tahunan tercapai."
    else:
        misses = [f"{y} (target {num(next(r['target'] for r in rows if r['tahun'] == y))}, "
                  f"paling tinggi {num(plan.best_reachable[y])})" for y in plan.unreachable_years]
        text += " Target tidak tercapai pada " + "; ".join(misses) + "."
    return {
        "judul": f"Rencana pencapaian Indeks SPBE {first}–{last}" if first else "Rencana pencapaian Indeks SPBE",
        "instrumen": instrument.nama,
        "jadwal": plan.jadwal,
        "jadwal_teks": JADWAL_TEKS.get(plan.jadwal, plan.jadwal),
        "indeks_awal": plan.start_index,
        "predikat_awal": start_pred,
        "tercapai": plan.reachable,
        "total_upaya": plan.total_effort,
        "tahun_tidak_tercapai": list(plan.unreachable_years),
        "ringkasan": text,
        "tahun": rows,
        "kenaikan": raises,
        "catatan": list(plan.notes),
        "sumber_syarat": "Ringkasan (parafrase) kriteria tingkat kematangan PermenPANRB; rujuk peraturannya.",
    }
