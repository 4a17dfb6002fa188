"""Text from data is always text: the escaping helpers for Streamlit markdown and plotly (issue 16)."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from rendering.safe_text import md, plot, plot_list

HOSTILE = [
    '<meta http-equiv="refresh" content="0;url=http://evil.example/">',
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%">Sesi Anda berakhir</div>',
    '<form action="http://evil.example/"><input type="password" name="p"></form>',
    '<iframe src="http://evil.example/"></iframe>',
    "![x](http://evil.example/x.png)",
    "[klik](javascript:alert(1))",
    "<script>alert(1)</script>",
    "**tebal** _miring_ `kode` # judul | tabel | ~~coret~~ $x^2$ :red[merah]",
    "baris satu\n\n# judul baru\r\n- daftar",
    "%{x} %{customdata[0]} %{meta.source}",
]


def unescape_markdown(text: str) -> str:
    """What CommonMark shows for text made only of backslash escapes and the three entities."""
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text).replace("\u200b", "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def unescape_plotly(text: str) -> str:
    """What plotly.js's convertEntities draws (named: lt gt amp; numeric: &#NN;)."""
    text = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_escape_leaves_no_live_markup(text):
    out = md(text)
    assert "<" not in out and ">" not in out                        # no HTML tag can open
    assert not re.search(r"(?<!\\)[\[\]!*_`#|~$]", out)            # every markdown mark is escaped
    assert not re.search(r"https?://|www\.", out)                     # no autolinked URL (remark-gfm)
    assert "\n" not in out and "\r" not in out                       # cannot start a new block
    assert unescape_markdown(out) == re.sub(r"[\r\n]+", " ", text)


@pytest.mark.parametrize("text", HOSTILE)
def test_plotly_escape_leaves_no_tag_and_no_template(text):
    out = plot(text)
    assert "<" not in out and ">" not in out
    assert "%{" not in out and "$" not in out
    assert unescape_plotly(out) == re.sub(r"[\r\n]+", " ", text)


def test_plain_names_are_unchanged_for_plotly_and_markdown():
    for name in ("Pemerintah Kota Serang", "Pemerintah Kab. Lima Puluh Kota (Sumbar)", "Kota Bau-Bau: 3,12"):
        assert plot(name) == name and md(name) == name


@pytest.mark.parametrize("text", ["- daftar", "+ daftar", "1. satu", "12) dua", "= judul", "www.evil.example"])
def test_markdown_blocks_and_autolinks_cannot_start(text):
    out = md(text)
    assert out != text and unescape_markdown(out) == text


def test_missing_values_and_lists():
    assert md(None) == "—" and md(float("nan")) == "—" and md(pd.NA, missing="") == ""
    assert plot(None) == "—"
    assert plot_list(["<b>x</b>", 3.5, None]) == ["&lt;b&gt;x&lt;/b&gt;", 3.5, None]
