"""AppTest helpers: a fresh app per test with Streamlit caches cleared and a generous timeout."""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

PROJECT_ROOT = Path(__file__).resolve().parents[2]

TIMEOUT_S = 90  # cold start builds DuckDB views and imports plotly; 3 s default is too tight


@pytest.fixture
def page_app(demo_warehouse):
    """Factory: page_app('profil_instansi', query={'tahun': '2023'}) → an AppTest that has run."""
    def make(page: str, query: dict | None = None, session: dict | None = None, run: bool = True) -> AppTest:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(PROJECT_ROOT / "pages" / f"{page}.py"), default_timeout=TIMEOUT_S)
        for k, v in (query or {}).items():
            at.query_params[k] = v
        for k, v in (session or {}).items():
            at.session_state[k] = v
        if run:
            at.run()
        return at
    return make


def plotly_specs(at: AppTest) -> list[dict]:
    """Plotly figure specs rendered by the page (AppTest has no typed accessor for them)."""
    import json

    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
