"""Profil instansi: index, predikat, change and ranks of the instansi under study; radar of its
aspects (or domains) against national, category and province means; its indicator levels."""
import pandas as pd
import streamlit as st

from rendering import charts
from rendering.format import integer, num, signed
from rendering.safe_text import md
from ui import (
    benchmarks,
    data,
    downloads,
    instansi_search,
    picker,
    profile_view,
    session_data,
    state,
    upload,  # [penilaian mandiri] session upload of another year on the radar
    widgets,
)

ctx = widgets.bootstrap("Profil instansi", "Capaian satu instansi pada tahun terpilih dibanding rata-rata nasional dan kategorinya.")
registry = data.registry()

# --- in-page search (Enter shows the best match; the sidebar filter holds the same value) --------
instansi_search.search_box(widgets.instansi_label)

iid, year = state.instansi(), ctx.year
if iid not in picker.ids():  # cached per snapshot (read only)
    widgets.empty_state("Instansi belum dipilih", "Tidak ada instansi terpilih yang memiliki nilai di gudang data.",
                        "cari instansi di kotak pencarian atau pilih di filter global (sidebar).")
    st.stop()
view = profile_view.view(iid, year)  # everything below derived once per (snapshot, instansi, year), read only
info = view.info
where = " · ".join(md(x) for x in (info["kategori"], info["provinsi"], info["kode_wilayah"]) if isinstance(x, str) and x)
st.subheader(md(info["nama"]))
st.caption(where)
own_label = session_data.label(iid, year)   # this year's values come from an upload of this session

if view.p is None:
    have = view.have
    widgets.empty_state(f"{md(info['nama'])} tidak memiliki nilai untuk {year}",
                        "Instansi ini tidak dievaluasi (atau hasilnya tidak ada di data) pada tahun tersebut. "
                        "Tahun tanpa nilai tidak dianggap 0.",
                        "pilih salah satu tahun yang tersedia: " + ", ".join(map(str, have)) + ".")
    cols = st.columns(max(len(have), 1))
    for col, y in zip(cols, have):
        col.button(str(y), key=f"pi_tahun_{y}", on_click=state.set_year, args=(y,))
    st.stop()
p, instrument = view.p, view.instrument

# --- headline -------------------------------------------------------------------------------
c1, c2, c3, c4 = st.columns(4)
note = []
if pd.notna(p["tahun_sebelumnya"]):
    prev_year = int(p["tahun_sebelumnya"])
    skipped = "" if prev_year == year - 1 else str(year - 1) if prev_year == year - 2 else f"{prev_year + 1}–{year - 1}"
    note = [f"{skipped} tidak dievaluasi; dibanding {prev_year}"] if skipped else []
    if registry.for_year(prev_year).id != instrument.id:
        note.append("perubahan melewati pergantian instrumen")
with c1:
    widgets.metric(f"{instrument.nama_indeks} {year}", p["indeks"],
                   delta=None if pd.isna(p["selisih"]) else f"{signed(p['selisih'])} dari {int(p['tahun_sebelumnya'])}",
                   help="Perubahan dari tahun evaluasi terakhir sebelumnya. " + "; ".join(note))
with c2:
    st.markdown("Predikat")
    widgets.predikat_badge(p["predikat"], computed=instrument.predikat(p["indeks"]))
    if pd.notna(p["tahun_sebelumnya"]):
        st.caption(f"{int(p['tahun_sebelumnya'])}: {num(p['indeks_sebelumnya'])} ({md(p['predikat_sebelumnya'])})")
with c3:
    widgets.metric(f"Peringkat di {md(p['kategori_ringkas'])}", f"{integer(p['peringkat_kategori'])} dari {integer(p['jumlah_kategori'])}")
with c4:
    if pd.notna(p["peringkat_provinsi"]):
        widgets.metric(f"Peringkat pemda se-{md(p['provinsi'])}", f"{integer(p['peringkat_provinsi'])} dari {integer(p['jumlah_provinsi'])}",
                       help="Di antara pemerintah provinsi dan kab/kota di provinsi ini yang dinilai tahun ini.")
    else:
        widgets.metric("Peringkat nasional", f"{integer(p['peringkat_nasional'])} dari {integer(p['jumlah_nasional'])}")

st.caption(f"Sumber nilai {year}: {md(p['sumber'])}" + (" — hanya di sesi ini, gudang data terbit tidak berubah."
                                                          if own_label else "."))
if note:
    st.caption("Catatan perubahan: " + "; ".join(note) + ".")
if view.flags:
    st.warning("**Catatan validasi** — angka ditampilkan seperti dipublikasikan, tidak diperbaiki:\n\n"
               + "\n".join(f"- {md(alasan)}" for alasan in view.flags), icon=":material/rule:")
downloads.brief_download_controls(iid, year, key=f"brief_{iid}_{year}")
benchmarks.show(view.benchmarks, iid, year, kategori=p["kategori_ringkas"], provinsi=view.provinsi, synthetic=ctx.synthetic)

# --- radar ----------------------------------------------------------------------------------
shown = view.shown
if shown.empty:
    widgets.empty_state("Nilai domain/aspek tidak tersedia",
                        f"Sumber data {year} untuk instansi ini hanya memuat indeks, tanpa nilai domain atau aspek.",
                        "impor tabel hasil per domain atau LHE instansi ini (`python -m etl import BERKAS`).")
else:
    if view.aspek_empty:
        st.caption("Hanya nilai domain yang diketahui (tabel publikasi); nilai aspek butuh level indikator dari LHE.")
    def radar():
        fig = charts.profile_radar(shown, info["nama"], kategori=p["kategori_ringkas"], instrument=instrument.nama, tahun=year)
        if own_label:
            fig.data[0].name = f"{fig.data[0].name} (unggahan sesi ini)"
        return upload.add_to_profile_radar(fig, shown, iid, registry, tahun=year)  # + this session's upload of another year
    widgets.show_chart(radar, f"profil_{iid}_{year}", tahun=year, synthetic=ctx.synthetic, key="chart_radar",
                       cache=(iid, year, bool(own_label)))   # a session with uploads has its own snapshot in the key
    if view.weakest:
        st.markdown(view.weakest)
    # built only while open (opening it reruns the page): a collapsed expander's body still runs and is sent
    numbers = st.expander("Angka di balik grafik", key="pi_angka", on_change="rerun")
    if numbers.open:
        with numbers:
            raw, display = view.components
            widgets.show_table(raw, f"komponen_{iid}_{year}", display=display, synthetic=ctx.synthetic)

# --- indicator levels -----------------------------------------------------------------------
st.subheader(f"Level indikator {year}")
levels = view.levels
if levels is None:
    widgets.empty_state("Level indikator tidak diketahui",
                        "KemenPANRB tidak memublikasikan level indikator: hasil resmi per instansi hanya memuat indeks, "
                        "nilai domain dan predikat. Level tiap indikator ada di laporan hasil evaluasi (LHE) yang "
                        "dikirim KemenPANRB ke instansi itu.",
                        "unggah LHE instansi ini (PDF sebagaimana diterbitkan) di halaman **Penilaian mandiri & "
                        "rencana**, atau impor ke gudang data dengan `python -m etl import LHE.pdf`.")
    st.stop()
st.caption(levels.caption)
widgets.show_table(levels.raw, f"level_indikator_{iid}_{year}", display=levels.display, synthetic=ctx.synthetic,
                   height=460, column_config={"indikator": st.column_config.TextColumn(width="large")})
