"""Ringkasan nasional: official national index, recomputed means, category heat table, predikat
distribution and the share of instansi reaching 'Baik' against the 2024 targets."""
import pandas as pd
import streamlit as st

from domain.definitions import TARGET_NASIONAL, ambang_baik_label
from domain.instrument import REFERENCE_DIR
from rendering import charts
from rendering.format import format_frame, integer, num, pct, signed
from rendering.safe_text import md
from ui import data, state, summary_view, widgets

TARGET_FILE = REFERENCE_DIR / "official" / "target_baik_pct.csv"
MODES = {"dihitung ulang": "dihitung", "resmi": "resmi", "selisih": "selisih"}


@st.cache_data(ttl=3600, max_entries=1, show_spinner=False)
def target_baik() -> pd.DataFrame:
    """Policy targets: share of instansi reaching 'Baik' per category (committed reference file)."""
    return pd.read_csv(TARGET_FILE)


ctx = widgets.bootstrap("Ringkasan nasional",
                        "Indeks SPBE nasional, rata-rata per kategori dan sebaran predikat untuk tahun terpilih.")
year = ctx.year
view = summary_view.view(year)   # this year's figures, read once per (snapshot, year) and kept read only

# --- headline: official vs recomputed ---------------------------------------------------------
nat = view.nat
cur = nat.loc[year] if year in nat.index else None
prev = nat.loc[year - 1] if year - 1 in nat.index else None
resmi, dihitung = (cur["resmi"], cur["dihitung"]) if cur is not None else (None, None)
c1, c2, c3 = st.columns(3)
with c1:
    delta = None if prev is None or pd.isna(resmi) or pd.isna(prev["resmi"]) else f"{signed(resmi - prev['resmi'])} dari {year - 1}"
    widgets.metric(f"{data.registry().for_year(year).nama_indeks} nasional {year} (resmi)", resmi, delta=delta,
                   help="Angka resmi publikasi KemenPANRB. Bukan rata-rata sederhana tabel per instansi.")
with c2:
    delta = None if prev is None or pd.isna(prev["dihitung"]) else f"{signed(dihitung - prev['dihitung'])} dari {year - 1}"
    widgets.metric(f"Rata-rata {integer(cur['jumlah_instansi'] if cur is not None else None)} instansi (dihitung ulang)", dihitung,
                   delta=delta, help="Rata-rata sederhana indeks semua instansi di gudang data ini; berbeda dari angka resmi.")
with c3:
    target = cur["target"] if cur is not None else None
    widgets.metric(f"{TARGET_NASIONAL.capitalize()} {year}", target,
                   delta=None if pd.isna(target) or pd.isna(resmi) else f"{signed(resmi - target)} capaian resmi − target",
                   help="Target indeks nasional per tahun (2022–2024), untuk angka nasional; '—' = tidak ada target "
                        f"untuk tahun ini. Bukan {ambang_baik_label(float(data.registry().for_year(year).target_indeks))}, "
                        "yang menjadi target tiap instansi.")
if pd.isna(resmi):
    st.caption(f"Belum ada angka nasional resmi untuk {year}; hanya rata-rata dihitung ulang yang tersedia.")
elif pd.notna(cur["resmi_lain"]):
    st.caption(f"Dokumen resmi KemenPANRB mencetak dua angka nasional untuk {year}: {num(resmi)} "
               f"({md(cur['sumber_resmi'])}; yang ditampilkan) dan {num(cur['resmi_lain'])} ({md(cur['sumber_lain'])}).")

comp = view.comp
if comp.empty:
    widgets.empty_state(f"Tidak ada nilai komponen untuk {year}",
                        "Gudang data tidak memuat nilai domain/aspek untuk tahun ini.",
                        "pilih tahun lain di filter global, atau impor data tahun ini.")
    st.stop()

st.markdown(view.weakest)

# --- heat table ---------------------------------------------------------------------------
st.subheader("Rata-rata per kategori: indeks, domain dan aspek")
MODE_URL = {v: k for k, v in MODES.items()}          # ?rata=resmi|selisih: a link restores the view


