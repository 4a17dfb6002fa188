"""Kesenjangan target: where the instansi under study loses index points against the national targets."""
import streamlit as st

from domain.definitions import ambang_baik_label, biggest_gap, biggest_gap_text, target_nasional_label
from rendering import charts_gap
from rendering import format as fmt
from rendering.safe_text import md
from ui import gap_view, widgets

ctx = widgets.bootstrap(
    "Kesenjangan target",
    "Seberapa jauh instansi yang dikaji dari ambang predikat Baik (Indeks SPBE ≥ batas bawah Baik) dan dari "
    "level target per indikator — dan indikator mana yang paling banyak memakan poin indeks.")
view = gap_view.view(ctx.instansi_id, ctx.year)   # derived once per (snapshot, instansi, year), read only
if view.p is None:
    me = ctx.instansi[ctx.instansi["instansi_id"] == ctx.instansi_id]
    nama = me["nama"].iloc[0] if len(me) else ctx.instansi_id
    tahun = view.tahun
    widgets.empty_state(
        f"{md(nama)} tidak dievaluasi pada {ctx.year}",
        "Tidak ada nilai Indeks SPBE instansi ini untuk tahun tersebut. Tidak dievaluasi berarti tidak ada "
        "nilai — bukan nol — sehingga kesenjangan tidak dapat dihitung.",
        "pilih tahun lain di filter global" + (f" (tahun dengan nilai: {', '.join(map(str, tahun))})" if tahun else "")
        + " atau pilih instansi lain.")
    st.stop()

p, ins = view.p, view.ins
target_indeks, target_level = float(ins.target_indeks), ins.target_level

st.subheader(f"{md(p.nama)} · {ctx.year}")
selisih = float(p.indeks) - target_indeks
c1, c2, c3, c4 = st.columns(4)
c1.metric(f"{ins.nama_indeks} {ctx.year}", fmt.num(p.indeks), help=f"Predikat: {md(p.predikat or fmt.MISSING)}")
c2.metric("Ambang predikat Baik", fmt.num(target_indeks),
          help=f"{ins.nama}: batas bawah predikat {ins.predikat(target_indeks)} — target setiap instansi. Berbeda dari "
               "target indeks nasional tahunan (mis. 2,85 untuk 2024), yang berlaku untuk angka nasional.")
c3.metric("Selisih terhadap ambang Baik", fmt.signed(selisih),
          help="Indeks dikurangi ambang predikat Baik; negatif = di bawah ambang.")
nat_target = view.nat_target
st.markdown(f"**{'Sudah mencapai' if selisih >= 0 else 'Belum mencapai'} {ambang_baik_label(target_indeks)}** "
            f"(predikat {md(p.predikat or fmt.MISSING)})."
            + (f" Sebagai pembanding: {target_nasional_label(ctx.year, float(nat_target))}, target untuk angka nasional, "
               "bukan per instansi." if nat_target is not None and nat_target == nat_target else ""))


@st.fragment
def gap_tabs(instansi_id: str, year: int, synthetic: bool) -> None:
    """The three views of the indicator gaps. Only the open tab is built and sent; switching tabs reruns this
    fragment alone (issue 14: the three tabs' charts and tables were half of this page's elements)."""
    v = gap_view.view(instansi_id, year)   # a fragment reads its own data (cached), not the full run's
    p, ind = v.p, v.indicators
    tab_ind, tab_asp, tab_kat = st.tabs(["Per indikator", "Per aspek", f"Di kategori {md(p.kategori_ringkas)}"],
                                        key="kt_tab", on_change="rerun")
    if tab_ind.open:
        with tab_ind:
            widgets.show_chart(lambda: charts_gap.indicator_gap_bars(ind.below, title=f"Poin indeks yang hilang per indikator — {p.nama}, {year}"),
                               "kesenjangan_indikator", tahun=year, synthetic=synthetic, cache=(instansi_id, year))
            if ind.below.empty:
                st.success(f"Semua indikator sudah berada di level {v.ins.target_level} atau lebih.")
            else:
                widgets.show_table(ind.table, "kesenjangan_indikator", display=ind.display, synthetic=synthetic,
                                   column_config={ind.syarat_column: st.column_config.TextColumn(width="large"),
                                                  "Indikator": st.column_config.TextColumn(width="medium")})
                st.caption("Syarat level berikutnya: parafrase kriteria tingkat kematangan dari lampiran PermenPANRB; "
                           "untuk penilaian selalu rujuk peraturannya.")
    if tab_asp.open:
        with tab_asp:
            if ind.weakest:
                st.markdown(ind.weakest + " Grafik di bawah mengurutkan aspek menurut **poin indeks yang hilang**, ukuran "
                            "yang berbeda.")
            widgets.show_chart(lambda: charts_gap.aspect_gap_bars(ind.aspects, title=f"Poin indeks yang hilang per aspek — {p.nama}, {year}"),
                               "kesenjangan_aspek", tahun=year, synthetic=synthetic, cache=(instansi_id, year))
            widgets.show_table(ind.aspects, "kesenjangan_aspek", synthetic=synthetic, display=ind.aspects_display)
    if tab_kat.open:
        with tab_kat:
            widgets.show_chart(lambda: charts_gap.category_gap_share_bars(ind.category, kategori=p.kategori_ringkas, own_gaps=ind.own),
                               "kesenjangan_kategori", tahun=year, synthetic=synthetic, cache=(instansi_id, year))
            st.caption(f"Bagian instansi kategori {md(p.kategori_ringkas)} ({year}) yang levelnya di bawah {v.ins.target_level} "
                       "per indikator; angka di ujung batang = jumlah instansi di bawah target / jumlah instansi.")


