-- All instansi scored in one year with index, predikat, ranks and validation notes (domain values:
-- domain_values.sql, long form). grain: instansi; params: $year
with

scored as (
    select i.instansi_id, i.instrument_id, i.indeks, i.predikat, i.asal, i.sumber_id,
        m.nama, m.kategori_ringkas as kategori, m.provinsi, m.kode_wilayah,
    from indeks as i
    join instansi as m using (instansi_id)
    where i.tahun = $year and i.indeks is not null
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
        s.indeks, s.predikat, s.asal, src.sintetis, n.catatan,
    from scored as s
    left join notes as n using (instansi_id)
    left join sumber as src using (sumber_id)
    order by s.indeks desc, s.nama
)

select * from final
