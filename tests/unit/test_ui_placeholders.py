"""No English widget text: an empty select box shows Streamlit's own placeholder ("Choose an
option" / "Choose options") unless it is given one. Checked in the source of every page and UI
module: each `selectbox(..., index=None)` and each `multiselect(...)` passes `placeholder=` (or
forwards `**kwargs` from a caller that does)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")])


def empty_selects_without_placeholder(source: str) -> list[int]:
    missing = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("selectbox", "multiselect")):
            continue
        kw = {k.arg: k.value for k in node.keywords}
        if None in kw or "placeholder" in kw:  # **kwargs forwarded, or a placeholder given
            continue
        starts_empty = node.func.attr == "multiselect" or (
            isinstance(kw.get("index"), ast.Constant) and kw["index"].value is None)
        if starts_empty:
            missing.append(node.lineno)
    return missing


def test_the_check_finds_a_missing_placeholder():
    assert empty_selects_without_placeholder("st.selectbox('x', [1], index=None)") == [1]
    assert empty_selects_without_placeholder("c.multiselect('x', [1])") == [1]
    assert empty_selects_without_placeholder("st.selectbox('x', [1])") == []  # starts on a value
    assert empty_selects_without_placeholder("st.multiselect('x', [1], placeholder='Semua')") == []


def test_every_empty_select_has_an_indonesian_placeholder():
    missing = [f"{path.relative_to(ROOT)}:{line}" for path in SOURCES
               for line in empty_selects_without_placeholder(path.read_text(encoding="utf-8"))]
    assert missing == [], f"select tanpa placeholder (Streamlit akan menulis 'Choose an option'): {missing}"
