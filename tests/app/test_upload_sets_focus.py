"""AppTest (issue 13, item 1): an uploaded LHE becomes the instansi and year under study on every
page, once — the analyst can then study another instansi without the upload page pulling back."""
from __future__ import annotations

from tests.unit.test_upload import lhe_bytes
from ui import state

SERANG, OTHER = "kota-36.73", "kota-32.75"


def test_an_upload_becomes_the_instansi_and_year_under_study(page_app):
    at = page_app("penilaian_mandiri", query={"tahun": "2024", "instansi": OTHER})
    assert (state.KEY_INSTANSI in at.session_state) and at.session_state[state.KEY_INSTANSI] == OTHER
    at.file_uploader[0].set_value([("lhe_serang.txt", lhe_bytes(), "text/plain")]).run()   # Kota Serang, 2021
    assert not at.exception
    assert (at.session_state[state.KEY_INSTANSI], at.session_state[state.KEY_YEAR]) == (SERANG, 2021)
    assert (at.query_params["instansi"], at.query_params["tahun"]) == (SERANG, "2021")
    assert "Pemerintah Kota Serang · 2021" in [h.value for h in at.subheader]
    # the analyst turns to another instansi in the sidebar: the upload page does not pull back
    at.session_state[state.KEY_INSTANSI] = OTHER
    at.session_state[state.KEY_YEAR] = 2024
    at.run()
    assert not at.exception
    assert (at.session_state[state.KEY_INSTANSI], at.session_state[state.KEY_YEAR]) == (OTHER, 2024)
