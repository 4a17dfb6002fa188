-- Indeks SPBE and predikat (B.4 c): Σ domain × bobot_domain / 100 = the instansi-year's total
-- weighted level sum / 100 (level_profile.sql, weights × skala_bobot → total / (100 × skala_bobot)).
-- Published values are rounded half-up to 2 decimals, here exactly in integers: hundredths =
-- (2 × total + skala_bobot) // (2 × skala_bobot). The predikat bands the UNROUNDED index, as
-- KemenPANRB does and as domain.instrument.Instrument.predikat decides (batas_bawah <= indeks <
-- batas_atas, the top band closed above): compared exactly as integers, total >= batas × 100 × scale.
-- grain: tahun × instansi_id; input views: level_profile, instrumen_predikat; macro: sumber_baru() (etl/build.py)
with

summed as (
    select tahun, instansi_id, instrument_id, jumlah_total, skala_bobot // 1000 as per_milli,
        ((2 * jumlah_total + skala_bobot) // (2 * skala_bobot)) / 100 as indeks,
    from level_profile
),

banded as (
    select s.*, b.predikat,
    from summed as s
    left join instrumen_predikat as b
        on b.instrument_id = s.instrument_id
        and s.jumlah_total >= round(b.batas_bawah * 100000)::hugeint * s.per_milli
        and (s.jumlah_total < round(b.batas_atas * 100000)::hugeint * s.per_milli or b.urutan = 1)
),

final as (
    select tahun, instansi_id, instrument_id, indeks, predikat,
        'dihitung'::asal_t as asal,
        sumber_baru() as sumber_id,
    from banded
)

select * from final
