"""One definition each (issue 13, item 3): weakest aspect, biggest gap with ties, the two targets."""
from __future__ import annotations

from domain.definitions import (
    Component,
    ambang_baik_label,
    biggest_gap,
    biggest_gap_text,
    components_from,
    domain_points_lost,
    target_nasional_label,
    weakest,
)
from domain.search import rank


def test_weakest_is_the_lowest_value_then_the_most_points_lost():
    cs = [Component("A1", 2.0, 1, poin_hilang=0.010), Component("A2", 2.0, 2, poin_hilang=0.050),
          Component("A3", 2.5, 3, poin_hilang=0.300), Component("A4", 2.004, 4, poin_hilang=0.0)]
    # A3 loses the most points but has the higher value: not weakest; A4 prints as 2,00 = a tie with A1/A2
    assert [c.kode for c in weakest(cs)] == ["A2", "A1", "A4", "A3"]
    assert [c.kode for c in weakest(cs, 2)] == ["A2", "A1"]


def test_weakest_leaves_out_missing_values_and_reads_records():
    rows = [{"kode": "D1", "nilai": 1.5, "urutan": 11}, {"kode": "D2", "nilai": float("nan"), "urutan": 12},
            {"kode": "D3", "nilai": 1.5, "urutan": 13}]
    lost = {"D1": domain_points_lost(1.5, 10, 3), "D3": domain_points_lost(1.5, 25, 3)}
    assert [c.kode for c in weakest(components_from(rows, lost))] == ["D3", "D1"]


def test_biggest_gap_names_a_tie_as_a_tie():
    rows = [(1, 0.0300), (2, 0.03), (3, 0.0299999999), (4, 0.01), (5, 0.0)]
    gap = biggest_gap(rows)
    assert gap.nomor == (1, 2, 3) and gap.tie
    text = biggest_gap_text(gap, {1: "Kebijakan A", 2: "Kebijakan B", 3: "Kebijakan C"})
    assert text.startswith("Kesenjangan terbesar: 3 indikator sama besarnya (masing-masing 0,030 poin)")
    assert "1 Kebijakan A, 2 Kebijakan B, 3 Kebijakan C" in text
    single = biggest_gap([(7, 0.05), (8, 0.02)])
    assert not single.tie and biggest_gap_text(single, {7: "X"}) == "Kesenjangan terbesar: indikator 7 X (0,050 poin)"
    assert biggest_gap([(1, 0.0)]) is None


def test_the_two_targets_have_two_names():
    assert target_nasional_label(2024, 2.85) == "target indeks nasional tahunan 2024 (2,85)"
    assert ambang_baik_label(2.6) == "ambang predikat Baik (2,60)"


def test_search_puts_the_named_instansi_first_and_nothing_unrelated():
    rows = [{"instansi_id": "kab-36.04", "nama": "Pemerintah Kab. Serang", "alias": "Kabupaten Serang", "kode_wilayah": "36.04"},
            {"instansi_id": "kota-36.73", "nama": "Pemerintah Kota Serang", "alias": "", "kode_wilayah": "36.73"},
            {"instansi_id": "kab-36.01", "nama": "Pemerintah Kab. Pandeglang", "alias": "Pemkab Pandeglang",
             "kode_wilayah": "36.01"},
            {"instansi_id": "prov-36", "nama": "Pemerintah Provinsi Banten", "alias": "", "kode_wilayah": "36"},
            {"instansi_id": "kab-32.04", "nama": "Pemerintah Kab. Bandung", "alias": "", "kode_wilayah": "32.04"},
            {"instansi_id": "kab-32.17", "nama": "Pemerintah Kab. Bandung Barat", "alias": "", "kode_wilayah": "32.17"}]
    assert rank("Pandeglang", rows) == ["kab-36.01"]          # fuzzy matching would add 'Pemerintah Kab. Bandung …'
    assert rank("kota serang", rows) == ["kota-36.73"]
    assert rank("36.73", rows) == ["kota-36.73"]
    assert rank("Kabupaten Bandung", rows) == ["kab-32.04", "kab-32.17"]
    assert rank("pemkab pandeglang", rows) == ["kab-36.01"]
    assert rank("", rows) == []
