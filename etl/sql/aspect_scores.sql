-- Aspect values computed from indicator levels (PermenPANRB 59/2020 B.4 a): the weighted level
-- sums of level_profile.sql (integer weights × skala_bobot), unpivoted to one row per aspect and
-- divided once by the aspect's weight (× the same scale). Aspects an instrument does not have are
-- null there and dropped.
-- grain: tahun × instansi_id × no_aspek; input views: level_profile, instrumen_indikator; macro: sumber_baru() (etl/build.py)
with

sums as (
    unpivot (select tahun, instansi_id, instrument_id, skala_bobot, columns('^aspek_') from level_profile)
    on columns('^aspek_')
    into name kolom value bobot_kali_level
),

aspect_weights as (
    select distinct instrument_id, no_aspek, round(bobot_aspek * 1000)::bigint as bobot_aspek_milli,
    from instrumen_indikator
),

final as (
    select
        s.tahun, s.instansi_id, s.instrument_id, w.no_aspek,
        s.bobot_kali_level / (w.bobot_aspek_milli * (s.skala_bobot // 1000)) as nilai,
        'dihitung'::asal_t as asal,
        sumber_baru() as sumber_id,
    from sums as s
    join aspect_weights as w
        on w.instrument_id = s.instrument_id
        and w.no_aspek = replace(s.kolom, 'aspek_', '')::integer
)

select * from final
