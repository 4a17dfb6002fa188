"""AppTest: Tren builds what it shows of an instansi once per (snapshot, choices) (issue 14): a warm rerun
builds no view again and draws the same; a toggle builds its own view once; another snapshot (an upload
here) gets its own views."""
from __future__ import annotations

import pytest

from tests.app.conftest import plotly_specs
from tests.unit.test_upload import lhe_bytes
from ui import trend_view, upload

PAGE = "tren"
SERANG = "kota-36.73"


@pytest.fixture(scope="module")
def lhe_2024():
    return upload.handle_upload("lhe_kota_serang_2024.txt", lhe_bytes(tahun=2024))


def test_a_warm_rerun_builds_no_view_and_a_toggle_builds_one(page_app):
    at = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    assert not at.exception
    specs, captions = plotly_specs(at), [c.value for c in at.caption]
    built = trend_view.BUILDS["n"]
    at.run()
    assert not at.exception and trend_view.BUILDS["n"] == built
    assert plotly_specs(at) == specs and [c.value for c in at.caption] == captions
    at.toggle(key="tr_kategori").set_value(False).run()
    assert not at.exception and trend_view.BUILDS["n"] == built + 1      # the index view without the category
    assert not any("Rata-rata" in (t.get("name") or "") for t in plotly_specs(at)[0]["data"])
    at.toggle(key="tr_kategori").set_value(True).run()
    assert trend_view.BUILDS["n"] == built + 1 and plotly_specs(at) == specs   # back: the stored view


def test_an_upload_gets_its_own_views(page_app, lhe_2024):
    plain = page_app(PAGE, query={"tahun": "2024", "instansi": SERANG})
    serang = plotly_specs(plain)[0]["data"][-1]
    assert serang["name"] == "Pemerintah Kota Serang"
    built = trend_view.BUILDS["n"]
    plain.session_state[upload.SESSION_KEY] = lhe_2024
    plain.run()
    assert not plain.exception and trend_view.BUILDS["n"] > built
    mine = next(t for t in plotly_specs(plain)[0]["data"] if t.get("name", "").startswith("Pemerintah Kota Serang"))
    assert mine["y"] != serang["y"]                                            # 2024 is the upload's index
