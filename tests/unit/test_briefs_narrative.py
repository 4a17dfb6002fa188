"""briefs.narrative: the words (di atas / di bawah / sama dengan, naik / turun / tetap) follow the
numbers as printed (half-up, 2 decimals), never a differently rounded copy of them."""
import pandas as pd

from briefs import narrative
from briefs.narrative import compose
from domain.instrument import load_registry


def test_comparison_uses_the_values_it_prints():
    # 2.684 and 2.675 both print as '2,68'; round() made 2.675 → 2.67 and wrote "2,68 di atas 2,68"
    assert narrative._rel(2.684, 2.675) == "sama dengan"
    assert narrative._rel(2.675, 2.68) == "sama dengan"      # round() said "di bawah"
    assert narrative._rel(2.685, 2.68) == "di atas"          # prints 2,69; round() said "sama dengan"
    assert narrative._rel(2.6749, 2.68) == "di bawah"


def _compose(indeks: float, kategori_resmi: float, selisih: float):
    registry = load_registry()
    instrument = registry.for_year(2024)
    profile = pd.Series({
        "tahun": 2024, "nama": "Pemerintah Kota Contoh", "kategori_ringkas": "Kota", "indeks": indeks,
        "predikat": "Baik", "tahun_sebelumnya": 2023, "indeks_sebelumnya": indeks - selisih, "selisih": selisih,
        "predikat_sebelumnya": "Baik", "peringkat_kategori": 5, "jumlah_kategori": 93,
        "peringkat_provinsi": None, "provinsi": None, "jumlah_provinsi": None,
    })
    empty = pd.DataFrame({"jenis": [], "nilai": [], "urutan": [], "label": [], "rerata_kategori": []})
    return compose(profile=profile, components=empty,
                   trend=pd.DataFrame({"tahun": [2023, 2024], "instrument_id": [instrument.id] * 2}),
                   national=pd.DataFrame({"tahun": [2024], "target": [None], "resmi": [None]}),
                   categories=pd.DataFrame({"kategori": ["Kota"], "resmi": [kategori_resmi], "indeks": [None],
                                            "jumlah_instansi": [93]}),
                   gaps=pd.DataFrame(), instrument=instrument, registry=registry, has_indicators=False)


def test_brief_never_writes_a_number_above_itself():
    text = _compose(2.684, 2.675, 0.1).paragraphs[0]
    assert "2,68 (Baik), sama dengan rata-rata kota 2,68" in text
    assert "di atas" not in text


def test_change_word_follows_the_printed_difference():
    # the word is decided on the rounded difference it prints: -0.005 → 'turun 0,01', 0.004 → 'tetap'
    assert "indeks turun 0,01 poin." in _compose(2.70, 2.60, -0.005).paragraphs[1]
    assert "indeks tetap." in _compose(2.70, 2.60, 0.004).paragraphs[1]
