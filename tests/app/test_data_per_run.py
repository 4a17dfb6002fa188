"""AppTest: what every page reads of the session's data is worked out once per script run (issue 14).

`data.current()` and `data.run()` synced this session's uploads on each of a rerun's 6–8 calls and the
bootstrap and the sidebar each read the `years` query; now the uploads are synced once per run, the years
once per snapshot, and a new upload (or its removal) is still seen on the very next run."""
from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app.conftest import PROJECT_ROOT, TIMEOUT_S
from tests.app.test_session_uploads import SERANG
from tests.unit.test_upload import lhe_bytes
from ui import data, session_data, upload, widgets


@pytest.fixture(scope="module")
def lhe_2024():
    return upload.handle_upload("lhe_kota_serang_2024.txt", lhe_bytes(tahun=2024))


def _app(page: str) -> AppTest:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT_S)
    at.query_params["instansi"] = SERANG
    at.query_params["tahun"] = "2024"
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    return at


def test_a_rerun_syncs_the_uploads_once_and_reads_the_years_once_per_snapshot(demo_warehouse, monkeypatch):
    at = _app("ringkasan_nasional")
    queries, currents = [], []
    real_run, real_current = data.run, data.current
    monkeypatch.setattr(data, "run", lambda name, **p: (queries.append(name), real_run(name, **p))[1])
    monkeypatch.setattr(data, "current", lambda: (currents.append(1), real_current())[1])
    syncs = data.SYNCS["n"]
    at.run()
    assert not at.exception
    assert data.SYNCS["n"] - syncs == 1          # the sidebar, the bootstrap and every query: one sync
    assert "years" not in queries                 # the years of this snapshot are already known
    assert len(currents) >= 3                     # bootstrap, sidebar, picker, figure cache: one sync for all
    year = at.sidebar.selectbox[0]
    assert year.label == "Tahun evaluasi" and year.value == 2024 and {"2018", "2024"} <= set(year.options)
    assert any(w.value == widgets.SYNTHETIC_NOTICE for w in at.warning)   # demo data: the years' synthetic flag


def test_an_upload_is_seen_on_the_next_run_and_its_removal_too(demo_warehouse, lhe_2024):
    at = _app("ringkasan_nasional")
    assert session_data.get() is None and not _notices(at)
    at.session_state[upload.SESSION_KEY] = lhe_2024
    at.run()
    assert not at.exception and session_data.LABEL_LHE in _notices(at)
    assert isinstance(at.session_state[session_data.KEY], session_data.SessionWarehouse)
    at.session_state[upload.SESSION_KEY] = None
    at.run()
    assert not at.exception and not _notices(at)
    assert at.session_state[session_data.KEY] is None


def _notices(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in at.info if "unggahan sesi" in str(e.value))


def test_the_profile_and_gaps_views_follow_an_upload_made_after_they_were_cached(demo_warehouse, lhe_2024):
    """The cached profile/gap views are keyed by the session's data scope: an upload made after the published
    view was cached shows the upload's index on the next run (the scope was left out of their cache key)."""
    from rendering.format import num
    from tests.app.test_session_uploads import INDEX_2024

    at = _app("profil_instansi")
    index = lambda: {m.label: m.value for m in at.metric}["Indeks SPBE 2024"]   # noqa: E731
    published = index()
    assert published != num(INDEX_2024)
    at.session_state[upload.SESSION_KEY] = lhe_2024
    at.run()
    assert not at.exception and index() == num(INDEX_2024)
    at.session_state[upload.SESSION_KEY] = None
    at.run()
    assert not at.exception and index() == published
