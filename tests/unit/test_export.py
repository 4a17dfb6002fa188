"""Server-side chart export (real kaleido + Debian chromium) and table downloads (CSV/XLSX)."""
from __future__ import annotations

import csv
import io
import os
import signal
import struct
import xml.etree.ElementTree as ET

import pandas as pd
import plotly.graph_objects as go
import pytest

from rendering import theme
from rendering.export import (
    SYNTHETIC_MARK,
    css_font_family,
    decorate,
    export_browser_pid,
    figure_bytes,
    file_stem,
    is_decorated,
    source_line,
)
from rendering.export_tables import table_csv, table_xlsx, xlsx_header_row

TITLE = "Indeks SPBE Kota Serang 2018–2024"
X_LABEL, Y_LABEL = "Tahun evaluasi", "Indeks SPBE"
SOURCE = source_line(2024, synthetic=True)


def _figure() -> go.Figure:
    theme.register()
    fig = go.Figure(go.Scatter(x=[2021, 2022, 2023, 2024], y=[2.97, 3.13, 3.4, 3.88], name="Kota Serang"))
    fig.update_layout(title=TITLE)
    fig.update_xaxes(title=X_LABEL)
    fig.update_yaxes(title=Y_LABEL)
    return fig


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _svg_text(data: bytes) -> str:
    root = ET.fromstring(data)
    return " ".join(t for el in root.iter() for t in (el.text,) if t)


def test_png_export_is_png_at_scale_times_size():
    data = figure_bytes(_figure(), "png", scale=3, width=500, height=300, source=SOURCE, synthetic=True)
    assert _png_size(data) == (1500, 900)


def test_svg_export_keeps_title_axis_labels_source_and_synthetic_mark():
    text = _svg_text(figure_bytes(_figure(), "svg", source=SOURCE, synthetic=True))
    for expected in (TITLE, X_LABEL, Y_LABEL, SYNTHETIC_MARK, "Sumber: KemenPANRB, Evaluasi SPBE 2024"):
        assert expected in text


def test_pdf_export_contains_the_title_as_text():
    from pypdf import PdfReader

    data = figure_bytes(_figure(), "pdf", source=SOURCE, synthetic=True)
    assert data[:5] == b"%PDF-"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    for expected in (TITLE, X_LABEL, SYNTHETIC_MARK):
        assert expected in text


def test_already_decorated_figure_is_not_decorated_twice():
    fig = decorate(_figure(), source=SOURCE, synthetic=True)
    text = _svg_text(figure_bytes(fig, "svg", source="Sumber lain", synthetic=True))
    assert text.count(SYNTHETIC_MARK) == 1 and "Sumber lain" not in text
    assert is_decorated(fig)


def test_undecorated_figure_without_source_is_exported_as_is():
    text = _svg_text(figure_bytes(_figure(), "svg"))
    assert TITLE in text and SYNTHETIC_MARK not in text


def test_unknown_format_is_rejected():
    with pytest.raises(ValueError):
        figure_bytes(_figure(), "gif")


def test_font_stack_is_quoted_so_chromium_keeps_it():
    stack = "Source Sans 3, DejaVu Sans, sans-serif"  # unquoted '3' makes this invalid CSS
    assert css_font_family(stack) == '"Source Sans 3", "DejaVu Sans", sans-serif'
    assert css_font_family(css_font_family(stack)) == css_font_family(stack)
    fig = _figure().update_layout(font_family=stack)
    svg = figure_bytes(fig, "svg").decode()
    assert "DejaVu Sans" in svg  # the declaration survived (unquoted, chromium drops it entirely)


def test_export_recovers_when_the_shared_browser_dies():
    figure_bytes(_figure(), "svg")
    pid = export_browser_pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)  # the chromium process this test session started for exports
    text = _svg_text(figure_bytes(_figure(), "svg"))  # fails on the dead browser, retried fresh
    assert TITLE in text
    figure_bytes(_figure(), "svg")
    assert export_browser_pid() not in (None, pid)  # a new shared browser serves later exports


def test_concurrent_exports_get_their_own_figures():
    from concurrent.futures import ThreadPoolExecutor

    def render(i):
        fig = go.Figure(go.Bar(x=["a"], y=[i]), layout={"title": {"text": f"Grafik nomor {i}"}})
        return i, _svg_text(figure_bytes(fig, "svg"))

    with ThreadPoolExecutor(6) as pool:
        for i, text in pool.map(render, range(6)):
            assert f"Grafik nomor {i}" in text


