"""Charts on a phone (390 px screens, issue 13 item 5): plotly does not wrap titles, legends or
annotations, and the server cannot see the screen width — so a phone browser ('Mobi' in its
User-Agent, the usual test) gets the chart laid out for PHONE_CHART_WIDTH px. Downloads keep the
full layout."""
from __future__ import annotations

import textwrap

import streamlit as st

PHONE_CHART_WIDTH = 340   # px a chart gets on a 390 px phone (Streamlit's side padding taken off)
NOTE_LINE_PX = 14         # one line of the 11 px source note
ANNOTATION_CHARS = 22     # other annotations (instrument break, panel titles) wrap at this many characters


def on_phone() -> bool:
    try:
        return "Mobi" in (st.context.headers.get("User-Agent") or "")
    except Exception:  # noqa: BLE001 — no request context (AppTest, bare mode)
        return False


def _lines(text) -> int:
    return str(text or "").count("<br>") + 1


def _wrap(text: str, chars: int = ANNOTATION_CHARS) -> str:
    return "<br>".join(textwrap.wrap(text, chars, break_long_words=False)) or text


def _wrap_category_labels(fig) -> int:
    """Long category labels on the y axis (horizontal bars: indicator names) over two or three
    lines, with a left margin for the longest line instead of the longest label; returns the px
    added to the height (each extra line of a label gets its own room)."""
    wrapped = False
    for t in fig.data:
        ys = getattr(t, "y", None)
        if ys is not None and len(ys) and all(isinstance(y, str) for y in ys) and any(len(y) > ANNOTATION_CHARS for y in ys):
            t.y = [_wrap(y) for y in ys]
            wrapped = True
    if not wrapped:
        return 0
    axis = fig.layout.yaxis
    if axis.categoryarray is not None:
        axis.categoryarray = [_wrap(str(c)) for c in axis.categoryarray]
    longest = max(len(line) for t in fig.data for y in (getattr(t, "y", None) or []) if isinstance(y, str)
                  for line in y.split("<br>"))
    left = int(6.8 * longest) + 16
    fig.update_layout(margin={"l": left})
    for ann in fig.layout.annotations:
        if ann.name == "sumber":  # paper-anchored at the plot's left edge: back to the canvas edge
            ann.xshift = 12 - left
    extra_lines = sum(y.count("<br>") for y in dict.fromkeys(y for t in fig.data for y in (getattr(t, "y", None) or [])
                                                             if isinstance(y, str)))
    added = 16 * extra_lines
    return added


def phone_layout(fig):
    """The document layout of rendering.export_document at PHONE_CHART_WIDTH (titles wrapped,
    source re-wrapped, legend rows added), plus: room under the plot for the source's extra
    lines (the note keeps its place, the canvas grows under it), other annotations wrapped, and a
    radar narrowed so its axis labels stay inside."""
    from rendering.export_document import document_figure

    before = {a.name: _lines(a.text) for a in fig.layout.annotations if a.name == "sumber"}
    out, _, height = document_figure(fig, width=PHONE_CHART_WIDTH)
    extra = 0
    for ann in out.layout.annotations:
        if ann.name == "sumber":
            extra = NOTE_LINE_PX * max(_lines(ann.text) - before.get("sumber", 1), 0)
        elif ann.name != "sintetis" and ann.text and "<br>" not in ann.text and len(ann.text) > ANNOTATION_CHARS:
            ann.text = "<br>".join(textwrap.wrap(ann.text, ANNOTATION_CHARS, break_long_words=False))
    if extra:
        bottom = out.layout.margin.b if out.layout.margin and out.layout.margin.b is not None else 60
        out.update_layout(margin={"b": bottom + extra})
        legend = out.layout.legend
        if legend is not None and legend.yref == "container" and legend.y is not None:
            legend.y = 1 - (1 - legend.y) * height / (height + extra)   # same px from the top: clear of the note
        height += extra
    height += _wrap_category_labels(out)
    for axis in (out.layout.xaxis, out.layout.yaxis):
        text = axis.title.text if axis.title else None
        if text and "<br>" not in text and len(text) > ANNOTATION_CHARS + 6:
            axis.title.text = _wrap(text, ANNOTATION_CHARS + 6)
    if any(getattr(t, "type", "") == "scatterpolar" for t in out.data):
        out.update_polars(domain={"x": [0.16, 0.84]})
    out.update_layout(height=height)
    return out
