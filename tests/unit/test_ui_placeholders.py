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


# --- instansi pickers: typing a name finds that instansi, nothing unrelated (issue 13, item 6) ------
PLANNER_OWNED = {"ui/plan_panel.py"}   # the planner's indicator lock list: not an instansi picker


def calls(source: str, names: tuple[str, ...]):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in names:
            yield node, {k.arg: k.value for k in node.keywords}


def test_no_multiselect_offers_the_english_select_all_or_select_n_matches():
    """Streamlit 1.67's multiselect puts "Select all" / "Select N matches" (English, not translatable)
    first in the list; Enter after typing a name then adds every fuzzy match. select_all=False removes it."""
    missing = [f"{path.relative_to(ROOT)}:{node.lineno}" for path in SOURCES
               if str(path.relative_to(ROOT)) not in PLANNER_OWNED
               for node, kw in calls(path.read_text(encoding="utf-8"), ("multiselect",))
               if not (isinstance(kw.get("select_all"), ast.Constant) and kw["select_all"].value is False)]
    assert missing == [], f"multiselect dengan 'Select all/Select N matches': {missing}"


def test_instansi_pickers_match_by_contained_text_not_fuzzy():
    """A fuzzy filter lists instansi whose names merely contain the letters in order; the instansi
    pickers (format_func = an instansi label) filter by the text typed."""
    fuzzy = []
    for path in SOURCES:
        for node, kw in calls(path.read_text(encoding="utf-8"), ("selectbox", "multiselect")):
            label_fn = ast.unparse(kw["format_func"]) if "format_func" in kw else ""
            if "labels" in label_fn and ast.unparse(kw.get("filter_mode", ast.Constant(None))) != "'contains'":
                fuzzy.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert fuzzy == [], f"pemilih instansi dengan filter fuzzy: {fuzzy}"
