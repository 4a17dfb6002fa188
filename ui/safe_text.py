"""Text from data is always text (no Streamlit here; pure string functions).

Every string that comes from the warehouse or an upload — instansi names, predikat, kategori,
provinsi, source and file names — goes through one of these before it is shown:

- `md(text)` for anything Streamlit renders as markdown: st.markdown/caption/info/warning/error/
  success, titles and subheaders, and the labels and `help` tooltips of metrics, tabs, expanders,
  buttons and toggles. Markdown punctuation is backslash-escaped (no link, image, emphasis, list,
  heading, table, LaTeX `$…$` or `:color[…]`), `& < >` become entities (no HTML), and line breaks
  become spaces (a name cannot start a new block).
- `plot(text)` for plotly text (titles, trace names, hover templates and the values substituted into
  them, tick labels, annotations, legend titles): plotly.js draws a subset of HTML (`<a href>`, `<b>`,
  `<br>`, `<span style>`) and substitutes `%{…}` in templates; `& < > " ' % $` become numeric or named
  entities that plotly.js decodes back to the same characters, drawn as plain text.

Plain-text widgets (selectbox/multiselect options, st.dataframe cells, st.code, download file names)
need neither: escaping them would show the backslashes.
"""
from __future__ import annotations

import re

import pandas as pd

# ASCII punctuation CommonMark lets a backslash escape, minus the three that become entities
_MD_PUNCT = re.compile(r"([!\"#$%'()*+,\-./:;=?@\[\\\]^_`{|}~])")
_BREAKS = re.compile(r"[\r\n\t\v\f\u0085\u2028\u2029]+")
_PLOT = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;", "%": "&#37;", "$": "&#36;"}
_PLOT_RE = re.compile("[" + re.escape("".join(_PLOT)) + "]")


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value


def md(value, missing: str = "—") -> str:
    """`value` as literal text inside Streamlit markdown (None/NaN → `missing`, itself escaped)."""
    text = missing if _missing(value) else str(value)
    text = _BREAKS.sub(" ", text)
    text = _MD_PUNCT.sub(r"\\\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plot(value, missing: str = "—") -> str:
    """`value` as literal text inside any plotly text field (None/NaN → `missing`)."""
    text = missing if _missing(value) else str(value)
    return _PLOT_RE.sub(lambda m: _PLOT[m.group(0)], _BREAKS.sub(" ", text))


def plot_list(values) -> list:
    """Plotly-escaped copy of a sequence of data values (strings escaped; numbers and None kept)."""
    return [plot(v) if isinstance(v, str) else v for v in values]
