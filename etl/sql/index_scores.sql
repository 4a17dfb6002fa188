-- Indeks SPBE and predikat computed from domain values (B.4 c); published values are rounded
-- half-up to 2 decimals (the 1e-9 guards binary floating error; all values are positive) and
-- the predikat follows the rounded index through the instrument's bands.
-- grain: tahun × instansi_id; input views: new_domains, instrumen_indikator, instrumen_predikat; params: $sid
with

domain_weights as (
    select distinct instrument_id, no_domain, bobot_domain,
    from instrumen_indikator
),

summed as (
    select d.tahun, d.instansi_id, d.instrument_id,
        round(sum(d.nilai * w.bobot_domain) / 100 + 1e-9, 2) as indeks,
    from new_domains as d
    join domain_weights as w
        on w.instrument_id = d.instrument_id and w.no_domain = d.no_domain
    group by all
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
        'dihitung' as asal,
        $sid as sumber_id,
    from banded
)

select * from final
