"""AppTest: an LHE PDF as KemenPANRB issues it, through the upload widget with the year and instansi
fields left empty — read, scored, and the page says where the year and instansi were read."""
from __future__ import annotations

from tests.fixtures.etl.lhe_layout_builders import HSS, pdf_of, text
from ui import upload

PAGE = "penilaian_mandiri"


def plain(markdown: str) -> str:
    """Markdown as shown: the escapes of rendering.safe_text.md removed."""
    return markdown.replace("\\", "")


def test_lhe_pdf_through_the_uploader_needs_no_manual_fields(page_app):
    at = page_app(PAGE)
    assert at.selectbox(key="pm_tahun").value is None and at.selectbox(key="pm_instansi").value is None
    at.file_uploader[0].set_value(("lhe_uji.pdf", pdf_of(text("pypdf_sampul_terpisah.txt")), "application/pdf")).run()
    assert not at.exception
    result = at.session_state[upload.SESSION_KEY]
    assert result.ok and [(a.instansi_id, a.tahun) for a in result.assessments] == [(HSS, 2021)]
    assert "Pemerintah Kab. Hulu Sungai Selatan · 2021" in [plain(s.value) for s in at.subheader]
    assert {m.label: m.value for m in at.metric}["Indeks SPBE 2021 (dihitung dari unggahan)"] == "3,05"
    read = next(plain(c.value) for c in at.caption if c.value.startswith("Terbaca dari berkas"))
    assert "tahun 2021 dari sampul" in read and "PEMERINTAH KABUPATEN HULU SUNGAI SELATAN" in read
    assert "halaman" in read
