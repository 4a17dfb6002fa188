"""AppTest: the level templates of Penilaian mandiri are made once per (instrument, year, instansi) (issue 14):
a warm rerun writes no workbook again, another instrument makes its own files once."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from domain.instrument import load_registry
from ui import template_view, upload

PAGE = "penilaian_mandiri"
SERANG = "kota-36.73"


def test_templates_are_made_once_and_name_the_instansi_and_year(page_app):
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    assert not at.exception
    assert [b.label for b in at.get("download_button")] == ["Templat CSV", "Templat XLSX"]
    made = template_view.BUILDS["n"]
    at.run()
    assert not at.exception and template_view.BUILDS["n"] == made     # warm rerun: no workbook written
    ins = load_registry().for_year(2024)
    nama = "Pemerintah Kota Serang"
    csv, xlsx = template_view.files(ins, 2024, SERANG, nama)
    assert template_view.BUILDS["n"] == made                           # what the page offered: already made
    assert csv == upload.template_csv(upload.template_frame(ins, 2024, SERANG, nama))
    rows = list(load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("instansi_id", "nama_instansi", "tahun", "no_indikator")
    assert len(rows) == 1 + 47 and rows[1][:3] == (SERANG, nama, 2024)

    old = next(i for i in load_registry() if i.tahun_akhir)            # the 5/2018 instrument
    at.selectbox(key="pm_tpl_instrumen").set_value(old).run()
    assert not at.exception and template_view.BUILDS["n"] == made + 1
    at.run()
    assert template_view.BUILDS["n"] == made + 1
