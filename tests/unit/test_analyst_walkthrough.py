"""What the issue 13 walkthrough showed, each fixed and kept fixed: a long title was cut at the
edge of a half-width chart; a source line wrapped over several lines (uploads named in it) ran
into a legend pinned above it; table files carried float noise; a trend drew one LHE as the
category's mean."""
from __future__ import annotations

import plotly.graph_objects as go
import pytest

from rendering import theme
from rendering.chart_base import _legend_below
from rendering.export import TITLE_WIDTH, decorate

theme.register()
LONG = "Profil domain Pemerintah Kab. Pandeglang dan 2 instansi lain 2024 (PermenPANRB 59/2020)"


def test_a_long_title_is_wrapped_with_room_above_the_plot():
    fig = go.Figure(go.Bar(x=[1], y=[1]), layout={"title": {"text": LONG}, "template": theme.TEMPLATE})
    out = decorate(fig, source="Sumber: KemenPANRB", synthetic=False)
    lines = out.layout.title.text.split("<br>")
    assert len(lines) == 2 and all(len(line) <= TITLE_WIDTH for line in lines)
    assert " ".join(lines) == LONG                       # every word kept, in order
    assert out.layout.margin.t == 70 + 20                # the template's 70 px + one line


def test_a_short_title_is_left_alone():
    fig = go.Figure(go.Bar(x=[1], y=[1]), layout={"title": {"text": "Indeks SPBE 2024"}})
    out = decorate(fig, source="Sumber: KemenPANRB", synthetic=False)
    assert out.layout.title.text == "Indeks SPBE 2024" and out.layout.margin.t is None


def test_a_pinned_legend_moves_up_with_a_wrapped_source_line():
    def pinned() -> go.Figure:
        fig = go.Figure(go.Scatter(x=[1, 2], y=[1, 2], name="a"))
        _legend_below(fig, height=460, bottom=170)
        return fig

    short = decorate(pinned(), source="Sumber: KemenPANRB, Evaluasi SPBE 2024; diolah", synthetic=False)
    long_source = "Sumber: KemenPANRB, Evaluasi SPBE 2021–2024; diolah · termasuk unggahan sesi ini: " + \
        "; ".join(f"Kota Contoh {n} 2021 (LHE resmi KemenPANRB)" for n in range(3))
    wrapped = decorate(pinned(), source=long_source, synthetic=False)
    extra = wrapped.layout.margin.b - short.layout.margin.b
    assert extra > 0
    assert wrapped.layout.legend.y - short.layout.legend.y == pytest.approx(extra / 460)


def test_table_files_carry_no_float_noise():
    import pandas as pd

    from rendering.export_tables import table_csv, table_csv_excel

    df = pd.DataFrame({"Komponen": ["Indeks"], "selisih": [3.45 - 3.12], "rerata": [3.38875]})
    assert 3.45 - 3.12 != 0.33                      # the noise is real
    excel = table_csv_excel(df).decode("utf-8-sig")
    assert "Indeks;0,33;3,38875" in excel and "0000000" not in excel
    assert "Indeks,0.33,3.38875" in table_csv(df).decode("utf-8-sig")


def test_a_title_wrapped_for_the_screen_is_rewrapped_for_a_phone():
    from rendering.export_document import document_figure

    fig = go.Figure(go.Bar(x=[1], y=[1]), layout={"title": {"text": LONG}, "template": theme.TEMPLATE})
    out, _, _ = document_figure(decorate(fig, source="Sumber: KemenPANRB", synthetic=False), width=340)
    lines = out.layout.title.text.split("<br>")
    assert len(lines) >= 3 and all(len(line) <= 33 for line in lines)   # 340 px at 16 px ≈ 33 characters
    assert " ".join(lines) == LONG


def test_a_category_mean_of_a_handful_of_instansi_is_not_drawn():
    import pandas as pd

    from domain.instrument import load_registry
    from domain.kategori import MIN_MEAN_INSTANSI
    from rendering.charts import index_trend

    trend = pd.DataFrame({"instansi_id": ["kota-36.73"] * 2, "nama": ["Pemerintah Kota Serang"] * 2,
                          "tahun": [2021, 2024], "indeks": [2.97, 2.61], "predikat": ["Baik", "Baik"]})
    category = pd.DataFrame({"tahun": [2021, 2024], "indeks": [2.97, 3.39],
                             "jumlah_instansi": [1, 93]})             # 2021: only the one LHE of Kota Serang
    fig = index_trend(trend, [2021, 2024], load_registry(), category=category, category_name="Kota")
    line = next(t for t in fig.data if t.name == "Rata-rata Kota (dihitung ulang)")
    assert list(line.y) == [None, 3.39] and list(line.customdata)[1] == "93"
    assert MIN_MEAN_INSTANSI > 1


