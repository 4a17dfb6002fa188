-- Indicator levels of one instansi in one year with names, aspect, maturity and weights.
-- grain: indikator; params: $year, $instansi_id
with

final as (
    select n.no_indikator, ind.nama_indikator, ind.kode_aspek, ind.label_aspek, ind.kode_domain,
        ind.label_domain, ind.skala, n.level, n.level_mandiri, ind.bobot_indikator, n.instrument_id,
    from nilai_indikator as n
    join instrumen_indikator as ind using (instrument_id, no_indikator)
    where n.tahun = $year and n.instansi_id = $instansi_id
    order by n.no_indikator
)

select * from final
