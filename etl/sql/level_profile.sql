-- One aggregate pass over the new indicator levels: per instansi-year, what the checks need
-- (row count, bit mask of the indicators present, level range) and the weighted level sums
-- Σ level × bobot_indikator of every aspect, every domain and the whole instrument. Those are
-- all the scores need (PermenPANRB 59/2020 B.4): aspect = its sum / bobot_aspek; domain =
-- Σ aspect × bobot_aspek / bobot_domain = its sum / bobot_domain; index = Σ domain ×
-- bobot_domain / 100 = total / 100. Weights are exact decimals with at most 3 places (checked
-- when an instrument loads), scaled ×1000 to integers: the sums are exact integer arithmetic.
-- The per-aspect/-domain sums are filtered aggregates, one per aspect/domain number of the
-- instruments (etl/build.py writes them in place of the marker below from the registry):
-- one group per instansi-year instead of one per aspect.
-- grain: tahun × instansi_id × instrument_id; input views: new_levels, instrumen_indikator
with

weights as (
    select instrument_id, no_indikator, no_aspek, no_domain,
        round(bobot_indikator * 1000)::bigint as bobot_milli,
    from instrumen_indikator
)

select
    l.tahun,
    l.instansi_id,
    l.instrument_id,
    count(*) as n,
    bit_or(1::hugeint << l.no_indikator) as present,
    min(l.level) as lo,
    max(l.level) as hi,
    min(l.level_mandiri) as mlo,
    max(l.level_mandiri) as mhi,
    sum(l.level * w.bobot_milli) as jumlah_total,
    /* jumlah per aspek dan domain */
from new_levels as l
left join weights as w
    on w.instrument_id = l.instrument_id
    and w.no_indikator = l.no_indikator
group by l.tahun, l.instansi_id, l.instrument_id
