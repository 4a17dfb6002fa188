-- Aspect values computed from indicator levels (PermenPANRB 59/2020 B.4 a).
-- grain: tahun × instansi_id × no_aspek; input views: new_levels, instrumen_indikator
with

levels as (
    select tahun, instansi_id, instrument_id, no_indikator, level, sumber_id,
    from new_levels
),

weighted as (
    select
        levels.tahun,
        levels.instansi_id,
        levels.instrument_id,
        ind.no_aspek,
        sum(levels.level * ind.bobot_indikator::decimal(9, 3)) as bobot_kali_level,
        any_value(ind.bobot_aspek)::decimal(9, 3) as bobot_aspek,
        any_value(levels.sumber_id) as sumber_id,
    from levels
    join instrumen_indikator as ind
        on ind.instrument_id = levels.instrument_id
        and ind.no_indikator = levels.no_indikator
    group by all
),

final as (
    select
        tahun, instansi_id, instrument_id, no_aspek,
        bobot_kali_level / bobot_aspek as nilai,
        'dihitung' as asal,
        sumber_id,
    from weighted
)

select * from final
