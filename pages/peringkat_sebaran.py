"""Peringkat & sebaran: ranking table with filters, distribution per category, peer groups."""
import pandas as pd
import streamlit as st

from domain.warehouse_layout import KATEGORI_RINGKAS
from rendering import charts_distribution as charts
from rendering import format as fmt
from rendering.safe_text import md
from ui import chart_view, downloads, ranking_view, widgets

ctx = widgets.bootstrap(
    "Peringkat & sebaran",
    "Peringkat semua instansi pada tahun terpilih, sebaran indeks per kategori, dan instansi pembanding "
    "untuk instansi yang dikaji. Peringkat dihitung ulang dari nilai di gudang data.")

view = ranking_view.view(ctx.year)   # built once per (snapshot, year), read only (issue 14)
rank = view.rank
if rank.empty:
    widgets.empty_state(f"Belum ada nilai untuk {ctx.year}", "Tidak ada instansi bernilai pada tahun ini.",
                        "pilih tahun lain di filter global.")
    st.stop()
ins, target, bands, domain_cols, names = view.ins, view.target, view.bands, view.domain_cols, view.names


def url_multiselect(label: str, param: str, options: list[str], **kwargs) -> list[str]:
    """A multiselect whose value is kept in st.session_state and mirrored to the URL (?param=a,b)."""
    key = f"f_{param}"
    if key not in st.session_state:
        st.session_state[key] = [v for v in st.query_params.get(param, "").split(",") if v]
    st.session_state[key] = [v for v in st.session_state[key] if v in options]

    def sync():
        chosen = st.session_state[key]
        if chosen:
            st.query_params[param] = ",".join(chosen)
        elif param in st.query_params:
            del st.query_params[param]
    sync()
    return st.multiselect(label, options, key=key, on_change=sync, select_all=False, **kwargs)  # no English "Select all"


c1, c2, c3 = st.columns(3)
with c1:
    kategori = url_multiselect("Kategori", "kategori", view.kategori_opts, placeholder="Semua kategori")
with c2:
    provinsi = url_multiselect("Provinsi", "provinsi", view.provinsi_opts,
                               placeholder="Semua provinsi", help="Hanya pemerintah daerah yang berprovinsi.")
with c3:
    predikat = url_multiselect("Predikat", "predikat", view.predikat_opts, placeholder="Semua predikat")
sel = ranking_view.filtered(view, ctx.year, kategori, provinsi, predikat)   # once per filters, read only
shown = sel.shown
me = ranking_view.me(view, ctx.year, ctx.instansi_id)   # read only

st.subheader(f"Peringkat {ctx.year}")
mine = "" if me.empty else (f" {md(me['nama'].iloc[0])}: peringkat {fmt.integer(me['peringkat'].iloc[0])} nasional, "
                            f"{fmt.integer(me['peringkat_kategori'].iloc[0])} dalam kategori {md(me['kategori'].iloc[0])} "
                            "(bertanda ◆ di kolom pertama).")
st.caption(f"{fmt.integer(len(shown))} dari {fmt.integer(len(rank))} instansi. Klik judul kolom untuk mengurutkan. "
           "Peringkat = urutan nasional dan dalam kategori (semua instansi, bukan hanya yang tersaring)." + mine)
# id-ID text ("3,40" / "—": st.dataframe draws a missing number as "None"), formatted once per ranking; text of
# this shape sorts right for values 0–5. Ranks stay integers (sorted as numbers, no thousands separator).
# The page shows the top rows (+ the instansi under study) and a name search; every filtered row is one click
# away in the CSV/XLSX below. All 6 400 rows at 10× were 1,2 MB per rerun (issue 14).
ROWS = {"50 teratas": 50, "100 teratas": 100, "500 teratas": 500, "semua": None}  # 50 by default: a 12-row window, ~11 KB sent
t1, t2 = st.columns([2, 1], vertical_alignment="bottom")
cari = t1.text_input("Cari nama di tabel", key="f_cari_tabel", placeholder="mis. Serang")
limit = ROWS[t2.selectbox("Baris ditampilkan", list(ROWS), key="f_baris",
                          help="Tabel lengkap (semua baris tersaring) ada di unduhan CSV/XLSX di bawah tabel.")]
rows = ranking_view.table(view, ctx.year, ctx.instansi_id, kategori, provinsi, predikat, cari, limit)
if rows.cut:
    st.caption(f"Tampil {fmt.integer(rows.page_rows)} baris teratas (+ instansi yang dikaji) dari "
               f"{fmt.integer(len(shown))}; semua baris ada di unduhan CSV/XLSX.")
downloads.table_filters(f"peringkat_{ctx.year}", kategori=kategori, provinsi=provinsi, predikat=predikat)
widgets.show_table(sel.raw, f"peringkat_{ctx.year}", display=rows.display, synthetic=ctx.synthetic,
                   height=420, column_config={
                       "dikaji": st.column_config.TextColumn("", help="◆ = instansi yang dikaji", width="small"),
                       "Peringkat": st.column_config.NumberColumn(format="%d"),
                       "Peringkat kategori": st.column_config.NumberColumn(format="%d")})

