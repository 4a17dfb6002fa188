"""PDF reading under the caps (etl/readers/pdf.py): wall time of a normal LHE PDF and of PDFs
built to be slow, 3 runs each.

    .venv/bin/python -m bench.pdf_caps
"""
from __future__ import annotations

import time

from etl.readers import UPLOAD_LIMITS, InputError, load_master, read_bytes
from tests.fixtures.etl.builders import lhe_text, pdf_bytes, pdf_text_line, raw_pdf

LINE = pdf_text_line("Perolehan Nilai Tingkat Kematangan Indikator 1 2 3")


def cases() -> dict[str, bytes]:
    levels = {n: 1 + n % 5 for n in range(1, 48)}
    return {
        "LHE PDF (test builder, 47 indicators)": pdf_bytes(lhe_text(levels, wrap=True, name="PEMERINTAH KOTA SERANG",
                                                                    year=2021)),
        "1 page drawing 1 MB of text operators": raw_pdf(LINE * (1_000_000 // len(LINE))),
        "1 page drawing 10 MB of text operators": raw_pdf(LINE * (10_000_000 // len(LINE))),
        "100 pages drawing the same 1 MB": raw_pdf(LINE * (1_000_000 // len(LINE)), pages=100),
        "201 short pages": raw_pdf(LINE, pages=201),
    }


def main() -> None:
    master = load_master()
    for name, data in cases().items():
        times, outcome = [], ""
        for _ in range(3):
            t0 = time.perf_counter()
            try:
                parsed = read_bytes("bench.pdf", data, master=master, limits=UPLOAD_LIMITS)
                outcome = f"dibaca ({len(parsed.levels)} baris level)"
            except InputError as exc:
                outcome = f"ditolak: {exc.issue.alasan[:90]}"
            times.append(time.perf_counter() - t0)
        print(f"{name:<42} {len(data):>8,} B  {min(times):6.2f}–{max(times):6.2f} s  {outcome}")


if __name__ == "__main__":
    main()
