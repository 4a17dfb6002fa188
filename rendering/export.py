"""Export-ready figures (pure plotly + kaleido, no Streamlit).

`decorate` is applied to every chart before it is shown, so the on-screen chart, plotly's own
modebar download and the server-side exports all carry the same source line and mark.

`figure_bytes` renders PNG/SVG/PDF on the server with kaleido and the system (Debian) chromium.
One export browser per process is started lazily and shared by every session: a `kaleido.Kaleido`
kept open on its own event-loop thread. That is what `kaleido.start_sync_server()` does too, but
kaleido's global server matches requests to results through one shared queue (results can cross
between concurrent callers) and waits forever if its thread has died; here each request gets
its own future with a timeout, start/restart is guarded by a lock, and a request that fails on
the shared browser is retried once with a fresh one-shot kaleido call (and the shared browser is
restarted on the next request).

Tables (CSV/XLSX) are written by rendering/export_tables.py.
"""
from __future__ import annotations

import asyncio
import atexit
import logging
import re
import threading

import plotly.graph_objects as go

SYNTHETIC_MARK = "DATA SINTETIS"
FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
RENDER_TIMEOUT_S = 60
START_TIMEOUT_S = 60
EXPORT_TABS = 2  # concurrent renders on the shared browser (each tab renders one figure at a time)

_log = logging.getLogger(__name__)


def source_line(tahun: int | str | None = None, *, synthetic: bool = False, extra: str = "") -> str:
    """'Sumber: KemenPANRB, Evaluasi SPBE 2024; diolah' (+ synthetic disclaimer)."""
    base = f"Sumber: KemenPANRB, Evaluasi SPBE {tahun}; diolah" if tahun else "Sumber: KemenPANRB, Evaluasi SPBE; diolah"
    if synthetic:
        base += " — angka per instansi SINTETIS (data demo), bukan hasil evaluasi"
    return base + (f". {extra}" if extra else "")


def is_decorated(fig: go.Figure | dict) -> bool:
    meta = (fig.get("layout", {}) if isinstance(fig, dict) else fig.to_plotly_json().get("layout", {})).get("meta")
    return isinstance(meta, dict) and bool(meta.get("decorated"))


def wrap_footnote(text: str, width: int = 80) -> str:
    """Break a long source line into lines of at most ~`width` characters (plotly does not wrap)."""
    import textwrap

    return "<br>".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


TITLE_WIDTH = 56  # characters per title line: fits a half-width column on a 1440 px screen (≈59 did) and a 16 cm page


def wrap_words(text: str, width: int) -> list[str]:
    """Lines of at most ~`width` characters, broken between words and never inside '(…)' (so
    '(PermenPANRB 59/2020)' stays whole)."""
    import textwrap

    keep = re.sub(r"\([^()]*\)", lambda m: m.group(0).replace(" ", "\u00a0"), text)
    return [line.replace("\u00a0", " ") for line in textwrap.wrap(keep, width=width, break_long_words=False)] or [text]


def wrap_title(fig: go.Figure, width: int = TITLE_WIDTH) -> None:
    """Break a long one-line title over lines (plotly cuts it at the figure's edge) and give the
    extra lines room above the plot."""
    text = fig.layout.title.text if fig.layout.title else None
    if not text or "<br>" in text or len(text) <= width:
        return
    lines = wrap_words(text, width)
    top = (fig.layout.margin.t if fig.layout.margin and fig.layout.margin.t is not None else 70)
    fig.update_layout(title_text="<br>".join(lines), margin={"t": top + 20 * (len(lines) - 1)})


