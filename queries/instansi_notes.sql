-- Validation notes on one instansi-year's published rows (kept as published, flagged here).
-- grain: one row per note; params: $year, $instansi_id
with

final as (
    select c.kolom, c.nilai, c.alasan, s.nama as sumber,
    from catatan as c
    left join sumber as s using (sumber_id)
    where c.tahun = $year and c.instansi_id = $instansi_id
    order by c.kolom
)

select * from final
