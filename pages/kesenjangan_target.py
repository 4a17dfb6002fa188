"""Kesenjangan target: where the instansi under study loses index points against the national targets."""
import streamlit as st

from domain.definitions import ambang_baik_label, biggest_gap, biggest_gap_text, target_nasional_label
from domain.guidance import load_guidance, next_level_requirement
from rendering import charts_gap
from rendering import format as fmt
from rendering.safe_text import md
from ui import data, weakest, widgets

ctx = widgets.bootstrap(
    "Kesenjangan target",
    "Seberapa jauh instansi yang dikaji dari ambang predikat Baik (Indeks SPBE ≥ batas bawah Baik) dan dari "
    "level target per indikator — dan indikator mana yang paling banyak memakan poin indeks.")
profile = data.run("instansi_profile", year=ctx.year, instansi_id=ctx.instansi_id)
if profile.empty:
    me = ctx.instansi[ctx.instansi["instansi_id"] == ctx.instansi_id]
    nama = me["nama"].iloc[0] if len(me) else ctx.instansi_id
    tahun = sorted(int(t) for t in data.run("instansi_trend", instansi_ids=[ctx.instansi_id])["tahun"])
    widgets.empty_state(
        f"{md(nama)} tidak dievaluasi pada {ctx.year}",
        "Tidak ada nilai Indeks SPBE instansi ini untuk tahun tersebut. Tidak dievaluasi berarti tidak ada "
        "nilai — bukan nol — sehingga kesenjangan tidak dapat dihitung.",
        "pilih tahun lain di filter global" + (f" (tahun dengan nilai: {', '.join(map(str, tahun))})" if tahun else "")
        + " atau pilih instansi lain.")
    st.stop()

p = profile.iloc[0]
ins = data.registry().by_id(p.instrument_id)
target_indeks, target_level = float(ins.target_indeks), ins.target_level
gaps = data.run("indicator_gaps", year=ctx.year, instansi_id=ctx.instansi_id)

st.subheader(f"{md(p.nama)} · {ctx.year}")
selisih = float(p.indeks) - target_indeks
c1, c2, c3, c4 = st.columns(4)
c1.metric(f"{ins.nama_indeks} {ctx.year}", fmt.num(p.indeks), help=f"Predikat: {md(p.predikat or fmt.MISSING)}")
c2.metric("Ambang predikat Baik", fmt.num(target_indeks),
          help=f"{ins.nama}: batas bawah predikat {ins.predikat(target_indeks)} — target setiap instansi. Berbeda dari "
               "target indeks nasional tahunan (mis. 2,85 untuk 2024), yang berlaku untuk angka nasional.")
c3.metric("Selisih terhadap ambang Baik", fmt.signed(selisih),
          help="Indeks dikurangi ambang predikat Baik; negatif = di bawah ambang.")
nat = data.run("national_trend").set_index("tahun")
nat_target = nat["target"].get(ctx.year) if "target" in nat else None
st.markdown(f"**{'Sudah mencapai' if selisih >= 0 else 'Belum mencapai'} {ambang_baik_label(target_indeks)}** "
            f"(predikat {md(p.predikat or fmt.MISSING)})."
            + (f" Sebagai pembanding: {target_nasional_label(ctx.year, float(nat_target))}, target untuk angka nasional, "
               "bukan per instansi." if nat_target is not None and nat_target == nat_target else ""))
