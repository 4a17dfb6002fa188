"""Text from data is always text (no Streamlit here; pure string functions).

Every string that comes from the warehouse or an upload — instansi names, predikat, kategori,
provinsi, source and file names — goes through one of these before it is shown:

- `md(text)` for anything Streamlit renders as markdown: st.markdown/caption/info/warning/error/
  success, titles and subheaders, and the labels and `help` tooltips of metrics, tabs, expanders,
  buttons and toggles. The markdown marks are backslash-escaped (no link, image, emphasis, code,
  table, strikethrough, LaTeX `$…$`, `:color[…]`, nor a list/heading at the start), a URL gets a
  zero-width space after `http:`/`www` (no autolink), `& < >` become entities (no HTML), and line breaks become spaces (a name cannot start a
  new block). Ordinary punctuation (. , : ( ) -) stays as written, so the markdown source stays
  readable.
- `plot(text)` for plotly text (titles, trace names, hover templates and the values substituted into
  them, tick labels, annotations, legend titles): plotly.js draws a subset of HTML (`<a href>`, `<b>`,
  `<br>`, `<span style>`) and substitutes `%{…}` in templates: `<`, `>`, the `%` of `%{` and `$`
  (TeX when MathJax is present, as in the image export) become entities that plotly.js decodes back
  to the same characters after it has split the tags, so they are drawn as plain text. `&` is left
  as is (an entity in the data is drawn as its character, never as a tag), so "Strategi & Perencanaan"
  stays unchanged in the figure's data.

Plain-text widgets (selectbox/multiselect options, st.dataframe cells, st.code, download file names)
need neither: escaping them would show the backslashes.
"""
from __future__ import annotations

import re

import pandas as pd

# markdown marks escaped anywhere: emphasis, code, links/images, strikethrough, tables, headings, LaTeX
_MD_MARKS = re.compile(r"([\\`*_\[\]!|~$#])")
# remark-gfm turns URLs in the *text* into links (after escapes are resolved): a zero-width space
# after "scheme:" and after "www" keeps http://… and www.… as text
_MD_URL = re.compile(r"(?<=[A-Za-z0-9]:)(?=//)|(?<=\bwww)(?=\.)", re.I)
ZWSP = "\u200b"
_MD_LEAD = re.compile(r"^(\s*(?:\d+)?)([-+=.)])")    # a list or setext heading at the start ("- x", "1. x")
_BREAKS = re.compile(r"[\r\n\t\v\f\u0085\u2028\u2029]+")
_PLOT = {"<": "&lt;", ">": "&gt;", "%{": "&#37;{", "$": "&#36;"}
_PLOT_RE = re.compile("|".join(map(re.escape, _PLOT)))


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value


def md(value, missing: str = "—") -> str:
    """`value` as literal text inside Streamlit markdown (None/NaN → `missing`, itself escaped)."""
    text = missing if _missing(value) else str(value)
    text = _BREAKS.sub(" ", text)
    text = _MD_MARKS.sub(r"\\\1", text)
    text = _MD_URL.sub(ZWSP, text)
    text = _MD_LEAD.sub(r"\1\\\2", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plot(value, missing: str = "—") -> str:
    """`value` as literal text inside any plotly text field (None/NaN → `missing`)."""
    text = missing if _missing(value) else str(value)
    return _PLOT_RE.sub(lambda m: _PLOT[m.group(0)], _BREAKS.sub(" ", text))


def plot_list(values) -> list:
    """Plotly-escaped copy of a sequence of data values (strings escaped; numbers and None kept)."""
    return [plot(v) if isinstance(v, str) else v for v in values]
