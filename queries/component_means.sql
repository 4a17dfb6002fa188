-- Recomputed means of the index, each domain and each aspect per roll-up category (and
-- "Nasional" = all instansi), with the official figure where one is published.
-- grain: kategori × komponen; params: $year
with

instansi_scores as (
    select i.instansi_id, i.instrument_id, 'indeks' as komponen, 'Indeks SPBE' as label,
        'indeks' as jenis, 0 as urutan, i.indeks as nilai,
    from indeks as i where i.tahun = $year
    union all
    select d.instansi_id, d.instrument_id, k.kode_domain, k.label_domain, 'domain', 10 + d.no_domain, d.nilai,
    from nilai_domain as d
    join (select distinct instrument_id, no_domain, kode_domain, label_domain from instrumen_indikator) as k
        using (instrument_id, no_domain)
    where d.tahun = $year
    union all
    select a.instansi_id, a.instrument_id, k.kode_aspek, k.label_aspek, 'aspek', 20 + a.no_aspek, a.nilai,
    from nilai_aspek as a
    join (select distinct instrument_id, no_aspek, kode_aspek, label_aspek from instrumen_indikator) as k
        using (instrument_id, no_aspek)
    where a.tahun = $year
),

with_category as (
    select s.*, m.kategori_ringkas as kategori,
    from instansi_scores as s
    join instansi as m using (instansi_id)
    where s.nilai is not null
),

by_category as (
    select kategori, komponen, any_value(label) as label, any_value(jenis) as jenis,
        min(urutan) as urutan, avg(nilai) as nilai, count(*) as jumlah_instansi,
    from with_category group by kategori, komponen
    union all
    select 'Nasional', komponen, any_value(label), any_value(jenis),
        min(urutan), avg(nilai), count(*),
    from with_category group by komponen
),

official as (
    select kategori_ringkas as kategori, komponen, nilai as resmi,
    from ref_rerata_kategori where tahun = $year and kategori_ringkas <> ''
),

final as (
    select
        b.kategori,
        case when b.kategori = 'Nasional' then 0 else coalesce(k.urutan, 999) end as urutan_kategori,
        b.komponen, b.label, b.jenis, b.urutan, b.nilai, b.jumlah_instansi,
        o.resmi,
    from by_category as b
    left join official as o using (kategori, komponen)
    left join kategori as k on k.kategori_ringkas = b.kategori
    order by urutan_kategori, b.urutan
)

select * from final
