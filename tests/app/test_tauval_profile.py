"""AppTest: an instansi imported from a TAUVAL record (published aspects, no indicator levels) gets
the profile radar on its eight aspects, and a record kept as published shows its validation note."""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from etl.cli import main
from tests.app.conftest import PROJECT_ROOT, TIMEOUT_S, plotly_specs

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "etl" / "tauval" / "tauval_daftar_2025.json"


@pytest.fixture(scope="module")
def tauval_warehouse(tmp_path_factory) -> Path:
    wh = tmp_path_factory.mktemp("tauval_app") / "wh"
    assert main(["--warehouse", str(wh), "import", str(FIXTURE)]) == 0
    return wh


@pytest.fixture
def profile(tauval_warehouse, monkeypatch):
    monkeypatch.setenv("SPBE_WAREHOUSE", str(tauval_warehouse))

    def run(instansi: str) -> AppTest:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "profil_instansi.py"), default_timeout=TIMEOUT_S)
        at.query_params["tahun"] = "2025"
        at.query_params["instansi"] = instansi
        at.run()
        assert not at.exception, at.exception
        return at
    return run


def radar(at: AppTest) -> dict:
    return next(s for s in plotly_specs(at) if any(t.get("type") == "scatterpolar" for t in s["data"]))


def test_profile_radar_shows_the_published_aspects(profile):
    at = profile("kota-36.73")
    spec = radar(at)
    axes = [str(t) for t in spec["data"][0]["theta"]]
    assert [a.split()[0] for a in axes if a[:1] == "A"][:8] == [f"A{k}" for k in range(1, 9)]
    assert "Profil aspek Pemerintah Kota Serang 2025" in str(spec["layout"]["title"])
    captions = "\n".join(str(c.value) for c in at.caption)
    assert "Hanya nilai domain yang diketahui" not in captions
    index = next(m for m in at.metric if m.label == "Indeks SPBE 2025")
    assert index.value == "2,60"                      # printed rounded; the band is from 2,5996
    assert "Cukup" in "\n".join(str(m.value) for m in at.markdown) + "\n".join(str(m.value) for m in at.metric)


def test_a_record_kept_as_published_shows_its_note(profile):
    at = profile("prov-35")
    warnings = "\n".join(str(w.value) for w in at.warning)
    assert "Catatan validasi" in warnings and "bernilai 0 padahal aspeknya terisi" in warnings
    assert [a.split()[0] for a in map(str, radar(at)["data"][0]["theta"])][:8] == [f"A{k}" for k in range(1, 9)]
