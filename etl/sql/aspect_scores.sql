-- Aspect values computed from indicator levels (PermenPANRB 59/2020 B.4 a).
-- Weights are exact decimals; they are scaled to integers (×1000) so the weighted sums are
-- exact integer arithmetic, then divided once.
-- grain: tahun × instansi_id × no_aspek; input views: new_levels, instrumen_indikator; params: $sid
with

weights as (
    select instrument_id, no_indikator, no_aspek,
        round(bobot_indikator * 1000)::bigint as bobot_milli,
        round(bobot_aspek * 1000)::bigint as bobot_aspek_milli,
    from instrumen_indikator
),

weighted as (
    select
        levels.tahun,
        levels.instansi_id,
        levels.instrument_id,
        weights.no_aspek,
        sum(levels.level * weights.bobot_milli) as bobot_kali_level,
        any_value(weights.bobot_aspek_milli) as bobot_aspek_milli,
    from new_levels as levels
    join weights
        on weights.instrument_id = levels.instrument_id
        and weights.no_indikator = levels.no_indikator
    group by levels.tahun, levels.instansi_id, levels.instrument_id, weights.no_aspek
),

final as (
    select
        tahun, instansi_id, instrument_id, no_aspek,
        bobot_kali_level / bobot_aspek_milli as nilai,
        'dihitung' as asal,
        $sid as sumber_id,
    from weighted
)

select * from final
