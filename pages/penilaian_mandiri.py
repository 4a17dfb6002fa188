"""Penilaian mandiri & rencana: an analyst's own LHE or indicator levels (private to the browser
session), scored next to national/category means, gaps with next-level requirements, self vs
final, and a least-effort RPJMD plan to yearly targets (domain.planner) with a what-if mode."""
import pandas as pd
import streamlit as st

from domain.guidance import load_guidance
from domain.planner import what_if
from rendering import charts, charts_plan
from rendering import format as fmt
from rendering.safe_text import md
from ui import data, plan_panel, public, state, upload, widgets

ctx = widgets.bootstrap("Penilaian mandiri & rencana", "Unggah LHE atau hasil penilaian mandiri satu instansi: dinilai "
                        "dengan aturan yang sama dengan impor data, dibandingkan, lalu direncanakan menuju target RPJMD.")
registry, lst = data.registry(), ctx.instansi
if public.enabled():
    st.caption("Mode publik, hanya-baca: berkas unggahan dinilai di sesi ini saja, tidak pernah diterbitkan ke gudang "
               "data, dan dibuang dari server bersama unduhan yang dibuat darinya setelah sesi berakhir.")
upload.upload_panel(lst, registry, ctx.year, ctx.instansi_id)

result = upload.current_result()
if result is None:
    widgets.empty_state("Belum ada penilaian yang diunggah",
                        "Level per indikator satu instansi tidak dipublikasikan; adanya di LHE instansi itu atau di "
                        "catatan penilaian mandirinya.",
                        "unggah LHE (teks atau PDF) atau isi templat level indikator (CSV/XLSX, satu baris per "
                        "indikator; kolom `level_mandiri` opsional) di bagian *Unggah berkas* di atas.")
    st.stop()
if not result.ok:
    cli = "" if public.enabled() else " (`python -m etl import`)"  # public mode: no hint at a command that writes
    st.error(f"**{md(result.berkas)} ditolak** — diperiksa dengan aturan yang sama dengan impor data{cli}. "
             f"{md(result.reason or '', missing='')}", icon=":material/block:")
    if result.text:
        st.code(result.text, language=None)
    st.stop()
if result.reason:  # several files, some refused: the accepted ones are used
    st.warning(f"**Sebagian berkas ditolak** — {md(result.reason)}", icon=":material/block:")
if len(result.assessments) > 1:
    st.selectbox("Unggahan memuat beberapa instansi/tahun (semua dipakai di setiap halaman); tampilkan di sini",
                 range(len(result.assessments)), format_func=lambda i: result.assessments[i].label, key=upload.CHOICE_KEY)
a = upload.active_upload()
if st.session_state.get("pm_dikaji") != (a.instansi_id, int(a.tahun)):  # a new upload (or another one shown):
    st.session_state["pm_dikaji"] = (a.instansi_id, int(a.tahun))     # every page studies it from now on
    if (state.instansi(), state.year()) != (a.instansi_id, int(a.tahun)):
        state.set_instansi(a.instansi_id)
        state.set_year(int(a.tahun))
        st.rerun()
ins, guidance = registry.by_id(a.instrument_id), load_guidance(a.instrument_id)
sc = upload.scores(a, ins)
gaps = upload.gap_table(a, ins, guidance)
st.subheader(f"{md(a.nama)} · {a.tahun}")
st.caption("Instansi dan tahun unggahan yang ditampilkan menjadi *Instansi yang dikaji* dan *Tahun evaluasi* di panel "
           "samping, jadi halaman lain langsung menampilkannya; ubah di panel samping untuk mengkaji instansi lain.")
m1, m2, m3 = st.columns(3)
with m1:
    widgets.metric(f"Indeks SPBE {a.tahun} (dihitung dari unggahan)", sc.indeks,
                   help=f"{ins.nama}; berkas {md(a.berkas)} ({md(a.format)}): {a.sumber}")
with m2:
    st.markdown("Predikat")
    widgets.predikat_badge(sc.predikat)
m3.metric(f"Indikator di bawah level {ins.target_level}", f"{len(gaps)} dari {len(a.levels)}")
if result.warnings:
    with st.expander(f"{result.warnings} peringatan pemeriksaan berkas"):
        st.code(result.text, language=None)

t_prof, t_gap, t_self, t_plan, t_sim = st.tabs(["Profil & perbandingan", "Kesenjangan", "Mandiri vs final",
                                                 "Rencana RPJMD", "Simulasi"])
