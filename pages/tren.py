"""Tren: the index of the instansi under study (+ optional others) from 2018 to the latest year
against the official national line and its recomputed category mean; domain/aspect series per
instrument period (never joined across an instrument break)."""
import streamlit as st

from rendering import charts
from rendering.format import format_frame
from rendering.safe_text import md
from ui import data, picker, state, trend_view, widgets

ctx = widgets.bootstrap("Tren", "Indeks SPBE dari tahun ke tahun, dengan pita predikat dan penanda pergantian instrumen.")
registry = data.registry()
iid = state.instansi()
if iid not in picker.ids():  # cached per snapshot (read only)
    widgets.empty_state("Instansi belum dipilih", "Tidak ada instansi terpilih yang memiliki nilai di gudang data.",
                        "pilih instansi yang dikaji di filter global (sidebar).")
    st.stop()
me = trend_view.instansi(iid)  # its row, looked up once per snapshot (not among 6 400 rows per rerun)

# every control of this page is in the URL (?tren_pembanding=a,b&tren_kategori=0&tren_rincian=aspek): a link restores the view
ON_OFF, JENIS = {"1": True, "0": False}, {"domain": "domain", "aspek": "aspek"}


@st.fragment
def index_section() -> None:
    """Comparators, category line and the index chart + table: a change here (or typing in the search)
    reruns only this fragment, not the page (issue 14)."""
    state.url_list("tr_lain", "tren_pembanding", picker.ids() - {iid}, 3)
    state.url_choice("tr_kategori", "tren_kategori", ON_OFF, "1")
    c0, c1, c2 = st.columns([2, 3, 1], vertical_alignment="bottom")
    with c1:   # type-ahead: the list holds the chosen + matches of the search, never all instansi (ui/picker.py)
        others = picker.multi_instansi("Tambahkan instansi lain (opsional, maks. 3)", "tr_lain", limit=3,
                                       exclude={iid}, search_in=c0)
    show_category = c2.toggle(f"Rata-rata {md(me['kategori_ringkas'])}", key="tr_kategori",
                              help="Rata-rata indeks kategori instansi yang dikaji, dihitung ulang dari data instansi.")
    state.mirror_choice("tr_kategori", "tren_kategori", ON_OFF, "1")
    ids = [iid] + others

    # series in the comparators' order, category means, own gaps: built once per (snapshot, choices), read only
    view = trend_view.index(tuple(ids), me["kategori_ringkas"] if show_category else None, tuple(ctx.years))
    trend, category = view.trend, view.category
    widgets.show_chart(lambda: charts.index_trend(trend.copy(), ctx.years, registry, national=data.run("national_trend"),
                                                  category=None if category is None else category.copy(),
                                                  category_name=me["kategori_ringkas"], highlight_year=ctx.year),
                       f"tren_{iid}", tahun=f"{min(ctx.years)}–{max(ctx.years)}", synthetic=ctx.synthetic, key="chart_tren",
                       cache=(tuple(ids), show_category, ctx.year))   # built once per (snapshot, these): ui/figure_cache.py

    if view.gaps:
        st.caption(f"{md(me['nama'])} tidak memiliki nilai pada {', '.join(map(str, view.gaps))}: tampil sebagai celah, "
                   "bukan 0.")
    st.caption("Pita warna = rentang predikat instrumen. Garis hitam = indeks nasional resmi KemenPANRB; garis putus-putus "
               "merah muda = rata-rata kategori dihitung ulang. Lonjakan 2022→2023 sebagian karena perubahan cara penilaian "
               "indikator 45–47 (pedoman 2023).")
    if not trend.empty:
        # built only while open (opening it reruns this fragment): a collapsed expander's body still runs
        table = st.expander("Tabel indeks per tahun", key="tr_tabel", on_change="rerun")
        if table.open:
            with table:
                wide = trend.pivot_table(index="nama", columns="tahun", values="indeks", sort=False).reindex(columns=ctx.years)
                wide.columns = [str(c) for c in wide.columns]
                widgets.show_table(trend[["instansi_id", "nama", "tahun", "instrument_id", "indeks", "predikat"]],
                                   f"tren_{iid}_tabel", display=format_frame(wide.reset_index()), synthetic=ctx.synthetic)


index_section()

# --- domain / aspect series per instrument period --------------------------------------------
st.subheader(f"Domain dan aspek — {md(me['nama'])}")


@st.fragment
def component_section() -> None:
    """Domain/aspek switch and its chart: switching reruns only this fragment."""
    state.url_choice("tr_jenis", "tren_rincian", JENIS, "domain")
    jenis = st.segmented_control("Rincian", ["domain", "aspek"], key="tr_jenis", format_func=str.capitalize) or "domain"
    state.mirror_choice("tr_jenis", "tren_rincian", JENIS, "domain")
    part = trend_view.components(iid, jenis).part   # filtered once per (snapshot, instansi, jenis), read only
    if part.empty:
        widgets.empty_state(f"Tidak ada nilai {jenis}",
                            f"Data {md(me['nama'])} tidak memuat nilai {jenis} (tabel publikasi hanya memuat domain; "
                            "aspek butuh level indikator dari LHE).",
                            "pilih 'Domain', atau impor LHE instansi ini (`python -m etl import BERKAS`).")
    else:
        widgets.show_chart(lambda: charts.component_trend(part.copy(), ctx.years, registry, jenis=jenis,
                                                          title=f"Nilai {jenis} {me['nama']} per periode instrumen "
                                                                "(tidak disambung antar-instrumen)"),
                           f"tren_{jenis}_{iid}", tahun=f"{min(ctx.years)}–{max(ctx.years)}", synthetic=ctx.synthetic,
                           key="chart_komponen", cache=(iid, jenis))
        st.caption("Setiap instrumen punya struktur domain/aspek sendiri, jadi seri tidak disambung melewati pergantian "
                   "instrumen; label yang sama (mis. Kebijakan) diberi warna sama bila memungkinkan.")


component_section()
