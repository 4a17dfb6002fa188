"""A made-up instrument — levels 0–4, THREE domains, other predikat names and colours, its own index
name — is loaded from data files alone, and every page renders with it (the proof of issue 15 item 1:
no scale, band, colour, domain count or index name is written in code)."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from domain.instrument import INSTRUMENT_DIR, load_registry

from .conftest import plotly_specs

YEAR = 2026
SERANG = "kota-36.73"
TOML = """
id = "ipd_contoh"
nama = "Instrumen Contoh 2026"
nama_indeks = "Indeks Digital Contoh"
tahun_mulai = 2026
indikator = "ipd_contoh.csv"
level_min = 0
level_max = 4
target_level = 2
target_indeks = 2.0
[skala]
proses = ["Nol", "Awal", "Berkembang", "Matang", "Unggul"]
[[predikat]]
nama = "Prima"
batas_bawah = 3.0
batas_atas = 4.0
warna = "#117733"
[[predikat]]
nama = "Tumbuh"
batas_bawah = 1.5
batas_atas = 3.0
warna = "#DDCC77"
[[predikat]]
nama = "Rintis"
batas_bawah = 0.0
batas_atas = 1.5
warna = "#882255"
"""
HEADER = ("no_indikator,nama_indikator,no_aspek,kode_aspek,label_aspek,nama_aspek,bobot_aspek_pct,"
          "no_domain,kode_domain,label_domain,nama_domain,bobot_domain_pct,bobot_indikator_pct,skala\n")
CSV = HEADER + "".join(
    f"{n},Indikator {n},{a},A{a},Aspek {a},Aspek {a},{w},{a},D{a},Ranah {a},Ranah {a},{w},{w / 2:g},proses\n"
    for a, w in ((1, 30), (2, 30), (3, 40)) for n in (2 * a - 1, 2 * a))
NAMES = ["Prima", "Tumbuh", "Rintis"]
COLORS = {"Prima": "#117733", "Tumbuh": "#DDCC77", "Rintis": "#882255"}
# levels per instansi in 2026 (indicators 1..6); 2024 under PermenPANRB 59/2020 for the trend
LEVELS_2026 = {SERANG: [0, 1, 2, 2, 3, 4], "kota-36.71": [4, 4, 3, 3, 4, 4], "kab-36.04": [0, 0, 1, 1, 1, 0],
               "prov-36": [2, 2, 2, 2, 2, 2], "pusat-kementerian-keuangan": [3, 3, 3, 4, 4, 4]}


@pytest.fixture(scope="module")
def made_up(tmp_path_factory):
    from etl.publish import Source, load_master_frame, publish

    base = tmp_path_factory.mktemp("made_up")
    instruments = base / "instruments"
    shutil.copytree(INSTRUMENT_DIR, instruments)
    (instruments / "ipd_contoh.toml").write_text(TOML, encoding="utf-8")
    (instruments / "ipd_contoh.csv").write_text(CSV, encoding="utf-8")
    registry = load_registry(instruments)
    old = registry.for_year(2024)
    rows = [(YEAR, iid, "ipd_contoh", n, lv) for iid, lvs in LEVELS_2026.items() for n, lv in enumerate(lvs, 1)]
    rows += [(2024, iid, old.id, n, 3 if iid == SERANG else 2) for iid in LEVELS_2026 for n in old.indicator_numbers]
    levels = pd.DataFrame(rows, columns=["tahun", "instansi_id", "instrument_id", "no_indikator", "level"])
    publish(base / "wh", source=Source("contoh", "Instrumen contoh (uji)", "demo", True), levels=levels,
            master=load_master_frame(), registry=registry)
    return base


@pytest.fixture
def app(page_app, made_up, monkeypatch):
    monkeypatch.setenv("SPBE_INSTRUMENTS", str(made_up / "instruments"))
    monkeypatch.setenv("SPBE_WAREHOUSE", str(made_up / "wh"))

    def make(page: str, **query):
        at = page_app(page, query={"tahun": str(YEAR), "instansi": SERANG, **query})
        assert not at.exception, [e.message for e in at.exception]
        return at
    return make


def test_the_made_up_instrument_loads_from_data_alone(made_up):
    ins = load_registry(made_up / "instruments").for_year(YEAR)
    assert ins.scale == (0, 4) and len(ins.domains) == 3 and ins.nama_indeks == "Indeks Digital Contoh"
    assert ins.predikat_names == tuple(NAMES) and ins.predikat_colors == COLORS
    assert ins.level_name(1, 0) == "Nol" and ins.predikat(0.5) == "Rintis"


def test_ringkasan_nasional_legend_and_colours_are_the_new_predikat(app):
    specs = plotly_specs(app("ringkasan_nasional"))
    dist = next(s for s in specs if s["layout"].get("barmode") == "stack")
    legend = [t["name"] for t in dist["data"]]
    assert legend == list(reversed(NAMES))
    assert {t["name"]: t["marker"]["color"] for t in dist["data"]} == COLORS
    heat = next(s for s in specs if s["data"][0]["type"] == "heatmap")
    assert (heat["data"][0]["zmin"], heat["data"][0]["zmax"]) == (0, 4)
    assert "Indeks Digital Contoh" in heat["data"][0]["x"]


def test_profile_radar_spans_the_scale_with_three_domains(app):
    specs = plotly_specs(app("profil_instansi"))
    radar = next(s for s in specs if s["data"] and s["data"][0]["type"] == "scatterpolar")
    axis = radar["layout"]["polar"]["radialaxis"]
    assert axis["range"] == [0, 4] and axis["tickvals"] == [0, 1, 2, 3, 4]
    assert len(radar["layout"]["polar"]["angularaxis"]["tickvals"]) in (3, 4)  # three domains (or + index)


def test_ranking_distribution_and_peers_use_the_scale_and_the_three_domains(app):
    at = app("peringkat_sebaran")
    strip = plotly_specs(at)[0]
    assert strip["layout"]["xaxis"]["range"] == [-0.05, 4.05]
    assert strip["layout"]["xaxis"]["title"]["text"] == "Indeks Digital Contoh"
    assert {a["text"] for a in strip["layout"]["annotations"]} >= set(NAMES)
    table = at.dataframe[0].value
    assert [c for c in table.columns if c.startswith("D")] == ["D1 Ranah 1", "D2 Ranah 2", "D3 Ranah 3"]
    peers = plotly_specs(at)[1]
    assert peers["layout"]["xaxis"]["range"] == [0, 4.3]


def test_trend_bands_carry_the_new_predikat_and_both_scales(app):
    specs = plotly_specs(app("tren"))
    trend = specs[0]
    assert trend["layout"]["yaxis"]["range"] == [0, 5]       # 2024 (1–5) and 2026 (0–4) on one axis
    names = {s.get("name") for s in trend["layout"]["shapes"]}
    assert {f"predikat_{n}" for n in NAMES} <= names and "predikat_Memuaskan" in names
    fills = {s["name"]: s["fillcolor"] for s in trend["layout"]["shapes"] if s.get("name", "").startswith("predikat_")}
    assert fills["predikat_Prima"] == COLORS["Prima"]


@pytest.mark.parametrize("page", ["kesenjangan_target", "bandingkan", "peta", "metodologi", "penilaian_mandiri"])
def test_every_other_page_renders(app, page):
    at = app(page)
    assert at.title or at.header or at.markdown
