"""Chart files for a Word document (pure plotly; rendered by rendering.export.figure_bytes)."""
from __future__ import annotations

import re

import plotly.graph_objects as go

from rendering.export import DEFAULT_WIDTH, figure_bytes, wrap_words

# A chart goes into a Word document at 16 cm (A4 text width with 2,5 cm margins). The factories
# lay charts out for the screen (13 px text, legends and margins sized in px for that text), so the
# file keeps that layout and only the canvas gets narrower: 720 layout px wide, rendered at
# scale 1600/720 → a 1600 px PNG (16 cm at 254 dpi). At 16 cm one layout px is 0,63 pt: body text
# 13 px ≈ 8,2 pt (29 px in the PNG), titles 16 px ≈ 10 pt, the smallest text (source line,
# band labels) 11 px ≈ 6,9 pt. A radar (polar chart) is square: 720 × 720 → 1600 × 1600 px.
DOC_WIDTH_CM = 16
DOC_PIXELS = 1600
DOC_LAYOUT_WIDTH = 720
DOC_SCALE = DOC_PIXELS / DOC_LAYOUT_WIDTH
DOC_MIN_FONT = 11
DOC_DEFAULT_HEIGHT = 480
_TITLE_CHAR = 0.6          # mean character width of a title, in units of its font size
_MARK_WIDTH = 140          # px the DATA SINTETIS mark takes on the title line
_LEGEND_ROW = 21           # px per legend row at 13 px text
_CHAR = 6.8                # mean width of a character at 13 px (DejaVu/Arial), px
_NOTE_CHAR = 6.0           # the same at DOC_MIN_FONT (the source line)
_EDGE = 12                 # px between the canvas edge and the title / source line


def _plain(text) -> str:
    return re.sub(r"<[^>]+>", "", str(text))


def _horizontal_labels(fig: go.Figure) -> list[str]:
    """Category labels on a y axis (horizontal bars, dot rows): they decide the left margin."""
    out: list[str] = []
    for t in fig.data:
        ys = getattr(t, "y", None)
        if ys is not None and len(ys) and all(isinstance(y, str) for y in ys):
            out += [_plain(y) for y in ys]
    return out


def _place_text(fig: go.Figure, source: str | None, width: int) -> None:
    """Title and source line start `_EDGE` px from the left edge of the canvas (not the plot's),
    the source line re-wrapped to the canvas width; a left margin wide enough for the y labels
    is set up front, so plotly's automargin does not move the plot after the source is placed."""
    from rendering.export import wrap_footnote

    labels = _horizontal_labels(fig)
    left = fig.layout.margin.l if fig.layout.margin and fig.layout.margin.l is not None else 60
    if labels:
        left = max(left, int(_CHAR * max(len(y) for y in labels)) + 24)
        fig.update_layout(margin={"l": left})
    fig.update_layout(title={"xref": "container", "x": _EDGE / width, "xanchor": "left"})
    top = fig.layout.margin.t if fig.layout.margin and fig.layout.margin.t is not None else 70
    right = fig.layout.margin.r if fig.layout.margin and fig.layout.margin.r is not None else 30
    for ann in fig.layout.annotations:
        if ann.name == "sumber" and source:
            ann.text = wrap_footnote(source, width=int((width - 2 * _EDGE) / _NOTE_CHAR))
            ann.xshift = _EDGE - left
        elif ann.name == "sintetis":  # on the title line, clear of labels drawn just above the plot
            ann.update(x=1, xanchor="right", xshift=max(right - _EDGE, 0), y=1, yanchor="bottom",
                       yshift=max(top - 44, 0))


def _is_polar(fig: go.Figure) -> bool:
    return any(getattr(t, "type", "") in ("scatterpolar", "barpolar", "scatterpolargl") for t in fig.data)


def _wrap_title(fig: go.Figure, chars: int = 70) -> int:
    """Break a long title over lines (plotly does not wrap); returns the lines added."""
    text = fig.layout.title.text if fig.layout.title and fig.layout.title.text else ""
    before = text.split("<br>")  # a title already wrapped for the screen (rendering.export) is re-wrapped
    if not text or all(len(line) <= chars for line in before):
        return 0
    lines = wrap_words(" ".join(before), chars)
    fig.update_layout(title_text="<br>".join(lines))
    return max(len(lines) - len(before), 0)


