"""Metodologi & data: instruments, predikat bands, formulas (worked example computed), sources, caveats."""
import re

import streamlit as st

from domain.instrument import REFERENCE_DIR
from rendering import format as fmt
from rendering.safe_text import md
from ui import data, method_view, public, source_view, widgets

ctx = widgets.bootstrap(
    "Metodologi & data",
    "Instrumen evaluasi, rentang predikat, rumus indeks, asal setiap data di dasbor, dan apa yang sintetis.")
reg = data.registry()


def years_of(ins) -> str:
    return f"{ins.tahun_mulai}–{ins.tahun_akhir}" if ins.tahun_akhir else f"{ins.tahun_mulai}–sekarang"


st.header("Instrumen evaluasi")
st.markdown("Bobot, hierarki indikator → aspek → domain dan rentang predikat dibaca dari berkas referensi per "
            "instrumen (`data/reference/instruments/`); instrumen baru ditambahkan sebagai berkas data. "
            "Seri domain/aspek/indikator **tidak disambung** melintasi pergantian instrumen "
            f"({', '.join(str(y) for y in reg.break_years())}).")


@st.fragment
def instrument_tabs(instruments: list) -> None:
    """One tab per instrument; only the open tab's tables are built and sent (a tab switch reruns this
    fragment alone). All tabs' tables were half of this page's elements on every rerun (issue 14)."""
    tabs = st.tabs([f"{ins.nama} (evaluasi {years_of(ins)})" for ins in instruments], key="mt_instrumen",
                   on_change="rerun")
    for tab, ins in zip(tabs, instruments):
        if tab.open is False:
            continue
        view = method_view.instrument(ins)   # built once per instrument, tables as Arrow (issue 14)
        with tab:
            st.markdown(view.text)
            c1, c2 = st.columns([2, 3])
            c1.dataframe(view.domains, hide_index=True)
            c2.dataframe(view.aspects, hide_index=True)
            st.dataframe(view.indicators, hide_index=True, height=300)
            st.caption(view.scale)


instrument_tabs(list(reg)[::-1])  # newest first

st.header("Predikat dan target")
current = reg.for_year(ctx.year)
c1, c2 = st.columns(2)
c1.dataframe(method_view.bands(current).table, hide_index=True)
c1.caption(f"{current.nama}; label yang sama dipakai sejak 2018. Predikat mengikuti indeks yang sudah dibulatkan.")
snap = source_view.view()   # sources, reference tables, targets: built once per snapshot
c2.dataframe(snap.targets_shown, hide_index=True)
c2.caption(f"Target nasional per tahun. Per instansi: indeks ≥ {fmt.num(current.target_indeks)} "
           f"({current.predikat(current.target_indeks)}) dan level {current.target_level} per indikator.")

st.header("Rumus (PermenPANRB 59/2020, bagian B.4)")
st.latex(r"\text{Indeks aspek} = \frac{\sum_i \text{level}_i \times \text{bobot}_i}{\text{bobot aspek}}")
st.latex(r"\text{Indeks domain} = \frac{\sum_a \text{indeks aspek}_a \times \text{bobot}_a}{\text{bobot domain}}")
st.latex(r"\text{Indeks SPBE} = \frac{\sum_d \text{indeks domain}_d \times \text{bobot}_d}{100}"
         r" = \frac{\sum_i \text{level}_i \times \text{bobot}_i}{100}")
example = method_view.example(reg.by_id("permenpanrb_59_2020"))   # exact fractions and LaTeX made once
st.markdown("**Contoh dalam peraturan** (dihitung ulang oleh dasbor dengan bobot instrumen):")
for line in example.latex:
    st.latex(line)
st.markdown(example.gains)

st.header("Sumber data")
widgets.show_table(snap.sources, "sumber_data", display=snap.sources_shown)
st.caption("Sumber nilai per instansi di snapshot gudang data yang terbit "
           f"(snapshot {md(snap.snapshot_id)}); lokasi gudang "
           "data di server tidak ditampilkan.")
widgets.show_table(snap.refs, "sumber_referensi_resmi", display=snap.refs_shown)
st.caption("Angka resmi KemenPANRB yang disimpan terpisah dari angka yang dihitung ulang.")
sources_md = REFERENCE_DIR / "SOURCES.md"


