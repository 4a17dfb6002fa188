-- KemenPANRB's official national aspect means for one year (from the annual reports' / LHE tables),
-- for views that need aspects when the warehouse holds only published domain values.
-- grain: aspect; params: $year
with

final as (
    select komponen as kode, nama_komponen as label, nilai,
        try_cast(regexp_extract(komponen, '(\d+)', 1) as integer) as urutan, sumber,
    from ref_rerata_kategori
    where tahun = $year and kategori = 'Nasional' and komponen like 'A%'
    order by urutan
)

select * from final
