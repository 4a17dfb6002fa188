-- Every instansi with a score in the warehouse, for search (name, alias, region code).
-- grain: instansi; params: none
with

years as (
    select instansi_id, min(tahun) as tahun_pertama, max(tahun) as tahun_terakhir, count(*) as jumlah_tahun,
    from indeks group by all
),

final as (
    select
        m.instansi_id, m.nama, array_to_string(m.alias, ' | ') as alias, m.kelompok,
        m.kategori, m.kategori_ringkas, m.provinsi, m.kode_wilayah,
        y.tahun_pertama, y.tahun_terakhir, y.jumlah_tahun,
    from instansi as m
    join years as y using (instansi_id)
    order by m.kelompok desc, m.kategori_ringkas, m.nama
)

select * from final
