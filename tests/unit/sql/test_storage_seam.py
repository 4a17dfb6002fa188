"""The storage seam (domain.storage): a warehouse at any path, categories as a data row."""
from __future__ import annotations

import shutil

import pandas as pd

from domain import storage
from domain.instrument import REFERENCE_DIR
from etl.publish import Source, publish
from etl.snapshots import rollback
from queries.gateway import Warehouse

from .conftest import MASTER, UNIFORM, uniform_levels


def test_sql_path_doubles_quotes():
    assert storage.sql_path("/tmp/it's here/x.parquet") == "'/tmp/it''s here/x.parquet'"
    assert storage.sql_path_list(["a'b", "c"]) == "['a''b', 'c']"


def test_a_warehouse_at_a_path_with_a_quote_and_a_space_publishes_and_queries(tmp_path, monkeypatch):
    root = tmp_path / "gudang Bappeda's data"
    monkeypatch.setenv("SPBE_WAREHOUSE", str(root))
    first = publish(storage.warehouse_dir(), source=Source("a", "A", "demo", True), levels=uniform_levels(),
                    master=MASTER)
    # a second publish carries the first one's rows over (read back from the quoted path)
    publish(storage.warehouse_dir(), source=Source("b", "B", "demo", True),
            levels=uniform_levels({("kota-36.73", 2024): 4}), master=MASTER)
    wh = Warehouse()
    try:
        assert wh.root == root and "'" in str(wh.snapshot)
        ranking = wh.run("ranking", year=2024).set_index("instansi_id")
        assert ranking.loc["kota-36.73", "indeks"] == 4.0 and ranking.loc["kota-36.71", "indeks"] == 5.0
        assert len(wh.run("category_averages", year=2024)) == 6
    finally:
        wh.close()
    assert rollback(root)["snapshot_baru"] == first.snapshot_id
    assert storage.current_snapshot(root).name == first.snapshot_id


def test_a_made_up_seventh_category_needs_only_a_data_row(tmp_path):
    ref = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, ref, ignore=shutil.ignore_patterns("geo", "guidance"))
    with (ref / "kategori.csv").open("a", encoding="utf-8") as fh:
        fh.write("Desa Digital,7,Pemerintah Daerah,true\n")
    master = pd.concat([MASTER, pd.DataFrame([{
        "instansi_id": "desa-36.73.01", "nama": "Desa Contoh", "alias": "", "kelompok": "Pemerintah Daerah",
        "kategori": "Desa Digital", "kategori_ringkas": "Desa Digital", "provinsi": "Banten",
        "kode_provinsi": "36", "kode_wilayah": "36.73.01"}])], ignore_index=True)
    levels = uniform_levels({**UNIFORM, ("desa-36.73.01", 2024): 4})
    publish(tmp_path / "wh", source=Source("u", "U", "demo", True), levels=levels, master=master,
            reference_dir=ref)
    wh = Warehouse(tmp_path / "wh")
    try:
        avg = wh.run("category_averages", year=2024)
        assert avg["kategori"].tolist()[-1] == "Desa Digital" and avg["urutan"].tolist()[-1] == 7
        row = avg.set_index("kategori").loc["Desa Digital"]
        assert row["jumlah_instansi"] == 1 and row["indeks"] == 4.0
        means = wh.run("component_means", year=2024)
        assert means.drop_duplicates("kategori")["kategori"].tolist()[-1] == "Desa Digital"
        # kab_kota = true: it counts in its province's kab/kota mean (5 + 4 + 3 + 2 over four)
        prov = wh.run("province_map", year=2024).set_index("provinsi").loc["Banten"]
        assert prov["jumlah_kabkota"] == 4 and prov["rerata_kabkota"] == (3 + 5 + 2 + 4) / 4
    finally:
        wh.close()
