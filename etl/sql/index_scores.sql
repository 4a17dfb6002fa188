-- Indeks SPBE and predikat (B.4 c): Σ domain × bobot_domain / 100 = the instansi-year's total
-- weighted level sum / 100 (level_profile.sql, weights ×1000 → total / 100 000). Published
-- values are rounded half-up to 2 decimals, here exactly in integers: (total + 500) // 1000
-- hundredths. The predikat follows the rounded index through the instrument's bands.
-- grain: tahun × instansi_id; input views: level_profile, instrumen_predikat; macro: sumber_baru() (etl/build.py)
with

summed as (
    select tahun, instansi_id, instrument_id,
        ((jumlah_total + 500) // 1000) / 100 as indeks,
    from level_profile
),

banded as (
    select s.*, b.predikat,
    from summed as s
    left join instrumen_predikat as b
        on b.instrument_id = s.instrument_id
        and s.indeks >= b.batas_bawah
        and (s.indeks < b.batas_atas or b.urutan = 1)
),

final as (
    select tahun, instansi_id, instrument_id, indeks, predikat,
        'dihitung'::asal_t as asal,
        sumber_baru() as sumber_id,
    from banded
)

select * from final
