"""Resource-exhausting input under the upload size limit is refused quickly: each read runs in
a child process, so that a regression is killed, not waited for. Split from
tests/unit/etl/test_fuzz_readers.py; part of `make fuzz`.
"""
from __future__ import annotations

import io
import re
import signal
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[3]
# What the child did is the proof: it refused, it never reached a parser (pandas' CSV parser is
# replaced by one that exits, openpyxl is never imported), and its own CPU time stayed small.
# Bounds are CPU seconds, which other processes' load does not add to, with wide margins:
# measured with `resource.getrusage(RUSAGE_CHILDREN)` around each child and `time.thread_time()`
# around read_bytes, 5 runs per kind, at load average 3 and beside two `yes > /dev/null` loops on
# 2 cores: the whole child (interpreter, pandas, one read) took at most 0,60 s of CPU, the read
# itself at most 0,081 s (the 500 004-column header; the bomb 0,001 s).
DOS_CPU_S = 20       # RLIMIT_CPU of the child: a regression is killed by the kernel (33× the slowest 0,60 s)
DOS_REFUSE_S = 1.0   # CPU seconds read_bytes itself may take to refuse (12× the slowest 0,081 s)
DOS_WALL_S = 600     # only so that a child stuck without using CPU cannot hang the suite
DOS_CHILD = textwrap.dedent("""
    import resource, sys, time
    resource.setrlimit(resource.RLIMIT_CPU, ({cpu}, {cpu} + 5))  # SIGXCPU, then SIGKILL
    sys.path.insert(0, {root!r})
    import pandas

    def parsed(*args, **kwargs):
        print("DIURAI", flush=True)  # the CSV parser was reached
        raise SystemExit(3)

    pandas.read_csv = parsed
    from etl.readers import read_bytes, InputError
    data = open({path!r}, "rb").read()
    t = time.thread_time()
    try:
        read_bytes({name!r}, data, max_bytes=5_000_000)
    except InputError as exc:
        print("DITOLAK", exc)
    print(f"DETIK {{time.thread_time() - t:.3f}}")
    print("OPENPYXL", "openpyxl" in sys.modules)
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
    first records, before openpyxl or pandas' parser is reached. The read runs in a child process
    whose CPU time is capped, so that a regression is killed, not waited for."""
    name, data = ("bom.xlsx", _xlsx_bomb()) if kind == "xlsx-bom" else ("lebar.csv", _csv_500k_columns())
    assert len(data) < 5_000_000, len(data)  # under the upload limit
    path = tmp_path / name
    path.write_bytes(data)
    script = tmp_path / "dos.py"
    script.write_text(DOS_CHILD.format(root=str(PROJECT_ROOT), path=str(path), name=name, cpu=DOS_CPU_S))
    try:
        out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=DOS_WALL_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{kind} masih diproses setelah {DOS_WALL_S} s (tanpa memakai CPU)")
    assert -out.returncode not in (signal.SIGXCPU, signal.SIGKILL), f"{kind} dihentikan setelah {DOS_CPU_S} s CPU"
    assert "DIURAI" not in out.stdout, f"{kind} sampai ke pengurai CSV"
    assert "DITOLAK" in out.stdout, out.stderr[-500:]
    expected = "621,1 MB setelah dibuka" if kind == "xlsx-bom" else "500.004 kolom, melebihi batas 500 kolom"
    assert expected in out.stdout and name in out.stdout
    assert "OPENPYXL False" in out.stdout, f"{kind}: openpyxl dimuat sebelum ditolak"
    seconds = float(re.search(r"DETIK ([\d.]+)", out.stdout).group(1))
    assert seconds < DOS_REFUSE_S, f"{kind} ditolak setelah {seconds} s CPU"
