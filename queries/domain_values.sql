-- Domain values of every instansi scored in one year, in long form (one row per domain) with the
-- instrument's code and label; pages pivot them by the instrument's domains (no fixed d1..d4).
-- grain: instansi × domain; params: $year
with

labels as (
    select distinct instrument_id, no_domain, kode_domain, label_domain, from instrumen_indikator
),

final as (
    select d.instansi_id, d.instrument_id, d.no_domain, l.kode_domain, l.label_domain, d.nilai,
    from nilai_domain as d
    join labels as l using (instrument_id, no_domain)
    where d.tahun = $year
    order by d.instansi_id, d.no_domain
)

select * from final
