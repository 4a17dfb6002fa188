"""Exports ready for a Word document (issue 13 item 4): chart files for a 16 cm wide figure with the
instansi in the title and a square radar; tables with Indonesian headers, the filters used, and a
CSV an Indonesian Excel opens into columns (`;`, decimal comma, BOM). Real kaleido + chromium."""
from __future__ import annotations

import io
import struct

import pandas as pd
import plotly.graph_objects as go

from rendering import charts, theme
from rendering.export import decorate, source_line
from rendering.export_document import DOC_LAYOUT_WIDTH, DOC_MIN_FONT, DOC_PIXELS, document_bytes, document_figure
from rendering.export_tables import csv_header_row, table_csv_excel, table_title, table_xlsx, xlsx_header_row

SOURCE = source_line(2024)
NAMA = "Pemerintah Kota Serang"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _components() -> pd.DataFrame:
    return pd.DataFrame({"jenis": ["domain"] * 4, "kode": ["D1", "D2", "D3", "D4"], "urutan": [1, 2, 3, 4],
                         "label": ["Kebijakan", "Tata Kelola", "Manajemen", "Layanan"],
                         "nilai": [1.8, 1.9, 1.0, 3.82], "rerata_nasional": [3.4, 2.7, 1.9, 3.8],
                         "rerata_kategori": [3.6, 2.9, 2.0, 4.0], "rerata_provinsi": [3.5, 3.0, 2.1, 3.9]})


def _radar() -> go.Figure:
    fig = charts.profile_radar(_components(), NAMA, kategori="Kota", instrument="PermenPANRB 59/2020", tahun=2024)
    return decorate(fig, source=SOURCE, synthetic=False)


def _trend(registry) -> go.Figure:
    trend = pd.DataFrame({"instansi_id": "kota-36.73", "nama": NAMA, "tahun": [2023, 2024], "indeks": [2.6, 2.61],
                          "predikat": ["Baik", "Baik"]})
    national = pd.DataFrame({"tahun": [2023, 2024], "resmi": [2.79, 3.12], "target": [2.6, 2.85]})
    return charts.index_trend(trend, [2021, 2022, 2023, 2024], registry, national=national)


def test_chart_titles_carry_the_instansi():
    from domain.instrument import load_registry

    assert NAMA in _radar().layout.title.text
    assert NAMA in _trend(load_registry()).layout.title.text
    assert charts.who_title(["A", "B", "C"]) == "A dan 2 instansi lain "


def test_radar_file_is_square_and_1600_px():
    assert _png_size(document_bytes(_radar(), "png")) == (DOC_PIXELS, DOC_PIXELS)


def test_chart_file_is_1600_px_wide_with_legible_text():
    theme.register()
    fig = go.Figure(go.Bar(x=["D1", "D2"], y=[1.8, 3.2], name="Kota Serang"))
    fig.update_layout(title=f"Nilai domain {NAMA} 2024")
    fig = decorate(fig, source=SOURCE, synthetic=True)
    doc, width, height = document_figure(fig)
    assert width == DOC_LAYOUT_WIDTH
    # at 16 cm one layout px is 453,5 pt / 720: body text ≥ 8 pt, the smallest text ≥ 6,5 pt
    pt = 72 / 2.54 * 16 / width
    assert (doc.layout.template.layout.font.size or 13) * pt >= 8
    assert all((a.font.size or 13) >= DOC_MIN_FONT for a in doc.layout.annotations)
    assert DOC_MIN_FONT * pt >= 6.5
    w, h = _png_size(document_bytes(fig, "png"))
    assert w == DOC_PIXELS and abs(h - height * DOC_PIXELS / width) <= 2


def test_long_title_wraps_and_a_wider_legend_gets_its_rows():
    theme.register()
    fig = go.Figure([go.Scatter(x=[1, 2], y=[1, 2], name=f"Rata-rata kategori nomor {i} (dihitung ulang)")
                     for i in range(6)])
    fig.update_layout(title="Indeks SPBE " + " dan ".join(["Pemerintah Kabupaten Kepulauan Seribu Utara"] * 2),
                      height=500, margin={"b": 170},
                      legend={"orientation": "h", "yref": "container", "y": 36 / 500, "yanchor": "bottom"})
    fig = decorate(fig, source=SOURCE, synthetic=False)
    doc, _, height = document_figure(fig)
    assert "<br>" in doc.layout.title.text
    assert height > 500 and doc.layout.margin.b > fig.layout.margin.b   # more rows, same plot area
    assert abs(doc.layout.legend.y * height - 36) < 0.5                  # still 36 px above the bottom edge


def test_csv_for_indonesian_excel_parses_back_with_semicolon_and_decimal_comma():
    df = pd.DataFrame({"nama": ["=HYPERLINK(1)", "Kota Serang"], "indeks": [-1.25, 2.61], "tahun": [2024, 2024]})
    title = table_title("peringkat_2024", {"kategori": ["Kota"], "provinsi": ["Banten"], "predikat": []})
    assert title == "Peringkat 2024 · kategori: Kota · provinsi: Banten"
    data = table_csv_excel(df, title=title, source=SOURCE, synthetic=True)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == title and "2,61" in text and "2.61" not in text
    skip = csv_header_row(title=title, synthetic=True, source=SOURCE) - 1
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", skiprows=skip, encoding="utf-8-sig")
    assert list(back.columns) == ["Instansi", "Indeks SPBE", "Tahun"]
    assert back["Indeks SPBE"].tolist() == [-1.25, 2.61] and back["Tahun"].tolist() == [2024, 2024]
    assert back["Instansi"].iloc[0] == "'=HYPERLINK(1)"   # formula cells stay neutralised


def test_xlsx_has_indonesian_headers_under_the_title_with_filters():
    from openpyxl import load_workbook

    df = pd.DataFrame({"peringkat_kategori": [1], "rerata_provinsi": [3.39], "di_bawah_target_pct": [57.0]})
    title = table_title("peringkat_2024", {"kategori": "Kota"})
    ws = load_workbook(io.BytesIO(table_xlsx(df, title=title, source=SOURCE)))["Data"]
    header = xlsx_header_row(title=title, source=SOURCE)
    assert ws["A1"].value == "Peringkat 2024 · kategori: Kota"
    assert [c.value for c in ws[header]] == ["Peringkat kategori", "Rata-rata kab/kota se-provinsi (dihitung ulang)",
                                             "Di bawah target (%)"]


def test_table_download_title_names_the_page_filters_and_the_instansi():
    from streamlit.testing.v1 import AppTest

    def page():
        import pandas as pd
        import streamlit as st

        from ui import downloads

        downloads.table_filters("peringkat_2024", kategori=["Kota"], provinsi=["Banten"], predikat=[])
        st.write(downloads._table_title(pd.DataFrame({"nama": ["A", "B"]}), "peringkat_2024"))
        st.write(downloads._table_title(pd.DataFrame({"nama": ["Pemerintah Kota Serang"]}), "komponen_kota-36.73_2024"))
        downloads.table_download_controls(pd.DataFrame({"tahun": [2024], "indeks": [2.5]}), "peringkat_2024", key="t")

    at = AppTest.from_function(page, default_timeout=60).run()
    assert not at.exception
    said = [m.value for m in at.markdown]
    assert said[:2] == ["Peringkat 2024 · kategori: Kota · provinsi: Banten",
                        "Komponen 2024 · instansi: Pemerintah Kota Serang"]
    assert {b.proto.label for b in at.get("download_button")} == {"CSV", "CSV titik desimal", "XLSX"}
