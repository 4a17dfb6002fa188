"""rendering.charts_plan: pure figure factories for the self-assessment & plan page (no Streamlit)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from domain.guidance import load_guidance
from domain.instrument import load_registry
from domain.plan_report import plan_section
from domain.planner import make_plan
from domain.scoring import score_levels
from rendering import charts_plan, theme

SERANG = dict(zip(range(1, 48), [1, 1, 3, 2, 3, 4, 3, 4, 3, 3, 2, 2, 2, 3, 2, 3, 4, 4, 3, 3, 2, 3, 3, 3, 1, 2, 3, 3,
                                 1, 1, 1, 4, 3, 3, 4, 3, 2, 3, 3, 3, 3, 3, 3, 4, 5, 5, 4]))


@pytest.fixture(scope="module")
def ins():
    return load_registry().by_id("permenpanrb_59_2020")


def section(ins, targets, **kw):
    plan = make_plan(ins, SERANG, targets, **kw)
    return plan, plan_section(plan, ins, load_guidance(ins.id))


def by_name(fig: go.Figure) -> dict:
    return {t.name: t for t in fig.data}


def test_trajectory_draws_plan_targets_and_raises(ins):
    plan, sec = section(ins, {2025: 3.1, 2026: 3.2, 2027: 3.3, 2028: 3.4, 2029: 3.5}, jadwal="merata")
    fig = charts_plan.trajectory(pd.DataFrame(sec["tahun"]), ins, start_index=plan.start_index,
                                 start_label="Awal (2021)", title="Rencana")
    traces = by_name(fig)
    line, target, bars = traces["Indeks menurut rencana"], traces["Target RPJMD"], traces["Kenaikan level tahun itu (batang)"]
    assert list(line.x) == ["Awal (2021)", "2025", "2026", "2027", "2028", "2029"]
    assert list(fig.layout.xaxis.categoryarray) == list(line.x)  # the start comes first, not after the bars
    assert list(line.y) == [2.97] + [y.index for y in plan.years]
    assert list(line.text)[0] == "2,97" and list(line.customdata)[-1] == "Sangat Baik"
    assert list(target.y) == [3.1, 3.2, 3.3, 3.4, 3.5] and set(target.marker.symbol) == {"diamond"}
    assert list(bars.y) == [sum(y.steps.values()) for y in plan.years] and bars.yaxis == "y2"
    assert "Indeks tertinggi yang mungkin" not in traces  # every target reachable
    bands = [s for s in fig.layout.shapes if (s.name or "").startswith("predikat_")]
    assert {s.name for s in bands} == {f"predikat_{b.nama}" for b in ins.bands}
    assert fig.layout.yaxis.range == (1, 5.1)


def test_trajectory_marks_unreachable_targets_and_the_best_possible(ins):
    plan, sec = section(ins, {2025: 3.2, 2026: 4.8})
    assert plan.unreachable_years == [2026]
    fig = charts_plan.trajectory(pd.DataFrame(sec["tahun"]), ins, start_index=plan.start_index,
                                 start_label="Awal", title="Rencana")
    traces = by_name(fig)
    assert list(traces["Target RPJMD"].marker.symbol) == ["diamond", "x"]
    assert list(traces["Indeks tertinggi yang mungkin"].y) == [plan.best_reachable[2025], plan.best_reachable[2026]]


def test_hbars_sorted_by_magnitude_with_signed_colours():
    df = pd.DataFrame({"no_indikator": [1, 2, 3], "nama_indikator": ["A", "B" * 80, "C"],
                       "selisih_indeks": [0.013, -0.03, 0.0275]})
    fig = charts_plan.hbars(df, value="selisih_indeks", title="t", xaxis_title="x", signed_values=True)
    bar = fig.data[0]
    assert list(bar.x) == [-0.03, 0.0275, 0.013]
    assert bar.y[0].startswith("2 · B") and bar.y[0].endswith("…") and len(bar.y[0]) == 48
    assert charts_plan.short_name(25, "Tingkat Kematangan Layanan Data Terbuka") == "25 · Layanan Data Terbuka"
    assert list(bar.text) == ["-0,030", "+0,028", "+0,013"]
    assert bar.marker.color[0] != bar.marker.color[1]
    assert fig.layout.yaxis.categoryarray == tuple(bar.y)


def test_domain_compare_two_series_per_domain(ins):
    before = score_levels(ins, SERANG)
    after = score_levels(ins, {**SERANG, 45: 5, 29: 3})
    fig = charts_plan.domain_compare(ins, before.domain, after.domain, labels=("Unggahan", "Simulasi"), title="t")
    assert [t.name for t in fig.data] == ["Unggahan", "Simulasi"]
    assert list(fig.data[0].x) == [f"{d.kode} {d.label}" for d in ins.domains]
    assert list(fig.data[1].y) == pytest.approx([after.domain[d.no] for d in ins.domains])
    assert fig.layout.template.layout.font.family == theme.FONT


def test_trajectory_names_the_rpjmd_target_and_the_predikat_thresholds(ins):
    """Issue 13: the yearly RPJMD target and the Baik threshold are never both just "target"."""
    plan, sec = section(ins, {2025: 3.1, 2029: 3.5})
    fig = charts_plan.trajectory(pd.DataFrame(sec["tahun"]), ins, start_index=plan.start_index,
                                 start_label="Awal", title="Rencana")
    assert "Target" not in by_name(fig) and "Target RPJMD" in by_name(fig)
    labels = {a.name: a.text for a in fig.layout.annotations if (a.name or "").startswith("label_")}
    assert labels["label_Baik"] == "Baik ≥ 2,60" and labels["label_Sangat Baik"] == "Sangat Baik ≥ 3,50"
    assert labels["label_Kurang"] == "Kurang"
    assert "target RPJMD" in by_name(fig)["Target RPJMD"].hovertemplate