@st.fragment
def heat_section(year: int, synthetic: bool) -> None:
    """The mode and the heat table it drives: changing the mode reruns only this (issue 14), not the
    page's queries, metrics and other charts. It reads its frame itself (a cached query): a frame of the full
    run could be an older snapshot than the figure cache key this run computes."""
    comp = summary_view.view(year).comp   # this fragment run's snapshot, built once per (snapshot, year)
    state.url_choice("rn_mode", "rata", MODE_URL, "dihitung")
    mode_label = st.segmented_control("Tampilkan", list(MODES), key="rn_mode",
                                      help="Dihitung ulang = rata-rata dari data instansi; resmi = angka publikasi "
                                           "KemenPANRB; selisih = dihitung ulang − resmi.") or "dihitung ulang"
    state.mirror_choice("rn_mode", "rata", MODE_URL, "dihitung")
    mode = MODES[mode_label]
    if mode != "dihitung" and comp["resmi"].isna().all():
        widgets.empty_state(f"Tidak ada rata-rata kategori resmi untuk {year}",
                            "KemenPANRB hanya menerbitkan rata-rata per kategori untuk sebagian tahun evaluasi; "
                            "angka yang tidak dipublikasikan dibiarkan kosong, tidak diisi 0.",
                            "pilih 'dihitung ulang', atau pilih tahun yang memiliki publikasi rata-rata kategori.")
        return
    widgets.show_chart(lambda: charts.component_heatmap(comp.copy(), mode, tahun=year), f"rata_kategori_{mode}_{year}",
                       tahun=year, synthetic=synthetic, key="chart_heat", cache=(mode, year))
    if mode != "dihitung":
        st.caption("Sel '—' = KemenPANRB tidak menerbitkan angka untuk kategori/komponen itu (mis. tahun yang "
                   "publikasinya memakai pengelompokan kategori lain); kosong, bukan 0.")
    # built only while open (opening it reruns this fragment): a collapsed expander's body still runs
    table = st.expander("Tabel angka (dihitung ulang dan resmi)", key="rn_tabel", on_change="rerun")
    if table.open:
        with table:
            raw = comp[["kategori", "komponen", "label", "nilai", "resmi", "jumlah_instansi"]]
            shown = format_frame(raw).rename(columns={"nilai": "dihitung ulang", "jumlah_instansi": "jumlah instansi"})
            widgets.show_table(raw, f"rata_kategori_{year}", display=shown, synthetic=synthetic)


heat_section(year, ctx.synthetic)

# --- predikat distribution and Baik share vs targets -----------------------------------------
left, right = st.columns(2)
with left:
    dist = view.dist
    if dist.empty:
        widgets.empty_state("Belum ada predikat", f"Tidak ada instansi berpredikat pada {year}.", "pilih tahun lain.")
    else:   # predikat outside the instrument's bands are counted as "lainnya" (ui/summary_view.py)
        widgets.show_chart(lambda: charts.predikat_distribution(dist.copy(), tahun=year, unknown=view.unknown.copy()), f"sebaran_predikat_{year}",
                           tahun=year, synthetic=ctx.synthetic, key="chart_predikat", cache=(year,))
with right:
    cats = view.cats
    targets = target_baik()
    threshold = float(data.registry().for_year(year).target_indeks)
    widgets.show_chart(lambda: charts.baik_share(cats.copy(), targets, threshold=threshold, tahun=year), f"porsi_baik_{year}",
                       tahun=year, synthetic=ctx.synthetic, key="chart_baik", cache=(year,))
    groups = targets.drop_duplicates("kelompok_target")
    st.caption(f"Target porsi berpredikat Baik {'/'.join(map(str, sorted(targets['tahun'].unique())))}: "
               + ", ".join(f"{md(r.kelompok_target)} {pct(r.target_baik_pct, 0)}" for r in groups.itertuples())
               + f" (berkas rujukan `{TARGET_FILE.name}`). Porsi dihitung ulang dari indeks per instansi; "
               f"berpredikat Baik = indeks ≥ {ambang_baik_label(threshold)}, bukan target indeks nasional tahunan.")

# --- national series -----------------------------------------------------------------------
st.subheader("Seri nasional")
widgets.show_chart(lambda: charts.national_trend(data.run("national_trend"), data.registry()), "seri_nasional",
                   tahun=year, synthetic=ctx.synthetic, key="chart_nasional", cache=())
two = view.two
st.caption("Garis hitam tegas = angka resmi KemenPANRB (seri nasional Laporan Evaluasi SPBE 2024); garis titik-titik = "
           "rata-rata sederhana yang dihitung ulang dari data instansi di dasbor ini. Perubahan 2022→2023 sebagian karena "
           "perubahan metode penilaian indikator 45–47."
           + "".join(f" Untuk {int(t)} dokumen lain mencetak {num(r.resmi_lain)} ({md(r.sumber_lain)}), bukan "
                     f"{num(r.resmi)}." for t, r in two.iterrows()))