flagged = sel.flagged
if flagged:
    st.caption(f"{fmt.integer(flagged)} baris bercatatan validasi (kolom *Catatan validasi*, mis. indeks yang tidak "
               "sesuai domainnya): dimuat dan ditampilkan seperti dipublikasikan, tidak diperbaiki.")

st.subheader("Sebaran per kategori")
# a box per category from its quartiles, not a point per instansi (415 KB per rerun at 10×, issue 14); built once
# per (snapshot, filters, instansi under study) and drawn from figure_cache afterwards (no frame hashed per rerun)
widgets.show_chart(chart_view.frozen(lambda: charts.box_by_category(shown[["instansi_id", "nama", "kategori", "indeks"]],
                                                  highlight_id=ctx.instansi_id, target=target, bands=bands,
                                                  index_name=ins.nama_indeks, category_order=KATEGORI_RINGKAS,
                                                  title=f"Sebaran {ins.nama_indeks} per kategori, {ctx.year}"),
                                     ctx.year, synthetic=ctx.synthetic),
                   "sebaran_kategori", tahun=ctx.year, synthetic=ctx.synthetic,
                   cache=(ctx.year, ctx.instansi_id, tuple(kategori), tuple(provinsi), tuple(predikat)))
st.caption("Kotak = separuh tengah instansi kategori itu (kuartil 1–3), garis tegas di dalamnya = median, garis "
           "titik-titik = rata-rata, garis tipis = nilai terendah sampai tertinggi, ◆ = instansi yang dikaji. Arahkan "
           "kursor ke baris kategori untuk jumlah instansi dan angkanya; nilai per instansi ada di tabel peringkat.")
if me.empty:
    st.caption(f"Instansi yang dikaji tidak dievaluasi pada {ctx.year} (tidak ada nilai, bukan nol).")
elif not rows.has_me:
    st.caption("Instansi yang dikaji tidak termasuk dalam filter saat ini, sehingga tidak ditandai.")

st.subheader("Pembanding")
if me.empty:
    widgets.empty_state("Tidak ada pembanding", f"Instansi yang dikaji tidak memiliki nilai pada {ctx.year}.",
                        "pilih tahun lain atau instansi lain di filter global.")
    st.stop()
PEER_MODES = {"wilayah": "Sekategori & seprovinsi", "mirip": "Profil domain paling mirip"}


@st.fragment
def peer_section(row: pd.Series, instansi_id: str, year: int, synthetic: bool) -> None:
    """The peer mode and the chart/table it drives: changing it reruns only this (issue 14), not the
    ranking table and the distribution. `row` is the instansi's ranking row (names in the titles)."""
    if "f_pembanding" not in st.session_state:
        st.session_state["f_pembanding"] = (st.query_params.get("pembanding") if st.query_params.get("pembanding")
                                            in PEER_MODES else "wilayah")
    mode = st.radio("Kelompok pembanding", list(PEER_MODES), format_func=PEER_MODES.get, horizontal=True,
                    key="f_pembanding", on_change=lambda: st.query_params.update(pembanding=st.session_state["f_pembanding"]))
    peers, display = ranking_view.peers(ranking_view.view(year), mode, year, instansi_id)   # once per mode, read only
    if mode == "wilayah":
        where = f"{row['kategori']} di {row['provinsi']}" if isinstance(row["provinsi"], str) else f"kategori {row['kategori']}"
        widgets.show_chart(chart_view.frozen(lambda: charts.peer_bars(peers, highlight_id=instansi_id, target=target, levels=ins.scale,
                                                    index_name=ins.nama_indeks,
                                                    title=f"Posisi {row['nama']} di antara {where}, {year}"),
                                               year, synthetic=synthetic),
                           "pembanding_wilayah", tahun=year, synthetic=synthetic, cache=(year, instansi_id))
        if len(peers) == 1:
            st.caption("Instansi ini satu-satunya di kelompoknya; pilih *Profil domain paling mirip* untuk pembanding lain.")
        return
    widgets.show_chart(chart_view.frozen(lambda: charts.peer_domain_dots(peers, domain_labels=domain_cols, highlight_id=instansi_id,
                                                       levels=ins.scale,
                                                       title=f"Profil domain paling mirip dengan {row['nama']}, {year}"),
                                          year, synthetic=synthetic),
                       "pembanding_mirip", tahun=year, synthetic=synthetic, cache=(year, instansi_id))
    widgets.show_table(peers[["nama", "kategori", "provinsi", "indeks", "predikat", *domain_cols, "jarak"]],
                       "pembanding_mirip", synthetic=synthetic, display=display)
    st.caption("Kemiripan = jarak Euclid antar nilai domain pada tahun yang sama (dihitung di DuckDB), semua kategori, "
               "atas domain yang bernilai pada instansi yang dikaji.")


peer_section(me.iloc[0], ctx.instansi_id, ctx.year, ctx.synthetic)