if len(gaps):
    below = gaps[gaps["kekurangan"] > 0]
    lost = float(below["biaya_indeks"].sum())
    c4.metric(f"Indikator di bawah level {target_level}", f"{len(below)} dari {len(gaps)}",
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
        names = dict(zip(below["no_indikator"].astype(int), below["nama_indikator"].map(charts_gap.short_indicator_name)))
        st.markdown(md(biggest_gap_text(top, names)) + ".")

    guidance = load_guidance(ins.id)
    tab_ind, tab_asp, tab_kat = st.tabs(["Per indikator", "Per aspek", f"Di kategori {md(p.kategori_ringkas)}"])
    with tab_ind:
        widgets.show_chart(lambda: charts_gap.indicator_gap_bars(below, title=f"Poin indeks yang hilang per indikator — {p.nama}, {ctx.year}"),
                           "kesenjangan_indikator", tahun=ctx.year, synthetic=ctx.synthetic, cache=(ctx.instansi_id, ctx.year))
        if below.empty:
            st.success(f"Semua indikator sudah berada di level {target_level} atau lebih.")
        else:
            table = below.assign(
                syarat=[next_level_requirement(guidance, n, lv) or "— (panduan belum tersedia untuk instrumen ini)"
                        for n, lv in zip(below["no_indikator"], below["level"])],
                sekategori=[f"{int(b) - 1} dari {int(k) - 1}"  # the instansi itself is one of them
                            for b, k in zip(below["jumlah_di_bawah_target"], below["jumlah_kategori"])],
            )[["no_indikator", "nama_indikator", "kode_aspek", "level", "kekurangan", "bobot_indikator",
               "biaya_indeks", "sekategori", "syarat"]]
            display = table.assign(
                nama_indikator=table["nama_indikator"].map(charts_gap.short_indicator_name),
                bobot_indikator=table["bobot_indikator"].map(fmt.num),
                biaya_indeks=table["biaya_indeks"].map(lambda v: fmt.num(v, 3)),
            ).rename(columns={
                "no_indikator": "No", "nama_indikator": "Indikator", "kode_aspek": "Aspek",
                "level": "Level", "kekurangan": f"Kurang ke {target_level}", "bobot_indikator": "Bobot (%)",
                "biaya_indeks": "Poin indeks", "sekategori": f"{p.kategori_ringkas} lain di bawah target",
                "syarat": "Syarat level berikutnya (ringkasan PermenPANRB, bukan teks hukum)"})
            widgets.show_table(table, "kesenjangan_indikator", display=display, synthetic=ctx.synthetic,
                               column_config={display.columns[-1]: st.column_config.TextColumn(width="large"),
                                              "Indikator": st.column_config.TextColumn(width="medium")})
            st.caption("Syarat level berikutnya: parafrase kriteria tingkat kematangan dari lampiran PermenPANRB; "
                       "untuk penilaian selalu rujuk peraturannya.")
    with tab_asp:
        aspects = charts_gap.gaps_by_aspect(gaps)
        line = weakest.weakest_text(data.run("instansi_components", year=ctx.year, instansi_id=ctx.instansi_id), gaps, ins)
        if line:
            st.markdown(line + " Grafik di bawah mengurutkan aspek menurut **poin indeks yang hilang**, ukuran yang "
                        "berbeda.")
        widgets.show_chart(lambda: charts_gap.aspect_gap_bars(aspects, title=f"Poin indeks yang hilang per aspek — {p.nama}, {ctx.year}"),
                           "kesenjangan_aspek", tahun=ctx.year, synthetic=ctx.synthetic, cache=(ctx.instansi_id, ctx.year))
        widgets.show_table(aspects, "kesenjangan_aspek", synthetic=ctx.synthetic, display=aspects.assign(
            biaya_indeks=aspects["biaya_indeks"].map(lambda v: fmt.num(v, 3)),
            rerata_level=aspects["rerata_level"].map(fmt.num)).rename(columns={
                "kode_aspek": "Aspek", "label_aspek": "Nama aspek", "kode_domain": "Domain", "label_domain": "Nama domain",
                "biaya_indeks": "Poin indeks", "jumlah_di_bawah_target": "Indikator di bawah target",
                "jumlah_indikator": "Jumlah indikator", "rerata_level": "Rerata level"}))
    with tab_kat:
        cat = data.run("category_indicator_gaps", year=ctx.year, kategori=p.kategori_ringkas)
        own = set(int(n) for n in below["no_indikator"])
        widgets.show_chart(lambda: charts_gap.category_gap_share_bars(cat, kategori=p.kategori_ringkas, own_gaps=own),
                           "kesenjangan_kategori", tahun=ctx.year, synthetic=ctx.synthetic, cache=(ctx.instansi_id, ctx.year))
        st.caption(f"Bagian instansi kategori {md(p.kategori_ringkas)} ({ctx.year}) yang levelnya di bawah {target_level} "
                   "per indikator; angka di ujung batang = jumlah instansi di bawah target / jumlah instansi.")
else:
    domains = data.run("domain_gaps", year=ctx.year, instansi_id=ctx.instansi_id)
    if domains.empty:
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
    absent = [f"{d.kode} {d.label}" for d in ins.domains if d.kode not in set(domains["kode_domain"])]
    if absent:
        st.caption(f"Tidak ada nilai untuk {', '.join(absent)} (kosong di sumber) — tidak dihitung sebagai 0.")
    odd = domains[(domains["nilai"] < ins.level_min) | (domains["nilai"] > ins.level_max)]
    implied = float((domains["nilai"] * domains["bobot_domain"]).sum() / 100)
    if len(odd) or (not absent and abs(implied - float(p.indeks)) > 0.015):
        st.warning("**Periksa data sumber:** " + " ".join(
            [f"{r.kode_domain} = {fmt.num(r.nilai)} di luar skala {ins.level_min}–{ins.level_max}." for r in odd.itertuples()]
            + ([f"Indeks {fmt.num(p.indeks)} tidak cocok dengan Σ nilai domain × bobot = {fmt.num(implied)}."]
               if not absent and abs(implied - float(p.indeks)) > 0.015 else [])
            + ["Kesenjangan di bawah dihitung dari nilai apa adanya, tanpa dikoreksi."]), icon=":material/warning:")
    widgets.show_chart(lambda: charts_gap.domain_gap_bars(domains, title=f"Poin indeks yang hilang per domain — {p.nama}, {ctx.year}"),
                       "kesenjangan_domain", tahun=ctx.year, synthetic=ctx.synthetic, cache=(ctx.instansi_id, ctx.year))
    shown = domains[["kode_domain", "label_domain", "nilai", "target_level", "kekurangan", "bobot_domain",
                     "biaya_indeks", "jumlah_di_bawah_target", "jumlah_kategori", "rerata_kategori"]]
    widgets.show_table(shown, "kesenjangan_domain", synthetic=ctx.synthetic, display=shown.assign(
        biaya_indeks=shown["biaya_indeks"].map(lambda v: fmt.num(v, 3)),
        **{c: shown[c].map(fmt.num) for c in ("nilai", "kekurangan", "bobot_domain", "rerata_kategori")},
    ).rename(columns={
        "kode_domain": "Domain", "label_domain": "Nama domain", "nilai": "Nilai", "target_level": "Target",
        "kekurangan": "Kurang", "bobot_domain": "Bobot (%)", "biaya_indeks": "Poin indeks",
        "jumlah_di_bawah_target": f"{p.kategori_ringkas} di bawah target", "jumlah_kategori": f"Jumlah {p.kategori_ringkas}",
        "rerata_kategori": f"Rerata {p.kategori_ringkas} (dihitung ulang)"}))
