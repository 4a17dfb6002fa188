-- Recomputed mean Indeks SPBE per roll-up category for one year, next to the official figure.
-- grain: one row per kategori of the `kategori` reference table, in its order; params: $year
with

scores as (
    select i.instansi_id, i.indeks, i.instrument_id, m.kategori_ringkas as kategori,
    from indeks as i
    join instansi as m using (instansi_id)
    where i.tahun = $year and i.indeks is not null
),

targets as (
    select instrument_id, target_indeks from instrumen
),

official as (
    select kategori_ringkas as kategori, nilai as resmi,
    from ref_rerata_kategori
    where tahun = $year and komponen = 'indeks'
),

order_ as (
    select kategori_ringkas as kategori, urutan, from kategori
),

aggregated as (
    select
        scores.kategori,
        count(*) as jumlah_instansi,
        avg(scores.indeks) as indeks,
        min(scores.indeks) as indeks_min,
        max(scores.indeks) as indeks_max,
        100.0 * avg(case when scores.indeks >= targets.target_indeks then 1 else 0 end) as baik_pct,
    from scores
    join targets using (instrument_id)
    group by all
),

final as (
    select
        order_.kategori,
        order_.urutan,
        coalesce(aggregated.jumlah_instansi, 0) as jumlah_instansi,
        aggregated.indeks,
        aggregated.indeks_min,
        aggregated.indeks_max,
        aggregated.baik_pct,
        official.resmi,
    from order_
    left join aggregated using (kategori)
    left join official using (kategori)
    order by order_.urutan
)

select * from final