def test_an_upload_is_not_compared_with_a_mean_of_a_handful_of_instansi():
    import pandas as pd

    from domain.instrument import load_registry
    from tests.unit.test_upload import lhe_bytes
    from ui import upload

    a = upload.handle_upload("lhe_serang.txt", lhe_bytes()).assessments[0]        # Kota Serang 2021
    ins = load_registry().by_id(a.instrument_id)
    means = pd.DataFrame({"kategori": ["Nasional", "Kota"], "jenis": ["domain", "domain"],
                          "komponen": [ins.domains[0].kode] * 2, "nilai": [2.5, 2.9], "jumlah_instansi": [40, 2]})
    comp = upload.components(a, ins, means).set_index("kode")
    assert comp.loc[ins.domains[0].kode, "rerata_nasional"] == 2.5
    assert pd.isna(comp.loc[ins.domains[0].kode, "rerata_kategori"])     # 2 uploads of Kota: no Kota mean


def test_profile_means_carry_their_counts_and_thin_ones_are_masked(warehouse):
    import pandas as pd

    from domain.kategori import MIN_MEAN_INSTANSI, mask_thin_means

    comp = warehouse.run("instansi_components", year=2024, instansi_id="kota-36.73")
    assert len(comp) and (comp["jumlah_nasional"] >= comp["jumlah_kategori"]).all()
    assert (comp["jumlah_kategori"] >= MIN_MEAN_INSTANSI).all()          # demo scale: every mean stands
    assert mask_thin_means(comp)["rerata_kategori"].equals(comp["rerata_kategori"])
    thin = comp.assign(jumlah_kategori=1, jumlah_provinsi=pd.NA)         # e.g. the one 2021 LHE of Kota Serang
    masked = mask_thin_means(thin)
    assert masked["rerata_kategori"].isna().all() and masked["rerata_provinsi"].isna().all()
    assert masked["rerata_nasional"].equals(comp["rerata_nasional"])


def test_the_profile_radar_draws_kemenpanrbs_own_means_when_every_axis_has_one(warehouse):
    import pandas as pd

    from rendering.charts import profile_radar

    comp = warehouse.run("instansi_components", year=2024, instansi_id="kota-36.73")
    assert {"resmi_nasional", "resmi_kategori"} <= set(comp.columns)
    dom = comp[comp["jenis"] == "domain"].reset_index(drop=True)
    official = dom.assign(resmi_nasional=[3.36, 2.62, 1.86, 3.78][:len(dom)], resmi_kategori=pd.NA)
    fig = profile_radar(official, "Pemerintah Kota Serang", kategori="Kota", instrument="PermenPANRB 59/2020", tahun=2024)
    names = [t.name for t in fig.data]
    assert "Rata-rata nasional (resmi KemenPANRB)" in names and "Rata-rata Kota (dihitung ulang)" in names
    nas = next(t for t in fig.data if t.name == "Rata-rata nasional (resmi KemenPANRB)")
    assert list(nas.r[:len(dom)]) == [3.36, 2.62, 1.86, 3.78][:len(dom)]
    partial = official.assign(resmi_nasional=[3.36] + [None] * (len(dom) - 1))   # not every axis: recomputed
    names = [t.name for t in profile_radar(partial, "X", kategori="Kota", instrument="-", tahun=2024).data]
    assert "Rata-rata nasional (dihitung ulang)" in names


def test_the_national_series_draws_no_recomputed_mean_of_one_lhe():
    import pandas as pd

    from domain.instrument import load_registry
    from rendering.charts import national_trend

    df = pd.DataFrame({"tahun": [2021, 2024], "resmi": [2.24, 3.12], "dihitung": [2.97, 3.17],
                       "jumlah_instansi": [1, 615], "target": [None, 2.85]})   # 2021: the Kota Serang LHE only
    fig = national_trend(df, load_registry())
    line = next(t for t in fig.data if t.name == "Rata-rata nasional (dihitung ulang)")
    assert list(line.y) == [None, 3.17]
    assert list(next(t for t in fig.data if t.name == "Nasional (resmi KemenPANRB)").y) == [2.24, 3.12]