def decorate(fig: go.Figure, *, source: str, synthetic: bool) -> go.Figure:
    """Copy of `fig` with the source footnote under the plot, a long title wrapped and, for demo
    data, a visible mark."""
    out = go.Figure(fig.to_dict())  # to_dict() is already a deep copy: no second one
    if out.layout.meta and isinstance(out.layout.meta, dict) and out.layout.meta.get("decorated"):
        return out
    wrap_title(out)
    bottom = (out.layout.margin.b or 60) if out.layout.margin else 60
    text = wrap_footnote(source)
    extra = 13 * text.count("<br>")  # each wrapped line needs room under the plot
    out.update_layout(margin={"b": max(bottom, 90) + extra})
    legend = out.layout.legend
    if extra and legend.yref == "container" and legend.y is not None:  # a legend pinned above the footnote moves up with it
        out.update_layout(legend_y=min(1.0, legend.y + extra / (out.layout.height or 450)))
    out.add_annotation(text=text, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
                       yshift=-(max(bottom, 90) - 22), showarrow=False, font={"size": 10, "color": "#52606d"},
                       align="left", name="sumber")
    if synthetic:
        out.add_annotation(text=SYNTHETIC_MARK, xref="paper", yref="paper", x=1, y=1.02, xanchor="right",
                           yanchor="bottom", showarrow=False, name="sintetis",
                           font={"size": 12, "color": "#D55E00", "family": "DejaVu Sans, Arial"},
                           bordercolor="#D55E00", borderwidth=1, borderpad=3)
    out.update_layout(meta={"decorated": True, "synthetic": synthetic, "source": source})
    return out


def figure_year(fig: go.Figure | dict) -> int | None:
    """The evaluation year named in a decorated figure's source line, if any."""
    layout = fig.get("layout", {}) if isinstance(fig, dict) else fig.to_plotly_json().get("layout", {})
    meta = layout.get("meta")
    m = re.search(r"Evaluasi SPBE (\d{4})", meta.get("source", "")) if isinstance(meta, dict) else None
    return int(m.group(1)) if m else None


def file_stem(name: str, tahun: int | str | None = None) -> str:
    """'Profil aspek', 2024 → 'profil_aspek_2024' (safe for every OS; year not repeated)."""
    stem = re.sub(r"[^0-9A-Za-z]+", "_", str(name)).strip("_").lower() or "unduhan"
    if tahun is not None and not re.search(rf"(^|_){tahun}(_|$)", stem):
        stem = f"{stem}_{tahun}"
    return stem


# --- figures: one shared export browser -----------------------------------------------------
class ExportError(RuntimeError):
    """A figure could not be rendered (no chromium, browser crash, timeout)."""


