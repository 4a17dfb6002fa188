-- One aggregate pass over the new indicator levels: per instansi-year, what the checks need
-- (row count, bit mask of the indicators present, level range) and the weighted level sums
-- Σ level × bobot_indikator of every aspect. Those are all the scores need (PermenPANRB 59/2020
-- B.4): aspect = its sum / bobot_aspek; domain = Σ aspect × bobot_aspek / bobot_domain = the sum
-- of its aspects' sums / bobot_domain; index = Σ domain × bobot_domain / 100 = the sum of all
-- aspect sums / 100. Weights are exact decimals with at most 3 places (checked when an
-- instrument loads), scaled ×1000 to integers: the sums are exact integer arithmetic.
-- etl/build.py writes the three marked parts from the instrument registry: each indicator's
-- weight and aspect (list lookups per instrument: cheaper than a join on 18 M rows), one filtered
-- sum per aspect number (one group per instansi-year, not per aspect), and each domain's and
-- the total sum as additions of aspect sums (per instrument).
-- grain: tahun × instansi_id × instrument_id; input view: new_levels
with

weighted as (
    select l.tahun, l.instansi_id, l.instrument_id, l.no_indikator, l.level, l.level_mandiri,
        /* bobot dan aspek per indikator */
    from new_levels as l
),

summed as (
    select
        tahun,
        instansi_id,
        instrument_id,
        count(*) as n,
        bit_or(1::hugeint << no_indikator) as present,
        min(level) as lo,
        max(level) as hi,
        min(level_mandiri) as mlo,
        max(level_mandiri) as mhi,
        /* jumlah per aspek */
    from weighted
    group by tahun, instansi_id, instrument_id
)

select
    *,
    /* jumlah per domain dan total */
from summed
