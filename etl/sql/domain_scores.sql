-- Domain values computed from aspect values (B.4 b). grain: tahun × instansi_id × no_domain
-- input views: new_aspects (output of aspect_scores.sql), instrumen_indikator; params: $sid
with

aspect_weights as (
    select distinct instrument_id, no_aspek, bobot_aspek, no_domain, bobot_domain,
    from instrumen_indikator
),

weighted as (
    select
        a.tahun, a.instansi_id, a.instrument_id, w.no_domain,
        sum(a.nilai * w.bobot_aspek) as jumlah,
        any_value(w.bobot_domain) as bobot_domain,
    from new_aspects as a
    join aspect_weights as w
        on w.instrument_id = a.instrument_id and w.no_aspek = a.no_aspek
    group by all
),

final as (
    select tahun, instansi_id, instrument_id, no_domain,
        jumlah / bobot_domain as nilai,
        'dihitung' as asal,
        $sid as sumber_id,
    from weighted
)

select * from final
