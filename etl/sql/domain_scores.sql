-- Domain values (B.4 b): Σ aspect × bobot_aspek / bobot_domain, which is the domain's weighted
-- level sum from level_profile.sql (integer weights × skala_bobot) divided once by bobot_domain
-- (× the same scale).
-- grain: tahun × instansi_id × no_domain; input views: level_profile, instrumen_indikator; macro: sumber_baru() (etl/build.py)
with

sums as (
    unpivot (select tahun, instansi_id, instrument_id, skala_bobot, columns('^domain_') from level_profile)
    on columns('^domain_')
    into name kolom value bobot_kali_level
),

domain_weights as (
    select distinct instrument_id, no_domain, round(bobot_domain * 1000)::bigint as bobot_domain_milli,
    from instrumen_indikator
),

final as (
    select
        s.tahun, s.instansi_id, s.instrument_id, w.no_domain,
        s.bobot_kali_level / (w.bobot_domain_milli * (s.skala_bobot // 1000)) as nilai,
        'dihitung'::asal_t as asal,
        sumber_baru() as sumber_id,
    from sums as s
    join domain_weights as w
        on w.instrument_id = s.instrument_id
        and w.no_domain = replace(s.kolom, 'domain_', '')::integer
)

select * from final
