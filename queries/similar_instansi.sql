-- The instansi whose domain profile is closest to one instansi in one year: Euclidean distance
-- over the domain values (same instrument, only instansi with every domain the instansi has),
-- the instansi itself first (jarak 0), then the 10 nearest (their domain values: domain_values.sql).
-- grain: instansi; params: $year, $instansi_id
with

domains as (
    select instansi_id, instrument_id, no_domain, nilai,
    from nilai_domain
    where tahun = $year and nilai is not null
),

self as (
    select * from domains where instansi_id = $instansi_id
),

distances as (
    select
        o.instansi_id,
        sqrt(sum((o.nilai - s.nilai) * (o.nilai - s.nilai))) as jarak,
    from domains as o
    join self as s using (instrument_id, no_domain)
    group by all
    having count(*) = (select count(*) from self)
),

final as (
    select
        d.instansi_id, m.nama, m.kategori_ringkas as kategori, m.provinsi,
        i.indeks, i.predikat, d.jarak,
        d.instansi_id = $instansi_id as adalah_instansi,
    from distances as d
    join instansi as m using (instansi_id)
    left join indeks as i on i.instansi_id = d.instansi_id and i.tahun = $year
    order by adalah_instansi desc, d.jarak, m.nama
    limit 11
)

select * from final
