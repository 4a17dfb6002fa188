"""Resource-exhausting input under the upload size limit is refused quickly: each read runs in
a child process, so that a regression is killed, not waited for. Split from
tests/unit/etl/test_fuzz_readers.py; part of `make fuzz`.
"""
from __future__ import annotations

import io
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[3]
DOS_LIMIT_S = 6     # the child (interpreter start, imports, one read) is killed after this
DOS_REFUSE_S = 1.0  # CPU seconds the read_bytes call itself may take to refuse (machine load does not count)
DOS_CHILD = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from etl.readers import read_bytes, InputError
    data = open({path!r}, "rb").read()
    t = time.process_time()
    try:
        read_bytes({name!r}, data, max_bytes=5_000_000)
    except InputError as exc:
        print("DITOLAK", exc)
    print(f"DETIK {{time.process_time() - t:.3f}}")
""")


def _xlsx_bomb() -> bytes:
    """A workbook whose sheet XML expands ~200×: 300 000 rows of one 2 000-character inline string
    (621 MB of XML in a 3 MB file), written in chunks so that the 621 MB never sit in memory at once."""
    wb = __import__("openpyxl").Workbook()
    wb.active.append(["tahun", "instansi_id", "no_indikator", "level"])
    buf = io.BytesIO()
    wb.save(buf)
    src, out = zipfile.ZipFile(io.BytesIO(buf.getvalue())), io.BytesIO()
    row = '<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>' + "A" * 2000 + "</t></is></c></row>"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                z.writestr(item, src.read(item.filename))
                continue
            with z.open(item.filename, "w") as f:
                f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                        b'2006/main"><sheetData>')
                for start in range(1, 300_001, 1000):
                    f.write("".join(row.format(r=r) for r in range(start, start + 1000)).encode())
                f.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _csv_500k_columns() -> bytes:
    head = ",".join(["tahun", "instansi_id", "no_indikator", "level"] + [f"k{i}" for i in range(500_000)])
    return (head + "\n2024,kota-36.73,1,3\n").encode()


@pytest.mark.parametrize("kind", ["xlsx-bom", "csv-500k-kolom"])
def test_resource_exhausting_input_under_the_size_limit_is_refused_quickly(kind, tmp_path):
    """Under the 5 MB upload limit, before the caps: the bomb was read for 46 s at 2,2 GB, the CSV
    was still being read after 60 s at 1,4 GB. Now both are refused from the zip directory / the
    first records. The read runs in a child process so that a regression is killed, not waited for."""
    name, data = ("bom.xlsx", _xlsx_bomb()) if kind == "xlsx-bom" else ("lebar.csv", _csv_500k_columns())
    assert len(data) < 5_000_000, len(data)  # under the upload limit
    path = tmp_path / name
    path.write_bytes(data)
    script = tmp_path / "dos.py"
    script.write_text(DOS_CHILD.format(root=str(PROJECT_ROOT), path=str(path), name=name))
    try:
        out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=DOS_LIMIT_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{kind} masih diproses setelah {DOS_LIMIT_S} s")
    assert "DITOLAK" in out.stdout, out.stderr[-500:]
    expected = "621,1 MB setelah dibuka" if kind == "xlsx-bom" else "500.004 kolom, melebihi batas 500 kolom"
    assert expected in out.stdout and name in out.stdout
    seconds = float(re.search(r"DETIK ([\d.]+)", out.stdout).group(1))
    assert seconds < DOS_REFUSE_S, f"{kind} ditolak setelah {seconds} s"
