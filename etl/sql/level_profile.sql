-- One aggregate pass over the new indicator levels: per instansi-year, what the checks need
-- (row count, bit mask of the indicators present, level range) and the weighted level sums
-- Σ level × bobot_indikator of every aspect. Those are all the scores need (PermenPANRB 59/2020
-- B.4): aspect = its sum / bobot_aspek; domain = Σ aspect × bobot_aspek / bobot_domain = the sum
-- of its aspects' sums / bobot_domain; index = Σ domain × bobot_domain / 100 = the sum of all
-- aspect sums / 100. Weights are exact decimals, scaled to integers by `skala_bobot`
-- (domain.scoring.weight_scale: 1000 × what makes every weight below an integer): the sums are
-- exact integer arithmetic. A row of an aspect that is the mean of its rows (rule 'rerata', e.g.
-- PermenPANRB 5/2018 aspect 7, where a pemda has the sector rows 35, 35-2, 35-3) carries the
-- aspect's weight and the aspect's sum is divided by its row count — the same weights as
-- domain.scoring.row_weights.
-- etl/build.py writes the three marked parts from the instrument registry: each row's weight and
-- aspect (list lookups per instrument: cheaper than a join on 18 M rows), one filtered sum per
-- aspect number (one group per instansi-year, not per aspect), and each domain's and the total
-- sum as additions of aspect sums (per instrument), with the scale `skala_bobot`.
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
