-- Recomputed mean index per roll-up category per year. grain: kategori × tahun; params: none
with

final as (
    select m.kategori_ringkas as kategori, i.tahun, avg(i.indeks) as indeks, count(*) as jumlah_instansi,
    from indeks as i
    join instansi as m using (instansi_id)
    where i.indeks is not null
    group by all
    order by kategori, i.tahun
)

select * from final
