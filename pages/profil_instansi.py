"""Profil instansi: index, predikat, change and ranks of the instansi under study; radar of its
aspects (or domains) against national, category and province means; its indicator levels."""
import pandas as pd
import streamlit as st

from domain.kategori import mask_thin_means
from rendering import charts
from rendering.format import format_frame, integer, num, signed
from rendering.safe_text import md
from ui import (
    benchmarks,
    data,
    downloads,
    instansi_search,
    session_data,
    state,
    upload,  # [penilaian mandiri] session upload of another year on the radar
    weakest,
    widgets,
)

ctx = widgets.bootstrap("Profil instansi", "Capaian satu instansi pada tahun terpilih dibanding rata-rata nasional dan kategorinya.")
lst = ctx.instansi
registry = data.registry()

# --- in-page search (Enter shows the best match; the sidebar filter holds the same value) --------
instansi_search.search_box(lst, widgets.instansi_label)

iid, year = state.instansi(), ctx.year
info = lst[lst["instansi_id"] == iid]
if info.empty:
    widgets.empty_state("Instansi belum dipilih", "Tidak ada instansi terpilih yang memiliki nilai di gudang data.",
                        "cari instansi di kotak pencarian atau pilih di filter global (sidebar).")
    st.stop()
info = info.iloc[0]
where = " · ".join(md(x) for x in (info["kategori"], info["provinsi"], info["kode_wilayah"]) if isinstance(x, str) and x)
st.subheader(md(info["nama"]))
st.caption(where)
own_label = session_data.label(iid, year)   # this year's values come from an upload of this session

prof = data.run("instansi_profile", year=year, instansi_id=iid)
if prof.empty:
    have = sorted(int(y) for y in data.run("instansi_trend", instansi_ids=[iid])["tahun"])
    widgets.empty_state(f"{md(info['nama'])} tidak memiliki nilai untuk {year}",
                        "Instansi ini tidak dievaluasi (atau hasilnya tidak ada di data) pada tahun tersebut. "
                        "Tahun tanpa nilai tidak dianggap 0.",
                        "pilih salah satu tahun yang tersedia: " + ", ".join(map(str, have)) + ".")
    cols = st.columns(max(len(have), 1))
    for col, y in zip(cols, have):
        col.button(str(y), key=f"pi_tahun_{y}", on_click=state.set_year, args=(y,))
    st.stop()
p = prof.iloc[0]
instrument = registry.by_id(p["instrument_id"])

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
flags = data.run("instansi_notes", year=year, instansi_id=iid)
if len(flags):
    st.warning("**Catatan validasi** — angka ditampilkan seperti dipublikasikan, tidak diperbaiki:\n\n"
               + "\n".join(f"- {md(r.alasan)}" for r in flags.itertuples()), icon=":material/rule:")
downloads.brief_download_controls(iid, year, key=f"brief_{iid}_{year}")
benchmarks.show_benchmarks(iid, year, kategori=p["kategori_ringkas"], synthetic=ctx.synthetic,
                           provinsi=p["provinsi"] if isinstance(p["provinsi"], str) else None)

# --- radar ----------------------------------------------------------------------------------
comp = mask_thin_means(data.run("instansi_components", year=year, instansi_id=iid))  # no "mean" of 1–4 instansi
aspek, domain = comp[comp["jenis"] == "aspek"], comp[comp["jenis"] == "domain"]
shown = aspek if len(aspek) else domain
if shown.empty:
    widgets.empty_state("Nilai domain/aspek tidak tersedia",
                        f"Sumber data {year} untuk instansi ini hanya memuat indeks, tanpa nilai domain atau aspek.",
                        "impor tabel hasil per domain atau LHE instansi ini (`python -m etl import BERKAS`).")
