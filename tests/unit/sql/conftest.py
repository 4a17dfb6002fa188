"""A tiny hand-made warehouse: a few input rows whose expected query outputs are known exactly."""
from __future__ import annotations

import pandas as pd
import pytest

from domain.instrument import load_registry
from etl.publish import Source, publish

MASTER = pd.DataFrame([
    # instansi_id, nama, alias, kelompok, kategori, kategori_ringkas, provinsi, kode_provinsi, kode_wilayah
    ("prov-36", "Pemerintah Provinsi Banten", "Provinsi Banten", "Pemerintah Daerah", "Provinsi", "Provinsi", "Banten", "36", "36"),
    ("kota-36.73", "Pemerintah Kota Serang", "Kota Serang", "Pemerintah Daerah", "Kota", "Kota", "Banten", "36", "36.73"),
    ("kota-36.71", "Pemerintah Kota Tangerang", "Kota Tangerang", "Pemerintah Daerah", "Kota", "Kota", "Banten", "36", "36.71"),
    ("kab-36.04", "Pemerintah Kab. Serang", "Kabupaten Serang", "Pemerintah Daerah", "Kabupaten", "Kabupaten", "Banten", "36", "36.04"),
    ("pusat-kementerian-keuangan", "Kementerian Keuangan", "", "Instansi Pusat", "Kementerian", "Kementerian", "", "", ""),
], columns=["instansi_id", "nama", "alias", "kelompok", "kategori", "kategori_ringkas", "provinsi", "kode_provinsi", "kode_wilayah"])

# uniform levels per instansi-year make every aspect/domain/index equal to that level
UNIFORM = {
    ("prov-36", 2023): 3, ("prov-36", 2024): 4,
    ("kota-36.73", 2023): 2, ("kota-36.73", 2024): 3,
    ("kota-36.71", 2024): 5,                      # not evaluated in 2023: missing, not zero
    ("kab-36.04", 2023): 1, ("kab-36.04", 2024): 2,
    ("pusat-kementerian-keuangan", 2024): 4,
}


def uniform_levels(spec=UNIFORM) -> pd.DataFrame:
    reg = load_registry()
    rows = []
    for (iid, year), level in spec.items():
        ins = reg.for_year(year)
        rows += [(year, iid, ins.id, n, level) for n in ins.indicator_numbers]
    return pd.DataFrame(rows, columns=["tahun", "instansi_id", "instrument_id", "no_indikator", "level"])


@pytest.fixture(scope="module")
def tiny_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    lv = uniform_levels()
    # Kota Serang 2024: indicator 47 at level 1 instead of 3 → a known gap
    lv.loc[(lv.instansi_id == "kota-36.73") & (lv.tahun == 2024) & (lv.no_indikator == 47), "level"] = 1
    publish(root, source=Source("uji", "Uji", "demo", True), levels=lv, master=MASTER)
    return root


@pytest.fixture(scope="module")
def tiny(tiny_root):
    from queries.gateway import Warehouse
    wh = Warehouse(tiny_root)
    yield wh
    wh.close()