@st.fragment
def sources_notes() -> None:
    """SOURCES.md (12 KB of text) is read and sent only while its expander is open; opening or closing it
    reruns this fragment alone (issue 14)."""
    box = st.expander("Master instansi dan peta provinsi: asal dan cara penyusunan (SOURCES.md)", key="mt_sumber_md",
                      on_change="rerun")
    if box.open:
        box.markdown(re.sub(r"^(#{1,3}) ", r"###\1 ", sources_md.read_text(encoding="utf-8"), flags=re.M))


if sources_md.is_file():
    sources_notes()

st.header("Riwayat impor")
import_log = data.import_log()
if public.enabled():  # public mode: no OS user names of the operators
    import_log = import_log.drop(columns=["pengguna"])
if import_log.empty:
    st.caption("Belum ada impor atau rollback yang tercatat untuk gudang data ini.")
else:
    st.dataframe(import_log.rename(columns={
        "waktu": "Waktu (UTC)", "pengguna": "Pengguna", "aksi": "Aksi", "berkas": "Berkas", "sha256": "SHA-256",
        "baru": "Instansi-tahun baru", "diganti": "Instansi-tahun diganti", "level_dihapus": "Level indikator dihapus",
        "izin": "Izin operator", "snapshot_sebelumnya": "Snapshot sebelumnya", "snapshot_baru": "Snapshot baru"}),
        hide_index=True)
st.caption("Setiap `python -m etl import` dan `python -m etl rollback`, terbaru di atas, dari log yang hanya ditambah "
           "(disimpan di samping snapshot, tidak ikut dipangkas). Hanya nama berkas yang dicatat; snapshot sebelumnya "
           "dapat diterbitkan lagi dengan `python -m etl rollback`.")

st.header("Apa yang sintetis, apa yang resmi")
n_syn, n_all, demo = snap.n_synthetic, snap.n_all, snap.demo
st.markdown((f"- **Sintetis (data demo):** nilai per instansi — level indikator, nilai aspek/domain, indeks dan "
             f"predikat — pada {fmt.integer(n_syn)} dari {fmt.integer(n_all)} instansi-tahun di gudang data ini. "
             "Angka ini dibangkitkan kode (`etl/demo.py`) dan dikalibrasi agar rerata kategorinya mendekati angka "
             "resmi; **bukan hasil evaluasi**." + (" Satu-satunya level indikator nyata di data demo adalah Kota "
                                                   "Serang 2021 (dari LHE-nya)." if demo else "")
             if n_syn else "- **Tidak ada nilai sintetis** di snapshot gudang data ini.") + """
- **Resmi / nyata:** seri indeks dan domain nasional 2018–2024 dan rerata kategori 2021, 2023, 2024 (laporan
  KemenPANRB), target nasional, bobot instrumen (59/2020 diperiksa terhadap peraturan; 5/2018 direkonstruksi
  dari seri nasional resmi), daftar dan kode instansi (master instansi), batas provinsi.
- Nilai yang diimpor dari tabel hasil resmi (`python -m etl import`) tercatat sebagai sumber tidak sintetis.
""")

st.header("Catatan penting saat membaca angka")
st.markdown("""
- **Nasional resmi ≠ rerata sederhana.** Angka nasional KemenPANRB bukan rerata sederhana tabel per instansi
  (2024: 3,12 resmi vs 3,17 rerata sederhana). Dasbor menampilkan keduanya dengan label berbeda: *resmi* dan
  *dihitung ulang*.
- **Pergantian instrumen 2021.** 2018–2020 memakai PermenPANRB 5/2018 (35 indikator, 3 domain), sejak 2021
  PermenPANRB 59/2020 (47 indikator, 4 domain). Indeks boleh digambar melintasi 2021 dengan penanda; seri
  domain/aspek/indikator tidak disambung.
- **Perubahan metode 2023 pada indikator 45–47** (layanan publik sektor): kenaikan 2022→2023 di sana
  sebagian karena cara penilaian, bukan hanya kemajuan.
- **Tidak ada nilai ≠ nol.** Instansi yang tidak dievaluasi pada suatu tahun tidak punya nilai; dasbor
  menampilkannya sebagai "—" dan tidak menghitungnya sebagai 0.
- **Tabel hasil yang dikonversi bisa keliru** (mis. 2024: D1 kosong pada dua kementerian; D1 Jawa Timur
  0,6 padahal indeksnya menyiratkan ≈4,6). Pemuat data melaporkan ketidakcocokan baris demi baris tanpa
  "memperbaikinya".
""")
