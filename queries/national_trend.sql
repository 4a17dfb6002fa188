-- National index per year: the official KemenPANRB figure and, separately, the simple mean
-- recomputed over the instansi in this warehouse, plus the national target where one exists.
-- Where another official document prints a different national figure for the same year (2022:
-- 2,34 in the 2024 report's series, 2,35 in that year's LHE tables), both appear with their sources.
-- grain: tahun; params: none
with

official as (
    select tahun, nilai as resmi, sumber as sumber_resmi, from ref_seri_nasional where komponen = 'indeks'
),

other_official as (
    select tahun, nilai as resmi_lain, sumber as sumber_lain,
    from ref_rerata_kategori where kategori = 'Nasional' and komponen = 'indeks'
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
        recomputed.jumlah_instansi, t.target_indeks as target, official.sumber_resmi,
        case when o.resmi_lain <> official.resmi then o.resmi_lain end as resmi_lain,
        case when o.resmi_lain <> official.resmi then o.sumber_lain end as sumber_lain,
    from years
    left join official using (tahun)
    left join other_official as o using (tahun)
    left join recomputed using (tahun)
    left join ref_target_nasional as t using (tahun)
    order by years.tahun
)

select * from final
