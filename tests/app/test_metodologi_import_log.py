"""AppTest: the import log on *Metodologi & data* — every import and rollback, file names only."""
from __future__ import annotations

import json
import shutil

from etl.cli import main
from tests.fixtures.etl.builders import long_csv, long_rows, pattern_levels

PAGE = "metodologi"


def test_import_log_is_shown_with_file_names_only(page_app, demo_warehouse, tmp_path, monkeypatch, capsys):
    wh = tmp_path / "wh"
    shutil.copytree(demo_warehouse, wh, ignore=shutil.ignore_patterns("import_log.jsonl", ".publish.lock"))
    monkeypatch.setenv("SPBE_WAREHOUSE", str(wh))
    src = tmp_path / "rahasia" / "lhe_serang_2024.csv"
    src.parent.mkdir()
    src.write_text(long_csv(long_rows(2024, "kota-36.73", pattern_levels(47))), encoding="utf-8")
    assert main(["--warehouse", str(wh), "import", str(src)]) == 0
    assert main(["--warehouse", str(wh), "rollback"]) == 0
    # an entry written by some other tool with directories in it: the page still shows names only
    with open(wh / "import_log.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"waktu": "2026-01-01T00:00:00+00:00", "pengguna": "operator", "aksi": "impor",
                             "perintah": "python -m etl import /srv/rahasia/hasil.csv",
                             "berkas": [{"berkas": "/srv/rahasia/hasil.csv", "sha256": "ab" * 32},
                                        {"berkas": "C:\\Data\\rahasia\\lhe.txt", "sha256": "cd" * 32}]}) + "\n")
        fh.write("{potongan baris yang tidak selesai\n")
    capsys.readouterr()

    at = page_app(PAGE, query={"tahun": "2024"})
    assert not at.exception
    log = next(df.value for df in at.dataframe if "Berkas" in df.value.columns and "Aksi" in df.value.columns)
    assert list(log["Aksi"]) == ["impor", "rollback", "impor"]           # newest first; the broken line skipped
    assert list(log["Berkas"]) == ["hasil.csv, lhe.txt", "", "lhe_serang_2024.csv"]
    assert log.iloc[2]["Instansi-tahun diganti"] == 1 and len(log.iloc[2]["SHA-256"]) == 12
    cells = " ".join(str(v) for v in log.to_numpy().ravel())
    assert str(tmp_path) not in cells and "/srv" not in cells and "C:\\" not in cells and "rahasia" not in cells
    page_text = " ".join(str(e.value) for kind in ("markdown", "caption", "text") for e in at.get(kind))
    assert "/srv/rahasia" not in page_text and str(src) not in page_text
