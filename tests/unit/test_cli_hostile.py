"""Issue 16 on the command line and in the briefs: a published predikat outside the instrument's bands
is refused at import; `etl query --format csv` neutralises formula cells like the UI exports; `etl
report --out` never overwrites a file or writes through a symlink unless --overwrite; a brief never
prints non-band text as the predikat."""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from domain.spreadsheet import FORMULA_START
from tests.hostile import FILE_NAME, HOSTILE, TANGERANG, publish_hostile

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "etl" / "published_mini.csv"
SERANG = "kota-36.73"
YEAR = 2024


# --- predikat must be a band -------------------------------------------------------------------
def _published(tmp_path: Path, serang_predikat: str, kab_serang_predikat: str = "Sangat Baik") -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    text = text.replace("Pemerintah Kota Serang;1,8;1,9;1,0;3,82;2,61;Baik",
                        f"Pemerintah Kota Serang;1,8;1,9;1,0;3,82;2,61;{serang_predikat}")
    text = text.replace("Pemerintah Kab. Serang;5,0;3,4;2,09;4,13;3,73;Sangat Baik",
                        f"Pemerintah Kab. Serang;5,0;3,4;2,09;4,13;3,73;{kab_serang_predikat}")
    path = tmp_path / "hasil_2024.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_refuses_a_predikat_that_is_not_a_band(tmp_path):
    from etl.readers import read_path

    hostile = HOSTILE.replace(";", ",")  # one cell of the semicolon-separated file
    path = _published(tmp_path, hostile)
    parsed = read_path(path, tahun=YEAR)
    assert not parsed.report.ok
    [issue] = [i for i in parsed.report.errors if "bukan predikat" in i.alasan]
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                if text.startswith("2;Pemerintah Kota Serang"))
    assert (issue.berkas, issue.baris, issue.kolom, issue.nilai) == (path.name, line, "Predikat", hostile)
    assert "Memuaskan, Sangat Baik, Baik, Cukup, Kurang" in issue.alasan


def test_import_cli_publishes_nothing_for_a_non_band_predikat(tmp_path, capsys):
    from etl.cli import main

    root = tmp_path / "gudang"
    code = main(["--warehouse", str(root), "import", str(_published(tmp_path, "<b>Istimewa</b>")), "--tahun", str(YEAR)])
    out = capsys.readouterr().out
    assert code == 1 and "DITOLAK" in out and "bukan predikat" in out
    assert not (root / "CURRENT").exists()


def test_a_band_in_other_letter_case_is_stored_as_the_band(tmp_path):
    from etl.readers import read_path

    parsed = read_path(_published(tmp_path, "Baik", kab_serang_predikat="  sangat   BAIK "), tahun=YEAR)
    assert parsed.report.ok, parsed.report.format_text()
    stored = parsed.index.set_index("instansi_id")["predikat"]
    assert stored["kab-36.04"] == "Sangat Baik" and stored[SERANG] == "Baik"


# --- etl query --format csv neutralises formula cells -------------------------------------------
FORMULAS = ['=HYPERLINK("http://evil.example/","klik")', "@SUM(A1:A9)", "+1+2", "-2+3", "\t=1"]


@pytest.fixture(scope="module")
def formula_warehouse(tmp_path_factory):
    from etl.demo import generate_demo_levels
    from etl.publish import Source, load_master_frame, publish

    master = load_master_frame()
    for i, text in enumerate(FORMULAS):
        master.loc[i, "nama"] = text
    levels, master = generate_demo_levels(master, years=[YEAR])
    root = tmp_path_factory.mktemp("formula")
    publish(root, source=Source("demo-formula", "=cmd|' /C calc'!A0", "demo", True, "@berkas.csv"),
            levels=levels, master=master, carry_previous=False)
    return root


