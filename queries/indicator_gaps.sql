-- Indicator levels of one instansi in one year against the target level, with the index points
-- each gap costs (gap × bobot / 100) and how many instansi of the same category share it.
-- grain: indikator; params: $year, $instansi_id
with

levels as (
    select n.instansi_id, n.instrument_id, n.no_indikator, n.level, n.level_mandiri, m.kategori_ringkas,
    from nilai_indikator as n
    join instansi as m using (instansi_id)
    where n.tahun = $year
),

self as (
    select * from levels where instansi_id = $instansi_id
),

peers as (
    select
        l.no_indikator,
        count(*) as jumlah_kategori,
        count(*) filter (where l.level < i.target_level) as jumlah_di_bawah_target,
        avg(l.level) as rerata_level_kategori,
    from levels as l
    join instrumen as i using (instrument_id)
    where l.kategori_ringkas = (select any_value(kategori_ringkas) from self)
    group by all
),

final as (
    select
        self.no_indikator, ind.nama_indikator, ind.kode_aspek, ind.label_aspek, ind.kode_domain,
        ind.label_domain, self.level, self.level_mandiri, i.target_level,
        greatest(i.target_level - self.level, 0) as kekurangan,
        ind.bobot_indikator,
        greatest(i.target_level - self.level, 0) * ind.bobot_indikator / 100 as biaya_indeks,
        case when self.level < i.level_max then ind.bobot_indikator / 100 end as naik_satu_level,
        peers.jumlah_di_bawah_target, peers.jumlah_kategori,
        100.0 * peers.jumlah_di_bawah_target / peers.jumlah_kategori as di_bawah_target_pct,
        peers.rerata_level_kategori,
    from self
    join instrumen_indikator as ind using (instrument_id, no_indikator)
    join instrumen as i using (instrument_id)
    join peers using (no_indikator)
    order by biaya_indeks desc, ind.bobot_indikator desc, self.no_indikator
)

select * from final
