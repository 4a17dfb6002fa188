-- Official reference figures held in the warehouse, per table and cited source, with the years
-- they cover. grain: tabel × sumber; params: none
with

figures as (
    select 'ref_seri_nasional' as tabel, 'Indeks dan domain nasional resmi' as isi, tahun, sumber,
    from ref_seri_nasional
    union all
    select 'ref_rerata_kategori', 'Rerata resmi per kategori (indeks, domain, aspek)', tahun, sumber,
    from ref_rerata_kategori
    union all
    select 'ref_target_nasional', 'Target indeks nasional per tahun', tahun, sumber,
    from ref_target_nasional
),

final as (
    select tabel, isi, sumber,
        min(tahun) as tahun_awal,
        max(tahun) as tahun_akhir,
        count(*) as jumlah_baris,
    from figures
    group by all
    order by tabel, tahun_awal, sumber
)

select * from final
