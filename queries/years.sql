-- Years present in the warehouse with their instrument, instansi count and whether any row of
-- the year is synthetic. grain: tahun; params: none
with

final as (
    select i.tahun, any_value(i.instrument_id) as instrument_id, count(*) as jumlah_instansi,
        bool_or(coalesce(s.sintetis, false)) as ada_sintetis,
        count(*) filter (where s.sintetis) as jumlah_sintetis,
    from indeks as i left join sumber as s using (sumber_id)
    group by i.tahun
    order by i.tahun
)

select * from final
