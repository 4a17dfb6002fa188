"""Widgets shared by pages: page bootstrap, global filters, notices, empty states, badges."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from rendering import theme
from rendering.format import num
from rendering.safe_text import md, plot
from ui import data, figure_cache, phone, picker, public, session_data, state

SYNTHETIC_NOTICE = (
    "**DATA SINTETIS** — angka per instansi pada tampilan ini dibangkitkan kode untuk demo "
    "(dikalibrasi ke rata-rata resmi KemenPANRB), bukan hasil evaluasi sebenarnya. "
    "Garis/angka berlabel *resmi* adalah angka publikasi KemenPANRB."
)


@dataclass
class PageContext:
    years: list[int]
    year: int
    instansi_id: str | None
    synthetic: bool              # any synthetic row in the selected year
    _instansi: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def instansi(self) -> pd.DataFrame:
        """The instansi_list query, read on first use: a page that does not need it no longer unpickles its
        6 400 rows (at 10×) on every rerun (9 % of a profile rerun, issue 14)."""
        if self._instansi is None:
            self._instansi = data.run("instansi_list")
        return self._instansi


def instansi_label(row) -> str:
    code = f" · {row.kode_wilayah}" if isinstance(row.kode_wilayah, str) and row.kode_wilayah else ""
    return f"{row.nama}{code} · {row.kategori_ringkas}"


def empty_state(title: str, why: str, todo: str) -> None:
    """A notice with what is missing, why and what to do. The texts are markdown written by our
    code: any data-derived part of them must already be escaped with `ui.safe_text.md`."""
    st.info(f"**{title}**\n\n{why}\n\n**Yang bisa dilakukan:** {todo}", icon=":material/info:")


def _leave_folder_multipage_mode() -> None:
    """Streamlit starts a server in its legacy `pages/`-folder mode until some session runs
    app.py (which calls st.navigation). A first visit straight to /<page> would then run the page
    file alone — no sidebar filters, wrong navigation. Switch the process to st.navigation mode
    and rerun: the rerun executes app.py, which routes to the requested page."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def bootstrap(title: str, caption: str | None = None) -> PageContext:
    """Common page start: title, data check (else an empty state and stop), global state."""
    _leave_folder_multipage_mode()
    theme.register()
    st.title(title)
    if caption:
        st.caption(caption)
    if data.current() is None:
        empty_state(
            "Gudang data belum tersedia",
            "Belum ada snapshot data yang dipublikasikan di lokasi gudang data.",
            "jalankan `make run` (membangun gudang data dari hasil resmi) atau `python -m etl official`, "
            "atau impor berkas dengan `python -m etl import BERKAS`.",
        )
        st.stop()
    all_years, synthetic_years = data.years()   # made once per snapshot, not unpickled and filtered per rerun
    years = list(all_years)
    state.init(years, picker.ids())  # cached per snapshot: set(column) iterated 6 400 Arrow strings per rerun
    year = state.year()
    synthetic = year in synthetic_years
    if synthetic:
        st.warning(SYNTHETIC_NOTICE, icon=":material/science:")
    session_notice()
    return PageContext(years=years, year=year, instansi_id=state.instansi(), synthetic=synthetic)


def session_notice() -> None:
    """On every page while this session holds uploads: which instansi-years come from them, labelled
    (ui/session_data.py)."""
    if session_data.covered():
        st.info(f"**Data unggahan sesi ini dipakai sebagai data instansinya:** {md(session_data.summary())}. "
                "Rata-rata dan peringkat yang dihitung ulang ikut memakainya; gudang data terbit tidak berubah dan "
                "pengguna lain tidak melihatnya.", icon=":material/upload_file:")


def global_filters() -> None:
    """Sidebar: year and instansi under study (persist across pages and in the URL)."""
    if data.current() is None:
        return
    years = list(data.years()[0])
    state.init(years, picker.ids())
    with st.sidebar:
        st.markdown("### Filter global")
        # the widgets show the global state, whoever changed it last (the profile's search, a page's
        # button, a link): their keys are set from it before they are drawn, never the other way round
        state.sync_widget("w_tahun", state.year(), years)
        st.selectbox("Tahun evaluasi", options=years, key="w_tahun", format_func=str,
                     on_change=lambda: state.set_year(st.session_state["w_tahun"]))
        picker.sidebar_instansi()  # type-ahead + short list, never all instansi per rerun (issue 14)
        st.caption("Filter ini berlaku di semua halaman dan tersimpan di URL.")
        if public.enabled():  # a visitor never flushes the caches every user shares (ui/public.py)
            st.caption("Data mengikuti snapshot terbit terbaru dengan sendirinya: snapshot baru terbaca pada "
                       "klik berikutnya.")
        elif st.button("Muat ulang data", icon=":material/refresh:", help="Ambil snapshot data terbaru "
                       "(mengosongkan cache kueri untuk semua sesi di server ini)"):
            data.reload()
            st.rerun()


