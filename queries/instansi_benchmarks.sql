-- One instansi-year's index and domain values against the OFFICIAL national and category figures
-- (KemenPANRB's tables, where the year has them) and the province's kab/kota mean recomputed here.
-- grain: komponen (indeks, then the instrument's domains); params: $year, $instansi_id
with

me as (
    select i.instrument_id, i.indeks, m.kategori_ringkas, m.provinsi, m.kelompok,
    from indeks as i join instansi as m using (instansi_id)
    where i.tahun = $year and i.instansi_id = $instansi_id and i.indeks is not null
),

components as (
    select 'indeks' as komponen, 'Indeks' as label, 0 as urutan, me.indeks as nilai, from me
    union all
    select d.kode_domain, d.kode_domain || ' ' || d.label_domain, d.no_domain, v.nilai,
    from (select distinct instrument_id, no_domain, kode_domain, label_domain, from instrumen_indikator) as d
    join me using (instrument_id)
    left join nilai_domain as v
        on v.tahun = $year and v.instansi_id = $instansi_id and v.no_domain = d.no_domain
),

province_rows as (
    select 'indeks' as komponen, i.instansi_id, i.indeks as nilai,
    from indeks as i join instansi as m using (instansi_id)
    join kategori as k using (kategori_ringkas)
    where i.tahun = $year and k.kab_kota
        and m.provinsi = (select provinsi from me) and i.indeks is not null
    union all
    select d.kode_domain, v.instansi_id, v.nilai,
    from nilai_domain as v
    join (select distinct instrument_id, no_domain, kode_domain, from instrumen_indikator) as d
        using (instrument_id, no_domain)
    join instansi as m using (instansi_id)
    join kategori as k using (kategori_ringkas)
    where v.tahun = $year and k.kab_kota
        and m.provinsi = (select provinsi from me) and v.nilai is not null
),

province as (
    select komponen, avg(nilai) as rerata_provinsi, count(*) as jumlah_provinsi,
    from province_rows group by all
),

official as (
    select r.komponen,
        max(r.nilai) filter (where r.kategori = 'Nasional') as resmi_nasional,
        max(r.nilai) filter (where r.kategori_ringkas = (select kategori_ringkas from me)
                             and r.kategori = r.kategori_ringkas) as resmi_kategori,
    from ref_rerata_kategori as r
    where r.tahun = $year
    group by all
),

national_series as (
    select 'indeks' as komponen, nilai as resmi_seri, from ref_seri_nasional
    where tahun = $year and komponen = 'indeks'
    union all
    select komponen, nilai, from ref_seri_nasional where tahun = $year and komponen <> 'indeks'
),

final as (
    select
        c.komponen, c.label, c.urutan, c.nilai,
        coalesce(s.resmi_seri, o.resmi_nasional) as resmi_nasional,
        o.resmi_kategori,
        case when (select kelompok from me) = 'Pemerintah Daerah' then p.rerata_provinsi end as rerata_provinsi,
        case when (select kelompok from me) = 'Pemerintah Daerah' then p.jumlah_provinsi end as jumlah_provinsi,
    from components as c
    left join official as o using (komponen)
    left join national_series as s using (komponen)
    left join province as p using (komponen)
    order by c.urutan
)

select * from final
