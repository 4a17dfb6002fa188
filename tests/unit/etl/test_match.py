"""Instansi matching: id, code, name, alias, context; fuzzy candidates are never merged silently."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.match import Matcher, normalise_name, resolve_rows
from etl.report import Report
from tests.fixtures.etl.builders import master

MATCHER = Matcher(master())


@pytest.mark.parametrize("raw, expected", [
    ("Pemerintah Kab. Serang", "kab serang"),
    ("Kabupaten Serang", "kab serang"),
    ("Pemkab Serang", "kab serang"),
    ("PEMERINTAH  KOTA   SERANG", "kota serang"),
    ("Pemkot Serang", "kota serang"),
    ("Pemerintah Provinsi Jawa Timur", "provinsi jawa timur"),
    ("Prov. Jawa Timur", "provinsi jawa timur"),
    ("Kementerian Koordinator Bidang Politik, Hukum dan Keamanan", "kementerian koordinator bidang politik hukum dan keamanan"),
])
def test_normalise_name(raw, expected):
    assert normalise_name(raw) == expected


def test_kabupaten_and_kota_of_the_same_name_stay_apart():
    assert normalise_name("Kab. Serang") != normalise_name("Kota Serang")
    assert MATCHER.resolve(nama="Kab. Serang").instansi_id == "kab-36.04"
    assert MATCHER.resolve(nama="Kota Serang").instansi_id == "kota-36.73"


@pytest.mark.parametrize("kwargs, iid, metode", [
    ({"instansi_id": "kota-36.73"}, "kota-36.73", "id"),
    ({"kode": "36.73"}, "kota-36.73", "kode"),
    ({"kode": "3604"}, "kab-36.04", "kode"),
    ({"nama": "Pemerintah Kota Serang"}, "kota-36.73", "nama"),
    ({"nama": "Kemenkeu"}, "pusat-kementerian-keuangan", "alias"),
    ({"nama": "Kementerian ESDM"}, "pusat-kementerian-energi-dan-sumber-daya-mineral", "alias"),
    ({"nama": "Serang", "kategori": "Kota"}, "kota-36.73", "nama"),
    ({"nama": "Serang", "kategori": "Kabupaten"}, "kab-36.04", "nama"),
    ({"nama": "Aceh", "kategori": "PROVINSI"}, "prov-11", "nama"),
])
def test_exact_matches(kwargs, iid, metode):
    res = MATCHER.resolve(**kwargs)
    assert (res.instansi_id, res.metode, res.kemiripan, res.tingkat) == (iid, metode, 100, None)


def test_fuzzy_only_match_is_a_review_item_with_candidates():
    res = MATCHER.resolve(nama="Pemerintah Kab Srang")
    assert res.instansi_id is None and res.metode == "fuzzy" and res.tingkat == "tinjau"
    assert res.kandidat[0] == ("kab-36.04", "Pemerintah Kab. Serang", 94)
    assert "nama 'Pemerintah Kab Srang' tidak dikenal; kandidat: Pemerintah Kab. Serang (kemiripan 94)" in res.alasan


def test_bare_name_without_context_is_not_guessed():
    res = MATCHER.resolve(nama="Serang")
    assert res.instansi_id is None and res.tingkat == "tinjau"


def test_ambiguous_alias_needs_review_unless_context_decides():
    m = master()
    m.loc[m["instansi_id"] == "kab-36.04", "alias"] += "|Serang Raya"
    m.loc[m["instansi_id"] == "kota-36.73", "alias"] += "|Serang Raya"
    matcher = Matcher(m)
    res = matcher.resolve(nama="Serang Raya")
    assert res.instansi_id is None and res.tingkat == "tinjau" and "beberapa instansi" in res.alasan
    assert matcher.resolve(nama="Serang Raya", kategori="Kota").instansi_id == "kota-36.73"
    assert matcher.resolve(nama="Serang Raya", kategori="Kabupaten", provinsi="Banten").instansi_id == "kab-36.04"


def test_context_contradicting_the_match_is_a_warning():
    res = MATCHER.resolve(nama="Pemerintah Kab. Serang", kategori="Kota")
    assert res.instansi_id == "kab-36.04" and res.tingkat == "peringatan"


def test_resolve_rows_reports_each_unknown_name_once_with_its_first_line():
    keys = pd.DataFrame({"baris": [2, 3, 4, 5], "nama": ["Pemerintah Kota Serang", "Pemerintah Kab Srang",
                                                         "Pemerintah Kota Serang", "Pemerintah Kab Srang"]})
    report = Report()
    ids, matches = resolve_rows(MATCHER, keys, berkas="x.csv", kolom="nama", report=report)
    assert ids.tolist() == ["kota-36.73", None, "kota-36.73", None]
    assert [(i.baris, i.nilai, i.tingkat) for i in report] == [(3, "Pemerintah Kab Srang", "tinjau")]
    assert "(2 baris memakai nama ini; tidak dimuat)" in report.issues[0].alasan
    assert matches[["nama_berkas", "instansi_id", "metode", "kemiripan"]].values.tolist() == [
        ["Pemerintah Kota Serang", "kota-36.73", "nama", 100], ["Pemerintah Kab Srang", None, "fuzzy", 94]]
    assert matches.loc[1, "kandidat"].startswith("Pemerintah Kab. Serang [kab-36.04] (94)")


_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=10)


@given(st.lists(_words, min_size=1, max_size=4), st.sampled_from([" ", "  ", ". ", ", "]))
def test_normalise_ignores_case_spacing_and_punctuation(words, sep):
    plain = " ".join(words)
    assert normalise_name(sep.join(w.upper() for w in words)) == normalise_name(plain)


@given(st.lists(_words, min_size=1, max_size=3))
def test_kab_and_kota_prefixes_never_collapse(words):
    name = " ".join(words)
    assert normalise_name(f"Pemerintah Kab. {name}") != normalise_name(f"Pemerintah Kota {name}")
    assert normalise_name(f"Kabupaten {name}") == normalise_name(f"Pemkab {name}")
