"""The import layers of pyproject.toml ([tool.importlinter]) are enforced, not just written down:
`lint-imports` passes on the real tree and fails on a copy of it with one bent import."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["pages", "ui", "etl", "briefs", "rendering", "queries", "domain"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd)})


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the project's Python packages and its pyproject.toml (same contracts)."""
    for pkg in PACKAGES:
        shutil.copytree(ROOT / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__", "*.sql", "*.csv"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _bend(tree: Path, module: str, line: str) -> None:
    path = tree / module
    path.write_text(line + "\n" + path.read_text(encoding="utf-8"), encoding="utf-8")


def test_the_real_tree_keeps_every_contract():
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_copy_keeps_every_contract_before_it_is_bent(tree):
    assert _lint(tree).returncode == 0


def test_a_page_importing_etl_fails(tree):
    _bend(tree, "pages/tren.py", "import etl  # noqa")
    done = _lint(tree)
    assert done.returncode != 0
    assert "pages never import etl" in done.stdout and "BROKEN" in done.stdout
    assert "pages.tren -> etl" in done.stdout


@pytest.mark.parametrize("module, line, broken", [
    ("rendering/format.py", "import streamlit  # noqa", "streamlit only in pages and ui"),
    ("briefs/layout.py", "from ui import state  # noqa", "layers:"),
    ("domain/numbers.py", "import rendering.format  # noqa", "layers:"),          # a package cycle
    ("rendering/theme.py", "import queries.gateway  # noqa", "layers:"),          # rendering | queries
    ("etl/report.py", "import rendering.format  # noqa", "etl reaches rendering only through briefs"),
    ("ui/state.py", "import etl.readers  # noqa", "in ui, only ui.upload imports etl"),
    ("briefs/layout.py", "import briefs.docx_writer  # noqa", "no import cycles"),  # docx_writer imports layout
])
def test_other_bent_imports_fail(tree, module, line, broken):
    _bend(tree, module, line)
    done = _lint(tree)
    assert done.returncode != 0
    broken_section = done.stdout.split("Broken contracts", 1)[-1]
    assert broken in broken_section, done.stdout