class _ExportBrowser:
    """A kaleido browser kept open on a private event-loop thread, shared by all callers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None
        self.starts = 0
        atexit.register(self.stop)

    def _alive(self) -> bool:
        return self._kaleido is not None and self._thread is not None and self._thread.is_alive()

    def _ensure(self):
        with self._lock:
            if self._alive():
                return self._kaleido, self._loop
            self._stop_locked()
            import kaleido

            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="kaleido-export", daemon=True)
            thread.start()

            async def open_browser():
                k = kaleido.Kaleido(n=EXPORT_TABS, timeout=RENDER_TIMEOUT_S, mathjax=False)
                await k.open()
                return k

            try:
                k = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(timeout=START_TIMEOUT_S)
            except BaseException:
                loop.call_soon_threadsafe(loop.stop)
                thread.join(timeout=5)
                raise
            self._loop, self._thread, self._kaleido = loop, thread, k
            self.starts += 1
            return k, loop

    def render(self, k, loop, fig_dict: dict, opts: dict) -> bytes:
        future = asyncio.run_coroutine_threadsafe(k.calc_fig(fig_dict, opts=opts), loop)
        try:
            return future.result(timeout=RENDER_TIMEOUT_S + 5)
        except BaseException:
            future.cancel()
            raise

    def _stop_locked(self) -> None:
        k, loop, thread = self._kaleido, self._loop, self._thread
        self._kaleido = self._loop = self._thread = None
        if loop is None:
            return
        if k is not None and thread is not None and thread.is_alive():
            try:
                asyncio.run_coroutine_threadsafe(k.close(), loop).result(timeout=10)
            except BaseException as exc:  # noqa: BLE001 - a dead browser may not close cleanly
                _log.debug("export browser close: %s", exc)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(timeout=5)

    def prewarm(self) -> None:
        """Start the browser in the background (no-op when it runs or is starting)."""
        if self._alive() or self._lock.locked():
            return

        def start():
            try:
                self._ensure()
            except Exception as exc:  # noqa: BLE001 - the next export reports it
                _log.warning("export browser could not start: %s", exc)

        threading.Thread(target=start, name="kaleido-prewarm", daemon=True).start()

    def pid(self) -> int | None:
        proc = getattr(self._kaleido, "subprocess", None)
        return proc.pid if proc is not None and self._alive() else None

    def stop(self) -> None:
        """Close the shared browser (it restarts on the next export)."""
        with self._lock:
            self._stop_locked()

    def discard(self, k) -> None:
        """Drop the browser that just failed (unless another caller already replaced it)."""
        with self._lock:
            if self._kaleido is k:
                self._stop_locked()


_BROWSER = _ExportBrowser()


def _oneshot(fig_dict: dict, opts: dict) -> bytes:
    """A fresh kaleido browser for one figure (the slow path, ~2–5 s)."""
    import kaleido

    box: dict = {}

    def run():
        try:
            box["data"] = asyncio.run(kaleido.calc_fig(fig_dict, opts=opts, kopts={"mathjax": False,
                                                                                  "timeout": RENDER_TIMEOUT_S}))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            box["error"] = exc

    t = threading.Thread(target=run, name="kaleido-oneshot", daemon=True)
    t.start()
    t.join(timeout=START_TIMEOUT_S + RENDER_TIMEOUT_S)
    if "data" in box:
        return box["data"]
    raise ExportError(f"ekspor grafik gagal: {box.get('error', 'waktu habis')}") from box.get("error")


_GENERIC_FONTS = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "math", "emoji"}


def css_font_family(family: str) -> str:
    """Quote every font name of a CSS font stack except generic families.

    'Source Sans 3, Arial, sans-serif' is invalid CSS (an unquoted name may not contain a token
    starting with a digit), so chromium drops the whole declaration and the export falls back to
    a serif font; '"Source Sans 3", "Arial", sans-serif' is valid.
    """
    names = []
    for name in (n.strip() for n in family.split(",")):
        if not name:
            continue
        if name.lower() in _GENERIC_FONTS or name[0] in "\"'":
            names.append(name)
        else:
            names.append('"' + name.replace('"', "") + '"')
    return ", ".join(names)


def _quote_fonts(node) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "family" and isinstance(value, str):
                node[key] = css_font_family(value)
            else:
                _quote_fonts(value)
    elif isinstance(node, list):
        for item in node:
            _quote_fonts(item)


DEFAULT_WIDTH, DEFAULT_HEIGHT = 1100, 650  # on-screen size; Word files: rendering.export_document


def figure_bytes(fig: go.Figure | dict, fmt: str = "png", *, scale: float = 3, width: int | None = None,
                 height: int | None = None, source: str | None = None, synthetic: bool = False) -> bytes:
    """Render a figure server-side as PNG (scale × width/height pixels), SVG or PDF.

    Size: the given width/height, else the figure's own layout width/height (chart factories size
    some charts to fit their legend), else 1100 × 650. A figure that is not decorated yet gets the
    source footnote (+ DATA SINTETIS mark) when `source` is given; an already decorated figure is
    exported as it is.
    """
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} tidak didukung; pilihan: {', '.join(FORMATS)}")
    if isinstance(fig, dict):
        fig = go.Figure(fig)
    if source is not None and not is_decorated(fig):
        fig = decorate(fig, source=source, synthetic=synthetic)
    fig_dict = fig.to_plotly_json()  # a deep copy already (plotly's to_dict)
    _quote_fonts(fig_dict)
    width = width or fig.layout.width or DEFAULT_WIDTH
    height = height or fig.layout.height or DEFAULT_HEIGHT
    opts = {"format": fmt, "width": int(width), "height": int(height), "scale": scale}
    k = None
    try:
        k, loop = _BROWSER._ensure()
        return _BROWSER.render(k, loop, fig_dict, opts)
    except Exception as exc:  # noqa: BLE001 - retried once on a fresh browser below
        _log.warning("export browser failed (%s: %s); retrying with a fresh kaleido", type(exc).__name__, exc)
        proc = getattr(k, "subprocess", None)
        if k is not None and (isinstance(exc, TimeoutError) or proc is None or proc.poll() is not None):
            _BROWSER.discard(k)  # dead or hung: the next export starts a new shared browser
    return _oneshot(fig_dict, opts)


def stop_export_browser() -> None:
    """Close the shared export browser (it starts again on the next export)."""
    _BROWSER.stop()


def prewarm_export_browser() -> None:
    """Start the shared export browser in the background so the first download is fast."""
    _BROWSER.prewarm()


def export_browser_pid() -> int | None:
    """Process id of the shared export browser (diagnostics and the crash-recovery test)."""
    return _BROWSER.pid()
