-- Domain and aspect values of one instansi in one year next to the recomputed national mean,
-- its roll-up category's mean and (regional governments) its province's kab/kota mean.
-- Aspects exist where indicator levels are known (asal 'dihitung') or a source publishes them
-- (TAUVAL export, asal 'dipublikasikan'); published tables give domains only. resmi_nasional and
-- resmi_kategori: KemenPANRB's own national and category figures for that component, where published.
-- grain: jenis × kode; params: $year, $instansi_id
with

labels as (
    select distinct instrument_id, 'domain' as jenis, no_domain as no, kode_domain as kode,
        label_domain as label, 10 + no_domain as urutan,
    from instrumen_indikator
    union all
    select distinct instrument_id, 'aspek', no_aspek, kode_aspek, label_aspek, 20 + no_aspek,
    from instrumen_indikator
),

values_ as (
    select tahun, instansi_id, instrument_id, 'domain' as jenis, no_domain as no, nilai,
    from nilai_domain where tahun = $year
    union all
    select tahun, instansi_id, instrument_id, 'aspek', no_aspek, nilai,
    from nilai_aspek where tahun = $year
),

with_master as (
    select v.*, m.kategori_ringkas, m.provinsi, m.kelompok, coalesce(k.kab_kota, false) as kab_kota,
    from values_ as v join instansi as m using (instansi_id)
    left join kategori as k using (kategori_ringkas)
    where v.nilai is not null
),

self as (
    select * from with_master where instansi_id = $instansi_id
),

means as (
    select
        self.jenis, self.no,
        avg(w.nilai) as rerata_nasional,
        avg(w.nilai) filter (where w.kategori_ringkas = self.kategori_ringkas) as rerata_kategori,
        avg(w.nilai) filter (where self.kelompok = 'Pemerintah Daerah' and w.provinsi = self.provinsi
                             and w.kab_kota) as rerata_provinsi,
        count(*) as jumlah_nasional,
        count(*) filter (where w.kategori_ringkas = self.kategori_ringkas) as jumlah_kategori,
        count(*) filter (where self.kelompok = 'Pemerintah Daerah' and w.provinsi = self.provinsi
                         and w.kab_kota) as jumlah_provinsi,
    from self
    join with_master as w
        on w.jenis = self.jenis and w.no = self.no and w.instrument_id = self.instrument_id
    group by all
),

final as (
    select
        self.instrument_id, self.jenis, labels.kode, labels.label, labels.urutan,
        self.nilai, means.rerata_nasional, means.rerata_kategori, means.rerata_provinsi,
        means.jumlah_nasional, means.jumlah_kategori, means.jumlah_provinsi,
        nas.nilai as resmi_nasional, kat.nilai as resmi_kategori,
    from self
    join means using (jenis, no)
    join labels using (instrument_id, jenis, no)
    left join ref_seri_nasional as nas on nas.tahun = $year and nas.komponen = labels.kode
    left join ref_rerata_kategori as kat
        on kat.tahun = $year and kat.komponen = labels.kode and kat.kategori_ringkas = self.kategori_ringkas
    order by labels.urutan
)

select * from final
