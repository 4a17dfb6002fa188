-- National index per year: the official KemenPANRB figure and, separately, the simple mean
-- recomputed over the instansi in this warehouse, plus the national target where one exists.
-- grain: tahun; params: none
with

official as (
    select tahun, nilai as resmi, from ref_seri_nasional where komponen = 'indeks'
),

recomputed as (
    select tahun, avg(indeks) as dihitung, count(*) as jumlah_instansi, any_value(instrument_id) as instrument_id,
    from indeks where indeks is not null group by tahun
),

years as (
    select tahun from official union select tahun from recomputed
),

final as (
    select years.tahun, recomputed.instrument_id, official.resmi, recomputed.dihitung,
        recomputed.jumlah_instansi, t.target_indeks as target,
    from years
    left join official using (tahun)
    left join recomputed using (tahun)
    left join ref_target_nasional as t using (tahun)
    order by years.tahun
)

select * from final