def predikat_badge(predikat: str | None, computed: str | None = None) -> None:
    """The predikat as a coloured badge. Only a band name of the instruments (theme.PREDIKAT_COLORS,
    constants of our code) is ever put into the badge's HTML; any other text from the data is shown
    escaped, as text, beside the band `computed` from the index (when given), never as a predikat."""
    if not predikat or (isinstance(predikat, float) and predikat != predikat):
        st.markdown("Predikat: —")
        return
    band = predikat if predikat in theme.PREDIKAT_COLORS else computed if computed in theme.PREDIKAT_COLORS else None
    if band is not None:
        st.markdown(
            f"<span style='background:{theme.PREDIKAT_COLORS[band]};color:#fff;padding:0.2rem 0.7rem;"
            f"border-radius:1rem;font-weight:600'>{band}</span>", unsafe_allow_html=True)
    if band != predikat:
        st.caption(f"Predikat di sumber data “{md(predikat)}” bukan predikat instrumen"
                   + ("; yang tampil adalah predikat menurut indeks." if band else "."))


def metric(label: str, value, delta=None, help: str | None = None, decimals: int = 2) -> None:
    st.metric(label, num(value, decimals) if not isinstance(value, str) else value,
              delta=None if delta is None else (delta if isinstance(delta, str) else num(delta, decimals)),
              help=help)


def show_chart(fig, name: str, *, tahun=None, synthetic: bool = False, source: str | None = None,
               key: str | None = None, cache: tuple | None = None) -> None:
    """Draw a chart with its source footnote (+ DATA SINTETIS mark) and its download controls.
    `source` is text (it may name an uploaded file): it is escaped here for plotly. With `cache` (the
    parameters that determine the figure besides the snapshot), `fig` is a function building it: it
    is built, decorated and serialised once per (snapshot, name, cache) (ui/figure_cache.py)."""
    from rendering.export import decorate, figure_year, source_line

    if source is None and session_data.covered():  # the chart may show this session's uploads: say so
        source = source_line(tahun, synthetic=synthetic) + " · termasuk " + session_data.short_summary()
    source = plot(source) if source else source_line(tahun, synthetic=synthetic)

    def decorated(f):
        meta = f.layout.meta  # read in place: fig.to_dict()/to_plotly_json() deep-copy the whole figure
        return f if isinstance(meta, dict) and meta.get("decorated") else decorate(f, source=source, synthetic=synthetic)

    ready = None
    if cache is not None:
        ready = figure_cache.chart((figure_cache.scope(), name, cache, source, synthetic), fig, decorated, figure_year)
        fig = ready.fig
    else:
        fig = decorated(fig)
    meta = fig.layout.meta
    config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": name, "scale": 3}}
    st.plotly_chart(phone.phone_layout(fig) if phone.on_phone() else fig, theme=None, config=config, key=key or f"chart_{name}")
    try:
        from ui import downloads
    except ImportError:  # export controls not installed in this build
        return
    downloads.chart_download_controls(fig, name, key=key or f"dl_{name}",
                                      tahun=ready.tahun if ready else figure_year({"layout": {"meta": meta}}),
                                      spec=ready.spec if ready else None, digest=ready.digest if ready else None)


def show_table(df: pd.DataFrame, name: str, *, display: pd.DataFrame | None = None, synthetic: bool = False,
               key: str | None = None, **dataframe_kwargs) -> None:
    """Show a table (optionally a formatted display copy) with CSV/XLSX downloads of the raw numbers."""
    st.dataframe(display if display is not None else df, hide_index=True, **dataframe_kwargs)
    try:
        from ui import downloads
    except ImportError:
        return
    downloads.table_download_controls(df, name, synthetic=synthetic, key=key or f"tbl_{name}")
