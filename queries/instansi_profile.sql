-- One instansi in one year: index, predikat, change vs its previous evaluated year, rank in
-- its roll-up category and among the regional governments of its province, provenance.
-- grain: one row (none when the instansi has no score that year); params: $year, $instansi_id
with

scored as (
    select i.*, m.nama, m.kategori, m.kategori_ringkas, m.kelompok, m.provinsi, m.kode_wilayah,
    from indeks as i
    join instansi as m using (instansi_id)
    where i.tahun = $year and i.indeks is not null
),

ranked as (
    select *,
        rank() over (partition by kategori_ringkas order by indeks desc) as peringkat_kategori,
        count(*) over (partition by kategori_ringkas) as jumlah_kategori,
        case when provinsi is not null then rank() over (partition by provinsi order by indeks desc) end as peringkat_provinsi,
        case when provinsi is not null then count(*) over (partition by provinsi) end as jumlah_provinsi,
        rank() over (order by indeks desc) as peringkat_nasional,
        count(*) over () as jumlah_nasional,
    from scored
),

previous as (
    select tahun as tahun_sebelumnya, indeks as indeks_sebelumnya, predikat as predikat_sebelumnya,
    from indeks
    where instansi_id = $instansi_id and tahun < $year and indeks is not null
    order by tahun desc
    limit 1
),

final as (
    select
        r.instansi_id, r.nama, r.kelompok, r.kategori, r.kategori_ringkas, r.provinsi, r.kode_wilayah,
        r.tahun, r.instrument_id, r.indeks, r.predikat, r.asal,
        p.tahun_sebelumnya, p.indeks_sebelumnya, p.predikat_sebelumnya,
        r.indeks - p.indeks_sebelumnya as selisih,
        r.peringkat_kategori, r.jumlah_kategori, r.peringkat_provinsi, r.jumlah_provinsi,
        r.peringkat_nasional, r.jumlah_nasional,
        s.nama as sumber, s.sintetis,
    from ranked as r
    left join previous as p on true
    left join sumber as s using (sumber_id)
    where r.instansi_id = $instansi_id
)

select * from final
