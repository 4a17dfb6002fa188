-- All instansi scored in one year with index, predikat, domain values and ranks.
-- grain: instansi; params: $year
with

scored as (
    select i.instansi_id, i.instrument_id, i.indeks, i.predikat, i.asal, i.sumber_id,
        m.nama, m.kategori_ringkas as kategori, m.provinsi, m.kode_wilayah,
    from indeks as i
    join instansi as m using (instansi_id)
    where i.tahun = $year and i.indeks is not null
),

domains as (
    select instansi_id,
        max(nilai) filter (where no_domain = 1) as d1,
        max(nilai) filter (where no_domain = 2) as d2,
        max(nilai) filter (where no_domain = 3) as d3,
        max(nilai) filter (where no_domain = 4) as d4,
    from nilai_domain where tahun = $year
    group by all
),

notes as (
    select instansi_id, string_agg(alasan, '; ' order by kolom) as catatan,
    from catatan where tahun = $year
    group by all
),

final as (
    select
        rank() over (order by s.indeks desc) as peringkat,
        rank() over (partition by s.kategori order by s.indeks desc) as peringkat_kategori,
        s.instansi_id, s.nama, s.kategori, s.provinsi, s.kode_wilayah,
        s.indeks, s.predikat, d.d1, d.d2, d.d3, d.d4, s.asal, src.sintetis, n.catatan,
    from scored as s
    left join domains as d using (instansi_id)
    left join notes as n using (instansi_id)
    left join sumber as src using (sumber_id)
    order by s.indeks desc, s.nama
)

select * from final
