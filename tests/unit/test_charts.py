"""Chart factories (rendering/charts.py): pure functions from a few hand-made rows to plotly figures."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from domain.instrument import load_registry
from rendering import charts, theme

YEARS = list(range(2018, 2025))


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def _title(fig) -> str:
    return fig.layout.title.text or ""


def _shapes(fig, prefix: str) -> list:
    return [s for s in fig.layout.shapes if (s.name or "").startswith(prefix)]


# --- heat table -----------------------------------------------------------------------------
@pytest.fixture
def component_means():
    rows = [
        # kategori, urutan_kategori, komponen, label, jenis, urutan, nilai, jumlah, resmi
        ("Nasional", 0, "indeks", "Indeks SPBE", "indeks", 0, 3.1645, 638, 3.12),
        ("Nasional", 0, "D1", "Kebijakan", "domain", 11, 3.40, 638, 3.36),
        ("Nasional", 0, "A6", "Audit TIK", "aspek", 26, 1.7356, 638, 1.73),
        ("Kota", 6, "indeks", "Indeks SPBE", "indeks", 0, 3.3878, 93, 3.39),
        ("Kota", 6, "D1", "Kebijakan", "domain", 11, 3.64, 93, None),
        ("Kota", 6, "A6", "Audit TIK", "aspek", 26, 1.88, 93, 1.88),
    ]
    return pd.DataFrame(rows, columns=["kategori", "urutan_kategori", "komponen", "label", "jenis", "urutan",
                                       "nilai", "jumlah_instansi", "resmi"])


def test_heatmap_recomputed_cells_in_component_order_with_id_numbers(component_means):
    fig = charts.component_heatmap(component_means, "dihitung", tahun=2024)
    heat = fig.data[0]
    assert list(heat.x) == ["Indeks SPBE", "D1 Kebijakan", "A6 Audit TIK"]
    assert list(heat.y) == ["Nasional", "Kota"]
    assert heat.text[0][0] == "3,16" and heat.text[1][2] == "1,88"
    assert "2024" in _title(fig) and "dihitung ulang" in _title(fig)


def test_heatmap_official_missing_stays_empty_not_zero(component_means):
    fig = charts.component_heatmap(component_means, "resmi", tahun=2024)
    heat = fig.data[0]
    assert heat.z[1][1] is None and heat.text[1][1] == "—"
    assert heat.z[0][0] == pytest.approx(3.12)
    assert "resmi" in _title(fig)


def test_heatmap_difference_is_recomputed_minus_official_with_sign(component_means):
    heat = charts.component_heatmap(component_means, "selisih").data[0]
    assert heat.z[0][0] == pytest.approx(3.1645 - 3.12)
    assert heat.text[0][0] == "+0,04"
    assert heat.text[1][0] == "0,00"      # −0,0022 rounds to zero: no sign
    assert heat.text[1][1] == "—"          # no official value → no difference
    assert heat.zmid == 0


def test_heatmap_rejects_unknown_mode(component_means):
    with pytest.raises(ValueError):
        charts.component_heatmap(component_means, "rata")


# --- predikat distribution and Baik share ----------------------------------------------------
def test_predikat_distribution_one_trace_per_predikat_in_predikat_colours():
    rows = [(k, p, n) for k in ("Kota", "Kementerian") for p, n in zip(theme.PREDIKAT_ORDER, (1, 2, 3, 4, 0))]
    df = pd.DataFrame(rows, columns=["kategori", "predikat", "jumlah"])
    df["pct"] = 100 * df["jumlah"] / 10
    fig = charts.predikat_distribution(df, tahun=2024)
    assert [t.name for t in fig.data] == list(reversed(theme.PREDIKAT_ORDER))
    assert all(t.marker.color == theme.PREDIKAT_COLORS[t.name] for t in fig.data)
    assert list(fig.data[0].y) == ["Kementerian", "Kota"]      # category order of the matrix
    assert fig.layout.barmode == "stack" and list(fig.layout.xaxis.range) == [0, 100]
    assert fig.layout.xaxis.title.text and "predikat" in _title(fig).lower()


def test_baik_share_bars_and_target_markers_per_category():
    cats = pd.DataFrame({"kategori": ["Kementerian", "Provinsi", "Kabupaten"], "baik_pct": [100.0, 94.7, None],
                         "jumlah_instansi": [34, 38, 0]})
    targets = pd.DataFrame({"tahun": [2024] * 3, "kategori": ["Kementerian", "Provinsi", "Kabupaten"],
                            "kelompok_target": ["Instansi Pusat", "Provinsi", "Kab/Kota"], "target_baik_pct": [100, 80, 60]})
    fig = charts.baik_share(cats, targets, threshold=2.6, tahun=2024)
    bars, target = fig.data
    assert list(bars.x) == [100.0, 94.7, None]                 # no instansi → no bar, not 0
    assert list(target.x) == [100, 80, 60] and target.name == "Target 2024"
    assert "2,6" in _title(fig) and "dihitung ulang" in bars.name


# --- national series ------------------------------------------------------------------------
def test_national_trend_keeps_official_and_recomputed_apart(registry):
    df = pd.DataFrame({"tahun": YEARS, "resmi": [1.98, 2.18, 2.26, 2.24, 2.34, 2.79, 3.12],
                       "dihitung": [1.97, 2.17, 2.26, 2.22, 2.33, 2.78, 3.16],
                       "target": [None, None, None, None, 2.3, 2.6, 2.85]})
    fig = charts.national_trend(df, registry)
    names = [t.name for t in fig.data]
    assert "resmi" in names[0] and "dihitung ulang" in names[1]
    assert list(fig.data[0].y) == [1.98, 2.18, 2.26, 2.24, 2.34, 2.79, 3.12]
    assert list(fig.data[2].y)[:4] == [None] * 4
    assert _shapes(fig, "pergantian_instrumen_2021")


# --- radar / bars ---------------------------------------------------------------------------
ASPECTS = ["A1 Kebijakan Tata Kelola", "A2 Perencanaan", "A3 TIK", "A4 Penyelenggara", "A5 Manajemen",
           "A6 Audit TIK", "A7 Layanan Administrasi", "A8 Layanan Publik"]


def test_radar_one_closed_polygon_per_series_on_the_aspect_labels():
    df = pd.DataFrame([(s, a, 1 + (i + j) % 5) for j, s in enumerate(["Kota A", "Kota B", "Kota C"])
                       for i, a in enumerate(ASPECTS)], columns=["nama", "sumbu", "nilai"])
    fig = charts.radar(df, series="nama", title="Profil aspek 2024")
    assert [t.name for t in fig.data] == ["Kota A", "Kota B", "Kota C"]
    for trace in fig.data:
        assert list(trace.theta[:-1]) == ASPECTS and trace.theta[-1] == ASPECTS[0]
        assert trace.r[-1] == trace.r[0]
    assert _title(fig) == "Profil aspek 2024"


def test_profile_radar_against_national_category_and_province_means():
    comp = pd.DataFrame({"jenis": "aspek", "kode": [a.split()[0] for a in ASPECTS],
                         "label": [a.split(" ", 1)[1] for a in ASPECTS], "nilai": [3.0] * 8,
                         "rerata_nasional": [2.5] * 8, "rerata_kategori": [2.7] * 8, "rerata_provinsi": [None] * 8})
    fig = charts.profile_radar(comp, "Kementerian X", kategori="Kementerian", instrument="PermenPANRB 59/2020", tahun=2024)
    names = [t.name for t in fig.data]
    assert names == ["Kementerian X", "Rata-rata nasional (dihitung ulang)", "Rata-rata Kementerian (dihitung ulang)"]
    assert list(fig.data[0].theta[:-1]) == ASPECTS
    assert "aspek" in _title(fig) and "PermenPANRB 59/2020" in _title(fig)


def test_profile_radar_falls_back_to_domains():
    comp = pd.DataFrame({"jenis": "domain", "kode": ["D1", "D2", "D3"], "label": ["Kebijakan", "Tata Kelola", "Layanan"],
                         "nilai": [2.0, 2.1, 3.0], "rerata_nasional": [1.9, 1.8, 2.4], "rerata_kategori": [2.0, 1.9, 2.5],
                         "rerata_provinsi": [1.7, 1.7, 2.5]})
    fig = charts.profile_radar(comp, "Kota X", kategori="Kota", instrument="PermenPANRB 5/2018", tahun=2019)
    assert len(fig.data) == 4 and list(fig.data[0].theta[:-1]) == ["D1 Kebijakan", "D2 Tata Kelola", "D3 Layanan"]
    assert "domain" in _title(fig)


def test_grouped_bars_missing_value_leaves_empty_slot():
    df = pd.DataFrame({"nama": ["A", "A", "B"], "sumbu": ["D1 Kebijakan", "D2 Tata Kelola", "D1 Kebijakan"],
                       "nilai": [3.0, 2.5, 4.0]})
    fig = charts.grouped_bars(df, x="sumbu", y="nilai", series="nama", title="Nilai domain 2024")
    assert [t.name for t in fig.data] == ["A", "B"]
    assert list(fig.data[1].y) == [4.0, None]
    assert fig.layout.barmode == "group" and fig.layout.yaxis.title.text


def test_instansi_keep_their_colour_when_one_has_no_value():
    colors = charts.instansi_colors(["A", "B", "C"])
    df = pd.DataFrame({"nama": ["B", "C"], "sumbu": ["D1 Kebijakan"] * 2, "nilai": [3.0, 2.0]})  # A not evaluated
    fig = charts.grouped_bars(df, x="sumbu", y="nilai", series="nama", title="Nilai domain", colors=colors)
    assert [t.marker.color for t in fig.data] == [colors["B"], colors["C"]] and colors["B"] != colors["A"]
    trend = _trend_rows("b", "B", {2024: 3.0})
    line = charts.index_trend(trend, YEARS, load_registry(), colors=colors).data[-1]
    assert line.line.color == colors["B"]


# --- trend ----------------------------------------------------------------------------------
def _trend_rows(iid, nama, values: dict[int, float]) -> pd.DataFrame:
    return pd.DataFrame({"instansi_id": iid, "nama": nama, "tahun": list(values), "indeks": list(values.values()),
                         "predikat": "Baik"})


def test_index_trend_missing_year_is_a_gap_not_zero(registry):
    trend = _trend_rows("kab-1", "Kab. Satu", {2018: 1.8, 2019: 2.0, 2021: 2.4, 2022: 2.6, 2023: 2.9, 2024: 3.1})
    national = pd.DataFrame({"tahun": YEARS, "resmi": [1.98, 2.18, 2.26, 2.24, 2.34, 2.79, 3.12],
                             "target": [None, None, None, None, 2.3, 2.6, 2.85]})
    category = pd.DataFrame({"tahun": YEARS, "indeks": [1.9, 2.0, 2.1, 2.1, 2.2, 2.6, 2.9]})
    fig = charts.index_trend(trend, YEARS, registry, national=national, category=category, category_name="Kabupaten")
    own = next(t for t in fig.data if t.name == "Kab. Satu")
    assert list(own.x) == YEARS
    assert own.y[YEARS.index(2020)] is None and 0 not in own.y
    assert own.connectgaps is False
    names = [t.name for t in fig.data]
    assert "Nasional (resmi KemenPANRB)" in names and "Rata-rata Kabupaten (dihitung ulang)" in names
    assert fig.to_dict()["data"][names.index("Kab. Satu")]["y"][2] is None  # serialised as null for the browser


def test_index_trend_marks_the_instrument_break_at_2021(registry):
    assert 2021 in registry.break_years()
    fig = charts.index_trend(_trend_rows("k", "K", {2019: 2.0, 2022: 2.5}), YEARS, registry)
    (line,) = _shapes(fig, "pergantian_instrumen_2021")
    assert line.x0 == line.x1 == 2020.5                 # between the last 5/2018 year and the first 59/2020 year
    labels = [a.text for a in fig.layout.annotations if a.name == "pergantian_instrumen_2021"]
    assert labels == ["Instrumen berganti: PermenPANRB 59/2020"]


def test_index_trend_shades_predikat_bands_per_instrument_period(registry):
    fig = charts.index_trend(_trend_rows("k", "K", {2024: 3.0}), YEARS, registry)
    bands = _shapes(fig, "predikat_")
    assert len(bands) == 5 * 2                            # five bands in each of the two instrument periods
    baik = [b for b in bands if b.name == "predikat_Baik"]
    assert {(b.y0, b.y1) for b in baik} == {(2.6, 3.5)}
    assert all(b.fillcolor == theme.PREDIKAT_COLORS["Baik"] and b.opacity < 0.2 for b in baik)
    assert sorted((b.x0, b.x1) for b in baik) == [(2017.5, 2020.5), (2020.5, 2024.5)]
    assert fig.layout.yaxis.title.text == "Indeks SPBE" and fig.layout.xaxis.title.text


def test_component_trend_never_joins_series_across_instruments(registry):
    rows = []
    for y in (2018, 2019, 2020):
        rows += [(y, "permenpanrb_5_2018", "D1", "Kebijakan", 2.0), (y, "permenpanrb_5_2018", "D3", "Layanan", 2.5)]
    for y in (2021, 2023, 2024):                          # 2022 missing
        rows += [(y, "permenpanrb_59_2020", "D1", "Kebijakan", 2.8), (y, "permenpanrb_59_2020", "D4", "Layanan", 3.4)]
    df = pd.DataFrame(rows, columns=["tahun", "instrument_id", "kode", "label", "nilai"])
    fig = charts.component_trend(df, YEARS, registry)
    assert len(fig.data) == 4                              # one trace per (instrument, domain)
    for trace in fig.data:
        years = [x for x, y in zip(trace.x, trace.y) if y is not None]
        assert not ({2020, 2021} <= set(trace.x)), f"{trace.name} joins 2020→2021"
        ins = registry.by_id(trace.meta["instrument_id"])
        assert all(ins.covers(x) for x in trace.x) and years
    d1_new = next(t for t in fig.data if t.meta == {"instrument_id": "permenpanrb_59_2020", "kode": "D1"})
    assert list(d1_new.x) == [2021, 2022, 2023, 2024] and d1_new.y[1] is None
    colour = {t.meta["kode"] + t.meta["instrument_id"][-4:]: t.line.color for t in fig.data}
    assert colour["D32018"] == colour["D42020"]           # "Layanan" keeps its colour across panels
    assert "tidak disambung" in _title(fig)


def test_component_trend_panel_titles_name_the_instruments(registry):
    df = pd.DataFrame({"tahun": [2019], "instrument_id": ["permenpanrb_5_2018"], "kode": ["A1"],
                       "label": ["Kebijakan Tata Kelola"], "nilai": [2.0]})
    fig = charts.component_trend(df, YEARS, registry, jenis="aspek")
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["PermenPANRB 5/2018 (2018–2020)", "PermenPANRB 59/2020 (2021–2024)"]
    assert not math.isnan(fig.data[0].y[1]) and fig.layout.yaxis.title.text == "Nilai aspek"
