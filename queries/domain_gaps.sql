-- Domain values of one instansi in one year against the target level, with the index points
-- each shortfall costs ((target − nilai) × bobot domain / 100) and how many instansi of the same
-- roll-up category are below the target on that domain. Used where only domain values exist.
-- grain: domain; params: $year, $instansi_id
with

domains as (
    select d.instansi_id, d.instrument_id, d.no_domain, d.nilai, d.asal, m.kategori_ringkas,
    from nilai_domain as d
    join instansi as m using (instansi_id)
    where d.tahun = $year and d.nilai is not null
),

self as (
    select * from domains where instansi_id = $instansi_id
),

weights as (
    select distinct instrument_id, no_domain, kode_domain, label_domain, nama_domain, bobot_domain,
    from instrumen_indikator
),

peers as (
    select
        d.no_domain,
        count(*) as jumlah_kategori,
        count(*) filter (where d.nilai < i.target_level) as jumlah_di_bawah_target,
        avg(d.nilai) as rerata_kategori,
    from domains as d
    join instrumen as i using (instrument_id)
    where d.kategori_ringkas = (select any_value(kategori_ringkas) from self)
    group by all
),

final as (
    select
        self.no_domain, w.kode_domain, w.label_domain, w.nama_domain, self.nilai, self.asal,
        i.target_level,
        greatest(i.target_level - self.nilai, 0) as kekurangan,
        w.bobot_domain,
        greatest(i.target_level - self.nilai, 0) * w.bobot_domain / 100 as biaya_indeks,
        peers.jumlah_di_bawah_target, peers.jumlah_kategori,
        100.0 * peers.jumlah_di_bawah_target / peers.jumlah_kategori as di_bawah_target_pct,
        peers.rerata_kategori,
    from self
    join weights as w using (instrument_id, no_domain)
    join instrumen as i using (instrument_id)
    join peers using (no_domain)
    order by biaya_indeks desc, self.no_domain
)

select * from final
