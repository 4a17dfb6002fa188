"""Bandingkan: 2–4 instansi side by side — aspect radar, domain bars and index trend."""
import pandas as pd
import streamlit as st

from domain.kategori import kab_kota_names
from rendering import charts
from rendering.format import format_frame
from rendering.safe_text import md
from ui import chart_view, data, picker, state, widgets

ctx = widgets.bootstrap("Bandingkan instansi", "Bandingkan dua sampai empat instansi pada tahun terpilih dan dari tahun ke tahun.")
lst, year = ctx.instansi, ctx.year
registry = data.registry()
names = lst.set_index("instansi_id")["nama"]
labels = picker.labels()  # cached per snapshot (read only): was rebuilt from every row on each rerun


def default_selection() -> list[str]:
    """The instansi under study + the 2 peers closest in index: same province's kab/kota for a
    kab/kota, otherwise the same category."""
    iid = state.instansi()
    if iid not in labels:
        return []
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


def in_selection_order(df: pd.DataFrame) -> pd.DataFrame:
    """Rows ordered like the selection, so each instansi keeps its colour in every chart."""
    return df.assign(_urut=df["instansi_id"].map(sel.index)).sort_values("_urut", kind="stable").drop(columns="_urut")


# --- summary --------------------------------------------------------------------------------
rank = data.run("ranking", year=year)
summary = in_selection_order(rank[rank["instansi_id"].isin(sel)])
absent = [names[i] for i in sel if i not in set(summary["instansi_id"])]
if absent:
    st.warning(f"Tidak ada nilai {year} untuk: {', '.join(md(a) for a in absent)}. Instansi ini tidak ikut di radar dan grafik batang "
               "(tidak dianggap 0); garis trennya tetap ditampilkan.", icon=":material/event_busy:")
if summary.empty:
    widgets.empty_state(f"Tidak ada instansi terpilih yang dinilai pada {year}",
                        "Semua instansi yang dipilih tidak memiliki nilai untuk tahun ini.",
                        "pilih tahun lain di filter global atau ganti instansi yang dibandingkan.")
else:
    cols = ["nama", "kategori", "provinsi", "indeks", "predikat", "peringkat_kategori", "peringkat"]
    display = format_frame(summary[cols]).fillna("—").rename(columns={
        "peringkat_kategori": "peringkat di kategori", "peringkat": "peringkat nasional"})
    widgets.show_table(summary[cols], f"bandingkan_{year}", display=display, synthetic=ctx.synthetic)

colors = charts.instansi_colors([names[i] for i in sel])

# --- radar + domain bars for the year ---------------------------------------------------------
comp = in_selection_order(data.run("component_trend", instansi_ids=sel))
now = comp[comp["tahun"] == year]
now = now.assign(sumbu=[charts.component_label(k, lab) for k, lab in zip(now["kode"], now["label"])])
have_aspek = set(now.loc[now["jenis"] == "aspek", "instansi_id"])
jenis = "aspek" if have_aspek and have_aspek == set(now["instansi_id"]) else "domain"
instrument = registry.for_year(year).nama
c1, c2 = st.columns(2)
with c1:
    part = now[now["jenis"] == jenis]
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
    part = now[now["jenis"] == "domain"]
    if not part.empty:
        widgets.show_chart(chart_view.frozen(lambda: charts.grouped_bars(part, x="sumbu", y="nilai", series="nama", title=f"Nilai domain {charts.who_title(list(colors), escape=False)}{year} ({instrument})",
                                                       yaxis_title="Nilai domain", colors=colors, levels=registry.for_year(year).scale),
                                                      year, synthetic=ctx.synthetic),
                           f"bandingkan_domain_{year}", tahun=year, synthetic=ctx.synthetic, key="chart_domain", cache=(tuple(sel),))

# --- trend ----------------------------------------------------------------------------------
trend = in_selection_order(data.run("instansi_trend", instansi_ids=sel))
widgets.show_chart(chart_view.frozen(lambda: charts.index_trend(trend, ctx.years, registry, national=data.run("national_trend"), highlight_year=year,
                                              show_target=False, colors=colors),
                                     year, synthetic=ctx.synthetic),
                   "bandingkan_tren", tahun=year, synthetic=ctx.synthetic, key="chart_tren", cache=(tuple(sel), year))
st.caption("Tahun tanpa nilai tampil sebagai celah pada garis, bukan 0. Garis hitam = indeks nasional resmi KemenPANRB.")
