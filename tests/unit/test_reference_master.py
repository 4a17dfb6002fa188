"""Reference data: instansi master, province GeoJSON and the polygon mapping (data/reference/).

Reads only committed files, so it passes on a fresh clone without ../shared.
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"
MASTER = REFERENCE / "instansi.csv"
GEOJSON = REFERENCE / "geo" / "provinsi.geojson"
INDUK = REFERENCE / "geo" / "provinsi_induk.csv"

COLUMNS = ["instansi_id", "nama", "alias", "kelompok", "kategori", "kategori_ringkas",
           "provinsi", "kode_provinsi", "kode_wilayah"]
RINGKAS = {"Kementerian", "LPNK", "Lembaga Lain", "Provinsi", "Kabupaten", "Kota"}
NEW_PAPUA = {"93": "Papua Selatan", "94": "Papua Tengah", "95": "Papua Pegunungan", "96": "Papua Barat Daya"}


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def master() -> list[dict[str, str]]:
    header, rows = _read_csv(MASTER)
    assert header == COLUMNS
    return rows


def _by_kategori(master, kategori):
    return [r for r in master if r["kategori_ringkas"] == kategori]


@pytest.fixture(scope="module")
def geojson() -> dict:
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


def test_master_has_38_provinces_with_unique_two_digit_codes(master):
    provinces = _by_kategori(master, "Provinsi")
    codes = [r["kode_provinsi"] for r in provinces]
    assert len(provinces) == 38
    assert len(set(codes)) == 38
    assert all(re.fullmatch(r"\d{2}", c) for c in codes)
    assert all(r["kode_wilayah"] == r["kode_provinsi"] for r in provinces)
    assert all(r["instansi_id"] == f"prov-{r['kode_provinsi']}" for r in provinces)
    assert {r["provinsi"] for r in provinces} >= set(NEW_PAPUA.values())
    assert {c: n for c, n in ((r["kode_provinsi"], r["provinsi"]) for r in provinces) if c in NEW_PAPUA} == NEW_PAPUA


def test_kabupaten_kota_codes_are_unique_and_prefixed_by_their_province(master):
    province_codes = {r["kode_provinsi"] for r in _by_kategori(master, "Provinsi")}
    regions = _by_kategori(master, "Kabupaten") + _by_kategori(master, "Kota")
    codes = [r["kode_wilayah"] for r in regions]
    assert len(codes) == len(set(codes))
    for r in regions:
        assert re.fullmatch(r"\d{2}\.\d{2}", r["kode_wilayah"]), r
        assert r["kode_wilayah"].split(".")[0] == r["kode_provinsi"], r
        assert r["kode_provinsi"] in province_codes, r
        prefix = "kab" if r["kategori_ringkas"] == "Kabupaten" else "kota"
        assert r["instansi_id"] == f"{prefix}-{r['kode_wilayah']}", r


def test_kabupaten_and_kota_counts_are_plausible(master):
    # Kemendagri 2025: 416 kabupaten and 98 kota, less DKI Jakarta's 1 + 5 administrative ones
    assert 410 <= len(_by_kategori(master, "Kabupaten")) <= 420
    assert 93 <= len(_by_kategori(master, "Kota")) <= 98


def test_dki_jakarta_administrative_cities_are_not_instansi(master):
    assert not [r for r in master if r["kode_provinsi"] == "31" and r["kategori_ringkas"] != "Provinsi"]


def test_kategori_ringkas_uses_only_the_six_rollups(master):
    assert {r["kategori_ringkas"] for r in master} == RINGKAS
    for r in master:
        if r["kategori"] in {"Kementerian", "Provinsi", "Kabupaten", "Kota"}:
            assert r["kategori_ringkas"] == r["kategori"], r
        elif r["kategori"] == "Lembaga Pemerintah Non Kementerian (LPNK)":
            assert r["kategori_ringkas"] == "LPNK", r
        else:
            assert r["kategori_ringkas"] == "Lembaga Lain", r


def test_kelompok_and_region_columns_agree(master):
    for r in master:
        if r["kelompok"] == "Instansi Pusat":
            assert r["kategori_ringkas"] in {"Kementerian", "LPNK", "Lembaga Lain"}, r
            assert r["instansi_id"].startswith("pusat-"), r
            assert (r["provinsi"], r["kode_provinsi"], r["kode_wilayah"]) == ("", "", ""), r
        else:
            assert r["kelompok"] == "Pemerintah Daerah", r
            assert r["kategori_ringkas"] in {"Provinsi", "Kabupaten", "Kota"}, r
            assert r["provinsi"] and r["kode_provinsi"], r


def test_one_province_spelling_per_code(master):
    spellings = {}
    for r in master:
        if r["kode_provinsi"]:
            spellings.setdefault(r["kode_provinsi"], set()).add(r["provinsi"])
    assert all(len(s) == 1 for s in spellings.values()), spellings


def test_instansi_ids_are_unique_and_ascii(master):
    ids = [r["instansi_id"] for r in master]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9.\-]+", i) for i in ids)


def test_no_name_or_alias_points_to_two_instansi(master):
    owners: dict[str, set[str]] = {}
    for r in master:
        names = [r["nama"]] + [a for a in r["alias"].split("|") if a]
        assert all(a == a.strip() for a in names), r
        for name in names:
            owners.setdefault(name, set()).add(r["instansi_id"])
    shared = {name: ids for name, ids in owners.items() if len(ids) > 1}
    assert not shared


def test_central_agency_renames_are_one_instansi_with_the_older_name_as_alias(master):
    by_nama = {r["nama"]: r for r in master}
    dkn = by_nama["Sekretariat Jenderal Dewan Ketahanan Nasional"]
    assert "Dewan Ketahanan Nasional" in dkn["alias"].split("|")
    marves = by_nama["Kementerian Koordinator Bidang Kemaritiman dan Investasi"]
    assert "Kementerian Koordinator Bidang Kemaritiman" in marves["alias"].split("|")
    assert dkn["instansi_id"] == "pusat-sekretariat-jenderal-dewan-ketahanan-nasional"


def test_region_names_follow_the_spbe_tables(master):
    by_id = {r["instansi_id"]: r for r in master}
    assert by_id["prov-36"]["nama"] == "Pemerintah Provinsi Banten"
    assert by_id["kota-36.73"]["nama"] == "Pemerintah Kota Serang"
    kab_serang = by_id["kab-36.04"]
    assert kab_serang["nama"] == "Pemerintah Kab. Serang"
    assert {"Kabupaten Serang", "Kab. Serang", "Pemkab Serang", "Serang (Kab.)"} <= set(kab_serang["alias"].split("|"))


def test_every_province_has_a_polygon_directly_or_via_its_parent(master, geojson):
    header, induk = _read_csv(INDUK)
    assert header == ["kode_provinsi", "provinsi", "kode_provinsi_peta", "catatan"]
    polygons = {f["properties"]["kode_provinsi"] for f in geojson["features"]}
    provinces = {r["kode_provinsi"]: r["provinsi"] for r in _by_kategori(master, "Provinsi")}
    mapping = {r["kode_provinsi"]: r for r in induk}
    assert set(mapping) == set(provinces)
    for kode, provinsi in provinces.items():
        row = mapping[kode]
        assert row["provinsi"] == provinsi
        assert row["kode_provinsi_peta"] in polygons, row
        if kode not in polygons:
            assert row["kode_provinsi_peta"] != kode and row["catatan"], row


def test_geojson_features_are_keyed_by_kode_provinsi_with_master_spelling(master, geojson):
    provinces = {r["kode_provinsi"]: r["provinsi"] for r in _by_kategori(master, "Provinsi")}
    assert geojson["type"] == "FeatureCollection"
    codes = [f["properties"]["kode_provinsi"] for f in geojson["features"]]
    assert len(codes) == len(set(codes))
    for f in geojson["features"]:
        props = f["properties"]
        assert provinces[props["kode_provinsi"]] == props["provinsi"]
        assert f["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_geojson_is_small_enough_for_the_dashboard():
    assert GEOJSON.stat().st_size < 1.5 * 1024 * 1024