def test_file_stem_is_safe_and_appends_the_year_once():
    assert file_stem("Profil aspek / Kota Serang", 2024) == "profil_aspek_kota_serang_2024"
    assert file_stem("tren_2024", 2024) == "tren_2024"


# --- tables --------------------------------------------------------------------------------------
DANGEROUS = ['=HYPERLINK("http://contoh.invalid","klik")', "+1", "@SUM(A1:A2)", "-cmd", "\tx", "\r=1+1"]


def _table() -> pd.DataFrame:
    n = len(DANGEROUS) + 1
    return pd.DataFrame({
        "nama": DANGEROUS + ["Kota Serang"],
        "indeks": [-1.5, 2.61, 3.0, None, 4.2, 1.0, 3.875],
        "tahun": [2024] * n,
        "baik_pct": [86.0, 50.5, 0.0, 100.0, 12.25, 33.3, 70.0],
        "=kolom": ["a"] * n,
    })


def test_csv_is_utf8_bom_with_formula_cells_neutralised_and_numbers_numeric():
    df = _table()
    data = table_csv(df)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0][-1] == "'=kolom"
    for row, original in zip(rows[1:], DANGEROUS):
        assert row[0] == "'" + original
    assert rows[1][1] == "-1.5" and rows[4][1] == ""  # negative number stays a number; missing stays empty
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert pd.api.types.is_float_dtype(back["indeks"])
    pd.testing.assert_series_equal(back["indeks"], df["indeks"], check_names=False)
    assert back["nama"].iloc[-1] == "Kota Serang"


def test_xlsx_round_trips_numbers_and_neutralises_text():
    from openpyxl import load_workbook

    df = _table()
    data = table_xlsx(df, title="Ranking 2024", synthetic=True, source=SOURCE)
    header = xlsx_header_row(title="Ranking 2024", synthetic=True, source=SOURCE)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Data"]
    assert "Ranking 2024" == ws["A1"].value and SYNTHETIC_MARK in ws["A2"].value
    assert [c.value for c in ws[header]] == ["Instansi", "Indeks SPBE", "Tahun", "Baik (%)", "'=kolom"]
    assert all(c.font.bold for c in ws[header])
    assert ws.freeze_panes == f"A{header + 1}"
    first = ws[header + 1]
    assert first[0].value == "'" + DANGEROUS[0] and first[0].data_type == "s"
    assert first[1].value == -1.5 and first[1].data_type == "n" and first[1].number_format == "#,##0.00"
    assert first[2].value == 2024 and first[2].number_format == "0"
    assert first[3].number_format == "0.0"
    assert ws.cell(row=header + 4, column=2).value is None  # missing is empty, not 0
    assert not any(isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@", "\t", "\r"))
                   for row in ws.iter_rows() for c in row)
    assert "Keterangan" in wb.sheetnames

    back = pd.read_excel(io.BytesIO(data), sheet_name="Data", header=header - 1)
    pd.testing.assert_series_equal(back["Indeks SPBE"], df["indeks"], check_names=False)
    pd.testing.assert_series_equal(back["Baik (%)"], df["baik_pct"], check_names=False)
    assert back["Tahun"].tolist() == df["tahun"].tolist()
    assert back["Instansi"].tolist() == ["'" + v for v in DANGEROUS] + ["Kota Serang"]


def test_xlsx_without_notes_has_the_header_on_row_one():
    back = pd.read_excel(io.BytesIO(table_xlsx(pd.DataFrame({"a": [1.25, -2.5]}))), sheet_name="Data")
    assert back["A"].tolist() == [1.25, -2.5] and xlsx_header_row() == 1


# --- streamlit controls ---------------------------------------------------------------------------
def test_download_controls_render_buttons_without_rendering_files():
    from streamlit.testing.v1 import AppTest

    def page():
        import pandas as pd
        import plotly.graph_objects as go

        from rendering.export import decorate, source_line
        from ui import downloads

        fig = decorate(go.Figure(go.Bar(x=["a"], y=[1])), source=source_line(2024, synthetic=True), synthetic=True)
        downloads.chart_download_controls(fig, "Profil aspek", key="c")
        downloads.table_download_controls(pd.DataFrame({"tahun": [2024], "indeks": [2.5]}), "Ranking", synthetic=True,
                                          key="t")

    at = AppTest.from_function(page, default_timeout=60).run()
    assert not at.exception
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert set(buttons) == {"PNG (resolusi tinggi)", "SVG (vektor)", "PDF (vektor)", "CSV", "CSV titik desimal", "XLSX"}
    assert all(p.deferred_file_id for p in buttons.values())  # bytes are made on click only
