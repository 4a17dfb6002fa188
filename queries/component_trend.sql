-- Domain and aspect series of chosen instansi, keyed by instrument so that series are never
-- joined across an instrument break. grain: instansi × tahun × jenis × kode; params: $instansi_ids
with

labels as (
    select distinct instrument_id, 'domain' as jenis, no_domain as no, kode_domain as kode, label_domain as label,
    from instrumen_indikator
    union all
    select distinct instrument_id, 'aspek', no_aspek, kode_aspek, label_aspek,
    from instrumen_indikator
),

values_ as (
    select tahun, instansi_id, instrument_id, 'domain' as jenis, no_domain as no, nilai, from nilai_domain
    union all
    select tahun, instansi_id, instrument_id, 'aspek', no_aspek, nilai, from nilai_aspek
),

final as (
    select v.instansi_id, m.nama, v.tahun, v.instrument_id, v.jenis, l.kode, l.label, v.nilai,
    from values_ as v
    join labels as l using (instrument_id, jenis, no)
    join instansi as m using (instansi_id)
    where list_contains($instansi_ids, v.instansi_id) and v.nilai is not null
    order by v.instansi_id, v.jenis, l.kode, v.tahun
)

select * from final