def _legend_rows(fig: go.Figure, width: float, char: float = _CHAR) -> int:
    """Rows a horizontal legend needs in `width` px: one row when every item fits, else plotly's
    grid of equal columns (the widest item; ≈ 40 px + `_CHAR` per character each)."""
    items = [40 + char * len(_plain(t.name)) for t in fig.data if t.name and t.showlegend is not False]
    if not items:
        return 0
    if sum(items) <= width:
        return 1
    cols = max(1, int(width // max(items)))
    return -(-len(items) // cols)


def _bigger_fonts(fig: go.Figure) -> None:
    for ann in fig.layout.annotations:
        if ann.font is not None and ann.font.size is not None and ann.font.size < DOC_MIN_FONT:
            ann.font.size = DOC_MIN_FONT


def _push_bottom(fig: go.Figure, extra: float, height: float) -> float:
    """Add `extra` px under the plot (height grows with it): the source line moves down and a
    legend pinned in container coordinates keeps its distance from the bottom edge."""
    if extra <= 0:
        return height
    new_height = height + extra
    bottom = (fig.layout.margin.b if fig.layout.margin and fig.layout.margin.b is not None else 60) + extra
    fig.update_layout(margin={"b": bottom})
    for ann in fig.layout.annotations:
        if ann.name == "sumber":
            ann.yshift = (ann.yshift or 0) - extra
    _keep_legend_offset(fig, height, new_height)
    return new_height


def _keep_legend_offset(fig: go.Figure, height: float, new_height: float) -> None:
    """A legend pinned in container coordinates stays the same px from the bottom edge."""
    legend = fig.layout.legend
    if legend is not None and legend.yref == "container" and legend.y is not None:
        legend.y = legend.y * height / new_height


def document_figure(fig: go.Figure | dict, *, width: int = DOC_LAYOUT_WIDTH,
                    font: int | None = None) -> tuple[go.Figure, int, int]:
    """A copy of `fig` laid out for a Word page 16 cm wide, with its layout width and height
    (render at scale DOC_SCALE). Titles wrap, small text grows to DOC_MIN_FONT, a horizontal
    legend that needs more rows in the narrower canvas gets them (not cut, not over the axis),
    and a radar is square."""
    out = go.Figure(fig if isinstance(fig, dict) else fig.to_dict())
    if font:  # a file placed smaller than 16 cm (the brief) gets larger text instead of a smaller canvas
        out.update_layout(font={"size": font}, title={"font": {"size": font + 3}})
    height = float(out.layout.height or DOC_DEFAULT_HEIGHT)
    _bigger_fonts(out)
    meta = out.layout.meta if isinstance(out.layout.meta, dict) else {}
    _place_text(out, meta.get("source"), width)
    title_px = out.layout.title.font.size if out.layout.title and out.layout.title.font.size else 16
    room = width - 2 * _EDGE - (_MARK_WIDTH if meta.get("synthetic") else 0)
    added = _wrap_title(out, int(room / (_TITLE_CHAR * title_px)))  # 720 px, 16 px: 72 characters
    if added:
        top = (out.layout.margin.t if out.layout.margin and out.layout.margin.t is not None else 70) + 20 * added
        out.update_layout(margin={"t": top})
        _keep_legend_offset(out, height, height + 20 * added)
        height += 20 * added
    grow = (font or 13) / 13
    legend = out.layout.legend
    if legend is None or legend.orientation != "v":
        left = out.layout.margin.l if out.layout.margin and out.layout.margin.l is not None else 60
        screen_w = float(fig.layout.width if not isinstance(fig, dict) and fig.layout.width else DEFAULT_WIDTH)
        rows = _legend_rows(out, width - left, _CHAR * grow)
        extra = _LEGEND_ROW * (rows * grow - _legend_rows(out, screen_w - left))
    else:  # one entry per row, each taller with larger text
        extra = _LEGEND_ROW * (grow - 1) * sum(1 for t in out.data if t.name and t.showlegend is not False)
    height = _push_bottom(out, max(extra, 0), height)
    if _is_polar(out):  # square: the plot area grows, the legend keeps its place above the source line
        side = max(width, height)
        _keep_legend_offset(out, height, side)
        width = height = side
    out.update_layout(width=None, height=None)
    return out, int(width), int(round(height))


def document_bytes(fig: go.Figure | dict, fmt: str = "png", *, width: int = DOC_LAYOUT_WIDTH,
                   font: int | None = None) -> bytes:
    """`figure_bytes` of `document_figure(fig)`: the file for a Word document, DOC_PIXELS wide
    (a radar: DOC_PIXELS square)."""
    doc, w, h = document_figure(fig, width=width, font=font)
    return figure_bytes(doc, fmt, scale=DOC_PIXELS / width, width=w, height=h)
