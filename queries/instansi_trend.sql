-- Index series of chosen instansi over all years (gaps stay gaps: no row = not evaluated).
-- grain: instansi × tahun; params: $instansi_ids (list of ids)
with

final as (
    select i.instansi_id, m.nama, i.tahun, i.instrument_id, i.indeks, i.predikat, i.asal, s.sintetis,
    from indeks as i
    join instansi as m using (instansi_id)
    left join sumber as s using (sumber_id)
    where list_contains($instansi_ids, i.instansi_id)
    order by i.instansi_id, i.tahun
)

select * from final
