-- Per province: the provincial government's index and the mean of its kab/kota, one year.
-- grain: provinsi; params: $year
with

scored as (
    select m.kode_provinsi, m.provinsi, m.kategori_ringkas, coalesce(k.kab_kota, false) as kab_kota, i.indeks,
    from indeks as i join instansi as m using (instansi_id)
    left join kategori as k using (kategori_ringkas)
    where i.tahun = $year and i.indeks is not null and m.kelompok = 'Pemerintah Daerah'
),

provinces as (
    select distinct kode_provinsi, provinsi from instansi where kategori_ringkas = 'Provinsi'
),

final as (
    select p.kode_provinsi, p.provinsi,
        max(s.indeks) filter (where s.kategori_ringkas = 'Provinsi') as indeks_pemprov,
        avg(s.indeks) filter (where s.kab_kota) as rerata_kabkota,
        count(s.indeks) filter (where s.kab_kota) as jumlah_kabkota,
    from provinces as p
    left join scored as s using (kode_provinsi)
    group by all
    order by p.kode_provinsi
)

select * from final
