-- Number and share of instansi per predikat within each roll-up category, one year.
-- grain: kategori × predikat; params: $year
with

scored as (
    select m.kategori_ringkas as kategori, i.predikat, i.instrument_id,
    from indeks as i join instansi as m using (instansi_id)
    where i.tahun = $year and i.predikat is not null
),

bands as (
    select distinct p.predikat, p.urutan, from instrumen_predikat as p
    where p.instrument_id = (select any_value(instrument_id) from scored)
),

cells as (
    select k.kategori, b.predikat, b.urutan,
    from (select distinct kategori from scored) as k cross join bands as b
),

counted as (
    select kategori, predikat, count(*) as jumlah, from scored group by all
),

final as (
    select cells.kategori, cells.predikat, cells.urutan,
        coalesce(counted.jumlah, 0) as jumlah,
        100.0 * coalesce(counted.jumlah, 0) / sum(coalesce(counted.jumlah, 0)) over (partition by cells.kategori) as pct,
    from cells left join counted using (kategori, predikat)
    order by cells.kategori, cells.urutan
)

select * from final