else:
    if aspek.empty:
        st.caption("Hanya nilai domain yang diketahui (tabel publikasi); nilai aspek butuh level indikator dari LHE.")
    def radar():
        fig = charts.profile_radar(shown, info["nama"], kategori=p["kategori_ringkas"], instrument=instrument.nama, tahun=year)
        if own_label:
            fig.data[0].name = f"{fig.data[0].name} (unggahan sesi ini)"
        return upload.add_to_profile_radar(fig, shown, iid, registry, tahun=year)  # + this session's upload of another year
    widgets.show_chart(radar, f"profil_{iid}_{year}", tahun=year, synthetic=ctx.synthetic, key="chart_radar",
                       cache=(iid, year, bool(own_label)))   # a session with uploads has its own snapshot in the key
    line = weakest.weakest_text(comp, data.run("indicator_gaps", year=year, instansi_id=iid), instrument)
    if line:
        st.markdown(line)
    with st.expander("Angka di balik grafik"):
        raw = comp[["jenis", "kode", "label", "nilai", "rerata_nasional", "rerata_kategori", "rerata_provinsi"]]
        display = format_frame(raw).rename(columns={
            "nilai": "instansi", "rerata_nasional": "rata-rata nasional (dihitung ulang)",
            "rerata_kategori": "rata-rata kategori (dihitung ulang)", "rerata_provinsi": "rata-rata kab/kota se-provinsi (dihitung ulang)"})
        widgets.show_table(raw, f"komponen_{iid}_{year}", display=display, synthetic=ctx.synthetic)

# --- indicator levels -----------------------------------------------------------------------
st.subheader(f"Level indikator {year}")
levels = data.run("instansi_levels", year=year, instansi_id=iid)
if levels.empty:
    widgets.empty_state("Level indikator tidak diketahui",
                        "KemenPANRB tidak memublikasikan level indikator: hasil resmi per instansi hanya memuat indeks, "
                        "nilai domain dan predikat. Level tiap indikator ada di laporan hasil evaluasi (LHE) yang "
                        "dikirim KemenPANRB ke instansi itu.",
                        "unggah LHE instansi ini (PDF sebagaimana diterbitkan) di halaman **Penilaian mandiri & "
                        "rencana**, atau impor ke gudang data dengan `python -m etl import LHE.pdf`.")
    st.stop()


def level_name(row, col: str) -> str | None:
    value = row[col]
    return None if pd.isna(value) else registry.by_id(row["instrument_id"]).level_name(int(row["no_indikator"]), int(value))


levels["tingkat_kematangan"] = levels.apply(level_name, axis=1, col="level")
levels["tingkat_mandiri"] = levels.apply(level_name, axis=1, col="level_mandiri")
below = int((levels["level"] < instrument.target_level).sum())
st.caption(f"{below} dari {len(levels)} indikator di bawah target level {instrument.target_level} ({instrument.nama}). Skala "
           + "; ".join(f"{k}: {' → '.join(v)}" for k, v in instrument.skala.items()) + ".")
cols = ["no_indikator", "nama_indikator", "kode_aspek", "label_aspek", "level", "tingkat_kematangan",
        "level_mandiri", "tingkat_mandiri", "bobot_indikator"]
if levels["level_mandiri"].isna().all():
    cols = [c for c in cols if c not in ("level_mandiri", "tingkat_mandiri")]
display = levels[cols].copy()
for c in ("no_indikator", "level", "level_mandiri"):
    if c in display:
        display[c] = display[c].map(integer)
display["bobot_indikator"] = display["bobot_indikator"].map(num)
display = display.fillna("—").rename(columns={
    "no_indikator": "no", "nama_indikator": "indikator", "kode_aspek": "aspek", "label_aspek": "nama aspek",
    "tingkat_kematangan": "tingkat kematangan", "level_mandiri": "level mandiri",
    "tingkat_mandiri": "tingkat (mandiri)", "bobot_indikator": "bobot (%)"})
widgets.show_table(levels[cols], f"level_indikator_{iid}_{year}", display=display, synthetic=ctx.synthetic,
                   height=460, column_config={"indikator": st.column_config.TextColumn(width="large")})