@pytest.mark.parametrize("query", ["instansi_list", "ranking", "sources"])
def test_query_csv_neutralises_formula_cells(formula_warehouse, capsys, query):
    from etl.cli import main

    args = ["--param", f"year={YEAR}"] if query == "ranking" else []
    assert main(["--warehouse", str(formula_warehouse), "query", query, *args, "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    header, body = rows[0], rows[1:]
    cells = [c for r in body for c in r]
    assert not any(c.startswith(FORMULA_START) for c in header + cells)
    if query != "sources":
        names = [r[header.index("nama")] for r in body]
        assert all("'" + f in names for f in FORMULAS)
    else:
        assert "'=cmd|' /C calc'!A0" in cells and "'@berkas.csv" in cells


def test_query_csv_keeps_negative_numbers_numbers(formula_warehouse, capsys):
    from etl.cli import main

    assert main(["--warehouse", str(formula_warehouse), "query", "ranking", "--param", f"year={YEAR}",
                 "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert all(float(r["indeks"]) > 0 for r in rows)   # numbers are written bare, never quoted with '


# --- etl report --out ------------------------------------------------------------------------------
def _report(root, out: Path, *extra: str) -> int:
    from etl.cli import main

    return main(["--warehouse", str(root), "report", "--year", str(YEAR), "--instansi", SERANG,
                 "--format", "docx", "--out", str(out), *extra])


TARGET = f"lembar_rpjmd_kota_36_73_{YEAR}.docx"


def test_report_refuses_to_overwrite_an_existing_file(demo_warehouse, tmp_path, capsys):
    (tmp_path / TARGET).write_bytes(b"draf analis")
    assert _report(demo_warehouse, tmp_path) == 1
    err = capsys.readouterr().err
    assert TARGET in err and "--overwrite" in err
    assert (tmp_path / TARGET).read_bytes() == b"draf analis"


def test_report_refuses_to_write_through_a_symlink(demo_warehouse, tmp_path, capsys):
    victim = tmp_path / "bashrc"
    victim.write_text("asli")
    out = tmp_path / "out"
    out.mkdir()
    (out / TARGET).symlink_to(victim)
    assert _report(demo_warehouse, out) == 1
    assert "tautan simbolik" in capsys.readouterr().err
    assert victim.read_text() == "asli" and (out / TARGET).is_symlink()


def test_report_refuses_a_dangling_symlink_and_a_symlinked_out_folder(demo_warehouse, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / TARGET).symlink_to(tmp_path / "belum-ada")
    assert _report(demo_warehouse, out) == 1
    assert not (tmp_path / "belum-ada").exists()
    elsewhere = tmp_path / "lain"
    elsewhere.mkdir()
    (tmp_path / "tautan").symlink_to(elsewhere, target_is_directory=True)
    assert _report(demo_warehouse, tmp_path / "tautan") == 1
    assert "tautan simbolik" in capsys.readouterr().err and os.listdir(elsewhere) == []


def test_report_overwrite_replaces_the_entry_not_the_symlink_target(demo_warehouse, tmp_path, capsys):
    victim = tmp_path / "bashrc"
    victim.write_text("asli")
    out = tmp_path / "out"
    out.mkdir()
    (out / TARGET).symlink_to(victim)
    assert _report(demo_warehouse, out, "--overwrite") == 0, capsys.readouterr().err
    assert victim.read_text() == "asli"
    assert not (out / TARGET).is_symlink() and (out / TARGET).read_bytes()[:2] == b"PK"
    assert [p.name for p in out.iterdir()] == [TARGET]      # no temporary file left behind


# --- briefs print a band, never the odd text -------------------------------------------------------
def test_brief_prints_the_band_of_the_index_not_a_non_band_predikat(tmp_path):
    from docx import Document

    from briefs import brief_docx
    from briefs.brief import build_brief
    from queries.gateway import Warehouse

    wh = Warehouse(publish_hostile(tmp_path / "gudang"))
    brief = build_brief(wh, TANGERANG, YEAR, charts=False)
    assert brief.predikat == "Baik"                                   # index 3,00
    assert ("Predikat", "Baik") in brief.key_figures
    assert any("bukan salah satu predikat" in n for n in brief.notes)
    assert "(Baik)" in brief.narrative[0]
    doc = Document(io.BytesIO(brief_docx(brief)))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells)
    for field in (f"Tangerang {HOSTILE}", f"Banten {HOSTILE}", f"Kota {HOSTILE}", f"{FILE_NAME} {HOSTILE}"):
        text = text.replace(field, "")                                # name, provinsi, kategori, source: text
    assert "http-equiv" not in text                                   # and nowhere as the predikat
