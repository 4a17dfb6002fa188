"""Bandingkan: 2–4 instansi side by side — aspect radar, domain bars and index trend."""
import streamlit as st

from domain.kategori import kab_kota_names
from rendering import charts
from rendering.safe_text import md
from ui import chart_view, compare_view, data, picker, state, widgets

ctx = widgets.bootstrap("Bandingkan instansi", "Bandingkan dua sampai empat instansi pada tahun terpilih dan dari tahun ke tahun.")
year = ctx.year   # the instansi list (ctx.instansi) is read only for the default selection
registry = data.registry()
labels = picker.labels()  # cached per snapshot (read only): was rebuilt from every row on each rerun


def default_selection() -> list[str]:
    """The instansi under study + the 2 peers closest in index: same province's kab/kota for a
    kab/kota, otherwise the same category."""
    iid = state.instansi()
    if iid not in labels:
        return []
    lst = ctx.instansi
    me = lst[lst["instansi_id"] == iid].iloc[0]
    rank = data.run("ranking", year=year)
    if me["kategori_ringkas"] in kab_kota_names() and isinstance(me["provinsi"], str):  # kategori.csv: kab_kota
        pool = rank[(rank["provinsi"] == me["provinsi"]) & rank["kategori"].isin(kab_kota_names())]
    else:
        pool = rank[rank["kategori"] == me["kategori_ringkas"]]
    pool = pool[pool["instansi_id"] != iid]
    own = rank.loc[rank["instansi_id"] == iid, "indeks"]
    if len(own):
        pool = pool.assign(jarak=(pool["indeks"] - own.iloc[0]).abs()).sort_values(["jarak", "nama"])
    return [iid] + pool["instansi_id"].head(2).tolist()


def reset_selection() -> None:
    chosen = default_selection()
    state.set_compare(chosen)
    st.session_state["w_bandingkan"] = chosen


if not state.compare():
    state.set_compare(default_selection())
if "w_bandingkan" not in st.session_state:
    st.session_state["w_bandingkan"] = state.compare()
left, right = st.columns([4, 1], vertical_alignment="bottom")
with left:   # type-ahead: the list holds the chosen + matches of the search, never all instansi (ui/picker.py)
    sel = picker.multi_instansi_page("Instansi yang dibandingkan (2–4)", "w_bandingkan", limit=4,
                                     on_change=lambda: state.set_compare(st.session_state["w_bandingkan"]))
right.button("Instansi dikaji + 2 pembanding", on_click=reset_selection, help="Instansi yang dikaji dan dua instansi "
             "sekategori (kab/kota: se-provinsi) dengan indeks terdekat pada tahun terpilih.")
if len(sel) < 2:
    widgets.empty_state("Pilih minimal dua instansi", "Perbandingan butuh dua sampai empat instansi.",
                        "cari instansi di kotak Cari instansi lalu pilih di daftar di bawahnya, atau klik 'Instansi dikaji + 2 pembanding'.")
    st.stop()


# --- summary --------------------------------------------------------------------------------
v = compare_view.view(year, sel)   # once per (snapshot, year, selection), read only (issue 14)
if v.absent:
    st.warning(f"Tidak ada nilai {year} untuk: {', '.join(md(a) for a in v.absent)}. Instansi ini tidak ikut di radar dan grafik batang "
               "(tidak dianggap 0); garis trennya tetap ditampilkan.", icon=":material/event_busy:")
if v.display is None:
    widgets.empty_state(f"Tidak ada instansi terpilih yang dinilai pada {year}",
                        "Semua instansi yang dipilih tidak memiliki nilai untuk tahun ini.",
                        "pilih tahun lain di filter global atau ganti instansi yang dibandingkan.")
else:
    widgets.show_table(v.summary, f"bandingkan_{year}", display=v.display, synthetic=ctx.synthetic)
colors, jenis = v.colors, v.jenis

# --- radar + domain bars for the year ---------------------------------------------------------
instrument = registry.for_year(year).nama
c1, c2 = st.columns(2)
with c1:
    part = v.radar
    if part.empty:
        widgets.empty_state("Tidak ada nilai domain/aspek", f"Instansi terpilih tidak memiliki nilai komponen {year}.",
                            "pilih tahun lain atau instansi lain.")
    else:
        widgets.show_chart(chart_view.frozen(lambda: charts.radar(part, series="nama", theta="sumbu", r="nilai", title=f"Profil {jenis} {charts.who_title(list(colors), escape=False)}{year} ({instrument})",
                                                styles={n: {"color": c, "fill": True} for n, c in colors.items()}, levels=registry.for_year(year).scale),
                                               year, synthetic=ctx.synthetic),
                           f"bandingkan_radar_{year}", tahun=year, synthetic=ctx.synthetic, key="chart_radar", cache=(tuple(sel), jenis))
        if jenis == "domain":
            st.caption("Radar memakai domain karena nilai aspek tidak diketahui untuk semua instansi terpilih.")
with c2:
    if not v.domain.empty:
        widgets.show_chart(chart_view.frozen(lambda: charts.grouped_bars(v.domain, x="sumbu", y="nilai", series="nama", title=f"Nilai domain {charts.who_title(list(colors), escape=False)}{year} ({instrument})",
                                                       yaxis_title="Nilai domain", colors=colors, levels=registry.for_year(year).scale),
                                                      year, synthetic=ctx.synthetic),
                           f"bandingkan_domain_{year}", tahun=year, synthetic=ctx.synthetic, key="chart_domain", cache=(tuple(sel),))

# --- trend ----------------------------------------------------------------------------------
widgets.show_chart(chart_view.frozen(lambda: charts.index_trend(v.trend, ctx.years, registry, national=data.run("national_trend"), highlight_year=year,
                                              show_target=False, colors=colors),
                                     year, synthetic=ctx.synthetic),
                   "bandingkan_tren", tahun=year, synthetic=ctx.synthetic, key="chart_tren", cache=(tuple(sel), year))
st.caption("Tahun tanpa nilai tampil sebagai celah pada garis, bukan 0. Garis hitam = indeks nasional resmi KemenPANRB.")
