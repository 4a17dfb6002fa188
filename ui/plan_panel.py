"""The "Rencana RPJMD" tab of Penilaian mandiri & rencana: RPJMD targets → least-effort plan.

Inputs: a table of yearly RPJMD index targets (text cells: "3,3" and "3.3" both mean 3,30; checked
by domain.plan_targets BEFORE planning, refusals name the year and the value) or a predikat by a
year; the step, the schedule, locked indicators, the level-target rule (toggle), and the costs
(rising by default, the table stays editable; "datar" = one unit per level, as plans before issue
13). Output: the plan summary, the trajectory, the level-ups with why each was chosen, downloads.
Words: "target RPJMD" is the analyst's own yearly target; it is never called just "target" next
to the *target indeks nasional tahunan* or the *ambang predikat Baik*.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from domain.numbers import amount, is_missing, num
from domain.plan_report import JADWAL_TEKS, plan_section
from domain.plan_targets import target_rows
from domain.planner import BIAYA, PlanError, make_plan
from rendering import charts_plan
from rendering.safe_text import md
from ui import data, downloads, upload, widgets

SCHEDULES = {"merata": "Merata (disebar rata per tahun)", "awal": "Sedini mungkin"}
COSTS = {"naik": "Naik per level (bawaan)", "datar": "Datar: 1 per level (pembanding rencana lama)"}
REASON_COLUMNS = {"biaya": "Biaya", "alasan": "Alasan dipilih"}


def _national_target() -> str:
    """'target indeks nasional tahunan 2024: 2,85' from the warehouse (empty when it has none)."""
    try:
        rows = data.run("national_trend")[["tahun", "target"]].dropna()
    except Exception:  # noqa: BLE001 — a missing reference table only drops the comparison
        return ""
    if rows.empty:
        return ""
    last = rows.sort_values("tahun").iloc[-1]
    return f" (KemenPANRB; {int(last['tahun'])}: {num(last['target'])})"


def _targets(a, ins, sc, start: int):
    """{year: target} and the first plan year from the chosen input; PlanError when refused."""
    how = st.radio("Target RPJMD", ["Tabel target RPJMD per tahun", "Capai predikat pada tahun"], horizontal=True,
                   key="pm_cara")
    if how == "Tabel target RPJMD per tahun":
        goal = next((float(b.batas_bawah) for b in reversed(ins.bands) if float(b.batas_bawah) > sc.indeks), 5.0)
        base = pd.DataFrame({"tahun": [str(y) for y in range(start, start + 5)],
                             "target": [num(sc.indeks + (goal - sc.indeks) * (i + 1) / 5) for i in range(5)]})
        edited = st.data_editor(base, num_rows="dynamic", hide_index=True, key="pm_target_tabel", column_config={
            "tahun": st.column_config.TextColumn("Tahun", help=f"empat angka, mulai {a.tahun + 1}"),
            "target": st.column_config.TextColumn(
                "Target RPJMD (indeks)", help=f"mis. 3,30 atau 3.30; {num(ins.level_min)}–{num(ins.level_max)}, "
                                              f"tidak di bawah indeks awal {num(sc.indeks)}")})
        return target_rows(ins, zip(edited["tahun"], edited["target"]), start_index=sc.indeks,
                           first_year=a.tahun + 1), None
    p1, p2, p3 = st.columns(3)
    bands = {b.nama: b for b in ins.bands if float(b.batas_bawah) >= float(ins.target_indeks)}
    pred = p1.selectbox("Predikat", list(bands), key="pm_predikat",
                        format_func=lambda n: f"{n} (indeks ≥ {num(bands[n].batas_bawah)})")
    by = p2.number_input("Tahun", min_value=start, max_value=start + 20, value=start + 4, key="pm_tahun_target")
    first = p3.number_input("Mulai tahun", min_value=a.tahun + 1, max_value=int(by), value=start, key="pm_mulai")
    return {int(by): pred}, int(first)


def _costs(ins):
    """(level costs as typed, effort multipliers as typed) from the two editable tables."""
    model = st.radio("Biaya per kenaikan level", list(COSTS), format_func=COSTS.get, horizontal=True, key="pm_biaya",
                     help="Naik: 1→2 = 1, 2→3 = 1,5, 3→4 = 3, 4→5 = 6 — mencapai level 3 adalah pekerjaan rutin "
                          "(standar, prosedur tertulis); level 4 menuntut integrasi dan pengukuran lintas unit, level 5 "
                          "optimasi berkelanjutan: tiap langkah kira-kira dua kali langkah sebelumnya. Datar: 1 per "
                          "level, untuk membandingkan dengan rencana lama.")
    with st.expander("Biaya per kenaikan level dan bobot upaya per indikator (bisa diubah)"):
        steps = range(ins.level_min, ins.level_max)
        table = BIAYA[model]
        lc = st.data_editor(pd.DataFrame({"kenaikan": [f"{lv}→{lv + 1}" for lv in steps],
                                          "biaya": [amount(table.get(lv, 1)) for lv in steps]}),
                            hide_index=True, disabled=["kenaikan"], key=f"pm_biaya_level_{model}", column_config={
                                "kenaikan": "Kenaikan level",
                                "biaya": st.column_config.TextColumn("Biaya", help="tidak boleh turun di level lebih tinggi")})
        st.caption("Biaya satu kenaikan = biaya kenaikan level itu × bobot upaya indikatornya (bawaan 1).")
        eff = st.data_editor(pd.DataFrame({"no": ins.indicator_numbers, "indikator": [i.nama for i in ins.indicators],
                                           "upaya": "1"}), hide_index=True, disabled=["no", "indikator"], key="pm_upaya",
                             column_config={"upaya": st.column_config.TextColumn("Bobot upaya", help="mis. 1 atau 1,5")})
    costs = {lv: str(v) for lv, v in zip(steps, lc["biaya"])}
    return costs, {int(no): "1" if is_missing(v) or not str(v).strip() else str(v) for no, v in zip(eff["no"], eff["upaya"])}


def plan_tab(a, ins, sc, guidance) -> None:
    st.markdown("**Target RPJMD** tiap tahun → kenaikan level dengan **upaya paling kecil** yang memenuhi setiap "
                "target, dengan biaya yang tertulis di bawah.")
    st.caption(f"Target RPJMD adalah isian Anda untuk instansi ini — bukan target indeks nasional tahunan"
               f"{_national_target()} dan bukan ambang predikat Baik ({num(ins.target_indeks)}).")
    start = max(a.tahun + 1, 2025)
    try:
        targets, first = _targets(a, ins, sc, start)
    except PlanError as exc:
        targets, first = None, None
        st.error(f"Tabel target RPJMD ditolak, rencana belum dihitung: {md(str(exc))}.", icon=":material/block:")
    q1, q2, q3 = st.columns([1, 2, 3])
    step = q1.number_input("Naik maks. level/tahun", 1, 4, 1, key="pm_langkah")
    jadwal = q2.radio("Jadwal", list(SCHEDULES), key="pm_jadwal", format_func=SCHEDULES.get,
                      help="Kenaikan yang sama dan upaya total yang sama. Merata: jumlah kenaikan per tahun berselisih "
                           "paling banyak satu, kecuali target RPJMD suatu tahun memerlukan lebih. Sedini mungkin: semua "
                           "kenaikan secepat aturan mengizinkan.")
    locked = q3.multiselect("Indikator dikunci (tidak dinaikkan)", ins.indicator_numbers, key="pm_kunci",
                            format_func=lambda n: charts_plan.short_name(n, ins.indicator(n).nama), placeholder="tidak ada")
    prio = st.toggle(f"Dahulukan semua indikator di bawah level target {ins.target_level}", value=True, key="pm_prioritas",
                     help=f"Level {ins.target_level} adalah target setiap indikator menurut {ins.nama}. Aktif: setiap "
                          f"indikator yang belum level {ins.target_level} dinaikkan ke level itu lebih dulu, baru sisanya "
                          "dipilih dengan upaya terkecil. Nonaktif: upaya terkecil saja.")
    level_costs, effort = _costs(ins)
    if targets is None:
        return
    try:
        plan = make_plan(ins, a.levels, targets, max_step=int(step), locked=locked, start_year=first, jadwal=jadwal,
                         effort=effort, level_costs=level_costs, prioritas_level_target=prio)
    except PlanError as exc:
        st.error(f"Rencana tidak dapat dihitung: {md(str(exc))}")
        return
    _show(plan, a, ins, guidance, jadwal)


def _show(plan, a, ins, guidance, jadwal: str) -> None:
    sec = plan_section(plan, ins, guidance)
    (st.success if plan.reachable else st.warning)(sec["ringkasan"])
    st.caption(f"Jadwal {jadwal}: {JADWAL_TEKS[jadwal]}. {sec['biaya_teks']} " + " ".join(sec["catatan"]))
    yrs, ups = pd.DataFrame(sec["tahun"]), pd.DataFrame(sec["kenaikan"])
    widgets.show_chart(charts_plan.trajectory(yrs, ins, start_index=plan.start_index, start_label=f"Awal ({a.tahun})",
                                              title=f"{sec['judul']} — {a.nama}"), "rencana_indeks",
                       source=f"Rencana dari unggahan {a.berkas}")
    if len(ups):
        shown = upload.display_frame(ups.assign(biaya=ups["biaya"].map(amount))).rename(columns=REASON_COLUMNS)
        st.dataframe(shown, hide_index=True,
                     column_config={upload.DISPLAY_NAMES["syarat"]: st.column_config.TextColumn(width="large"),
                                    REASON_COLUMNS["alasan"]: st.column_config.TextColumn(width="medium")})
    downloads.plan_download_controls(a, sec, key="pm_lembar")
