-- Every source that rows in the published snapshot come from. grain: sumber; params: none
with

final as (
    select sumber_id, nama, jenis, sintetis, berkas, dimuat_pada, jumlah_baris,
    from sumber
    order by dimuat_pada desc
)

select * from final
