"""app.py itself: navigation declares every page file and the default page renders."""
from __future__ import annotations

import ast
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def test_navigation_declares_every_page_file():
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    declared = {node.args[0].value for node in ast.walk(tree)
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"
                and isinstance(node.args[0], ast.Constant)}  # not the /ringkasan_nasional redirect (a callable)
    files = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert declared == files


def test_app_entry_renders_default_page_with_global_filters(demo_warehouse):
    import streamlit as st
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Ringkasan nasional"
    labels = [s.label for s in at.sidebar.selectbox]
    assert labels == ["Tahun evaluasi", "Instansi yang dikaji"]
