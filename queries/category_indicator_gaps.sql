-- For one roll-up category and year: per indicator, how many instansi are below the target
-- level and what closing those gaps would add to the category's mean index.
-- grain: indikator; params: $year, $kategori
with

levels as (
    select n.instansi_id, n.instrument_id, n.no_indikator, n.level,
    from nilai_indikator as n
    join instansi as m using (instansi_id)
    where n.tahun = $year and m.kategori_ringkas = $kategori
),

final as (
    select
        l.no_indikator, ind.nama_indikator, ind.kode_aspek, ind.label_aspek,
        any_value(i.target_level) as target_level,
        count(*) as jumlah_instansi,
        count(*) filter (where l.level < i.target_level) as jumlah_di_bawah_target,
        100.0 * count(*) filter (where l.level < i.target_level) / count(*) as di_bawah_target_pct,
        avg(l.level) as rerata_level,
        avg(greatest(i.target_level - l.level, 0) * ind.bobot_indikator / 100) as rerata_biaya_indeks,
    from levels as l
    join instrumen_indikator as ind using (instrument_id, no_indikator)
    join instrumen as i using (instrument_id)
    group by all
    order by rerata_biaya_indeks desc, l.no_indikator
)

select * from final
