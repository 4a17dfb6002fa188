"""The level template files of *Penilaian mandiri & rencana*, made once per (instrument, year, instansi) (issue 14).

The panel wrote the template workbook (openpyxl) and CSV on every rerun of the page, about a quarter of its
server time, though they depend only on the instrument, the year and the instansi named in them. They are
kept here, bytes shared read only; the files offered are the same (a workbook's creation time is the first
request's).
"""
from __future__ import annotations

import streamlit as st

from ui.upload_templates import template_csv, template_frame, template_xlsx

CACHE_TTL_S = 1800
BUILDS = {"n": 0}   # template pairs made (for tests: a warm rerun makes none)


@st.cache_resource(max_entries=64, ttl=CACHE_TTL_S, show_spinner=False)
def _files(key: tuple, _ins) -> tuple[bytes, bytes]:
    tahun, instansi_id, nama = key[-3:]
    BUILDS["n"] += 1
    tpl = template_frame(_ins, tahun, instansi_id, nama)
    return template_csv(tpl), template_xlsx(tpl)


def files(ins, tahun: int, instansi_id: str, nama: str) -> tuple[bytes, bytes]:
    """(CSV, XLSX) bytes of the level template of instrument `ins` for that year and instansi."""
    # the key holds everything the files show (an instrument object may be another copy on the next rerun)
    content = (ins.id, tuple(ins.indicator_numbers), tuple(i.nama for i in ins.indicators))
    return _files((*content, int(tahun), instansi_id, str(nama)), ins)