if view.indicators is not None:
    ind = view.indicators
    below, lost = ind.below, ind.lost
    c4.metric(f"Indikator di bawah level {target_level}", f"{len(below)} dari {len(view.gaps)}",
              help="Jumlah indikator yang levelnya di bawah level target.")
    reach = float(p.indeks) + lost
    st.markdown(
        f"Indikator di bawah level {target_level} memakan **{fmt.num(lost, 3)} poin** indeks "
        f"(kekurangan level × bobot / 100). Bila semuanya dinaikkan ke level {target_level}, indeks menjadi "
        f"≈ **{fmt.num(reach)}**" + ("." if selisih >= 0 else
        (" — cukup untuk mencapai ambang predikat Baik." if reach >= target_indeks else
         f" — belum cukup: ambang predikat Baik {fmt.num(target_indeks)} butuh indikator di atas level {target_level}.")))
    top = biggest_gap(list(zip(below["no_indikator"], below["biaya_indeks"])))
    if top is not None:
        st.markdown(md(biggest_gap_text(top, ind.names)) + ".")
    gap_tabs(ctx.instansi_id, ctx.year, ctx.synthetic)
else:
    dom = view.domains
    if dom is None:
        widgets.empty_state(
            "Rincian domain dan indikator tidak tersedia",
            f"Untuk {md(p.nama)} tahun {ctx.year} hanya nilai indeks yang tersedia; kesenjangan per domain atau "
            "per indikator tidak dapat dihitung.",
            "impor tabel hasil per domain atau laporan LHE instansi (`python -m etl import BERKAS`).")
        st.stop()
    st.info(
        f"**Hanya nilai per domain yang tersedia** untuk {md(p.nama)} tahun {ctx.year}: KemenPANRB tidak "
        "memublikasikan level indikator. Kesenjangan per indikator dan syarat level berikutnya memerlukan LHE "
        "instansi — unggah di halaman **Penilaian mandiri & rencana**. Yang ditampilkan di bawah adalah "
        f"kesenjangan nilai domain terhadap {target_level}.", icon=":material/info:")
    if dom.absent:
        st.caption(f"Tidak ada nilai untuk {', '.join(dom.absent)} (kosong di sumber) — tidak dihitung sebagai 0.")
    mismatch = not dom.absent and abs(dom.implied - float(p.indeks)) > 0.015
    if len(dom.odd) or mismatch:
        st.warning("**Periksa data sumber:** " + " ".join(
            [f"{r.kode_domain} = {fmt.num(r.nilai)} di luar skala {ins.level_min}–{ins.level_max}." for r in dom.odd.itertuples()]
            + ([f"Indeks {fmt.num(p.indeks)} tidak cocok dengan Σ nilai domain × bobot = {fmt.num(dom.implied)}."]
               if mismatch else [])
            + ["Kesenjangan di bawah dihitung dari nilai apa adanya, tanpa dikoreksi."]), icon=":material/warning:")
    widgets.show_chart(lambda: charts_gap.domain_gap_bars(dom.frame, title=f"Poin indeks yang hilang per domain — {p.nama}, {ctx.year}"),
                       "kesenjangan_domain", tahun=ctx.year, synthetic=ctx.synthetic, cache=(ctx.instansi_id, ctx.year))
    widgets.show_table(dom.shown, "kesenjangan_domain", synthetic=ctx.synthetic, display=dom.display)