with t_prof:
    years = data.run("years")
    my = upload.means_year(a, [int(y) for y in years["tahun"]], registry)
    comp = upload.components(a, ins, data.run("component_means", year=my) if my else None)
    synth = bool(years.loc[years["tahun"] == my, "ada_sintetis"].any()) if my else False
    st.caption(f"Rata-rata nasional dan {md(a.kategori_ringkas or 'kategori')} (dihitung ulang dari gudang data) tahun {my}"
               + ("" if my == a.tahun else f" — tahun {a.tahun} tidak ada di gudang data untuk {ins.nama}")
               if my else "Gudang data belum memuat tahun dengan instrumen ini; rata-rata tidak ditampilkan.")
    shown = comp[comp["jenis"] == "aspek"]
    fig = charts.profile_radar(shown, a.nama, kategori=a.kategori_ringkas or "kategori", instrument=ins.nama, tahun=a.tahun)
    widgets.show_chart(fig, f"profil_unggahan_{a.tahun}", synthetic=synth, key="pm_radar",
                       source=f"Unggahan {a.berkas}; rata-rata: gudang data {my or '—'}" + (" (SINTETIS)" if synth else ""))
    table = comp.assign(selisih_kategori=comp["nilai"] - comp["rerata_kategori"])
    widgets.show_table(table.drop(columns=["instrument_id", "urutan"]), "perbandingan_unggahan", display=fmt.format_frame(
        table[["jenis", "kode", "label", "nilai", "rerata_nasional", "rerata_kategori", "selisih_kategori"]]).rename(columns={
            "nilai": "unggahan", "rerata_nasional": "rata-rata nasional", "rerata_kategori": f"rata-rata {a.kategori_ringkas}",
            "selisih_kategori": "selisih thd kategori"}), synthetic=synth)
with t_gap:
    if gaps.empty:
        st.success(f"Semua indikator sudah berada di level {ins.target_level} atau lebih.")
    else:
        st.markdown(f"Indikator di bawah level {ins.target_level} memakan **{fmt.num(gaps['biaya_indeks'].sum(), 3)} poin** "
                    f"indeks (kekurangan level × bobot / 100).")
        widgets.show_chart(charts_plan.hbars(gaps, value="biaya_indeks", title=f"Poin indeks yang hilang — {a.nama} {a.tahun}",
                                             xaxis_title="Poin indeks"), "kesenjangan_unggahan", source=f"Unggahan {a.berkas}")
        widgets.show_table(gaps, "kesenjangan_unggahan", display=upload.display_frame(gaps),
                           column_config={upload.DISPLAY_NAMES["syarat"]: st.column_config.TextColumn(width="large")})
with t_self:
    diff = upload.self_vs_final(a, ins)
    if not a.mandiri:
        st.info("Berkas ini tidak memuat level penilaian mandiri (kolom `level_mandiri`): tidak ada yang dibandingkan.")
    else:
        mand = upload.scores(a, ins, mandiri=True)
        k1, k2, k3 = st.columns(3)
        k1.metric("Indeks menurut level final", fmt.num(sc.indeks), help=sc.predikat)
        k2.metric("Indeks menurut penilaian mandiri", fmt.num(mand.indeks), help=mand.predikat)
        k3.metric("Selisih (mandiri − final)", fmt.signed(diff["selisih_indeks"].sum(), 3),
                  help="Σ (level mandiri − level final) × bobot / 100")
        st.caption(f"{len(diff)} indikator berbeda; indikator tanpa level mandiri dihitung dengan level finalnya.")
        if len(diff):
            widgets.show_chart(charts_plan.hbars(diff, value="selisih_indeks", signed_values=True, xaxis_title="Poin indeks",
                                                 title="Selisih penilaian mandiri terhadap final"), "mandiri_vs_final",
                               source=f"Unggahan {a.berkas}")
            widgets.show_table(diff, "mandiri_vs_final", display=upload.display_frame(diff))
with t_plan:
    plan_panel.plan_tab(a, ins, sc, guidance)
with t_sim:
    st.markdown("Ubah level indikator dan lihat indeks serta predikat bergerak (tidak disimpan ke mana pun).")
    sim = st.data_editor(pd.DataFrame({"no": ins.indicator_numbers, "indikator": [i.nama for i in ins.indicators],
                                       "level": [a.levels[n] for n in ins.indicator_numbers]}), hide_index=True, key="pm_simulasi",
                         disabled=["no", "indikator"], column_config={"level": st.column_config.NumberColumn(
                             "Level", min_value=ins.level_min, max_value=ins.level_max, step=1)})
    after = what_if(ins, a.levels, {int(n): int(v) for n, v in zip(sim["no"], sim["level"].fillna(0)) if v})
    s1, s2 = st.columns(2)
    s1.metric("Indeks simulasi", fmt.num(after.indeks), delta=fmt.signed(after.indeks - sc.indeks))
    s2.metric("Predikat simulasi", after.predikat, delta=None if after.predikat == sc.predikat else f"dari {sc.predikat}")
    widgets.show_chart(charts_plan.domain_compare(ins, sc.domain, after.domain, labels=("Unggahan", "Simulasi"),
                                                  title="Nilai domain: unggahan vs simulasi"), "simulasi_domain", source=f"Unggahan {a.berkas}")
