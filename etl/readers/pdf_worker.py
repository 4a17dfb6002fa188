"""Extract a PDF's text, one string per page, in a process of its own (run by etl.readers.pdf).

    python etl/readers/pdf_worker.py MAX_PAGES MAX_MEMORY_BYTES < file.pdf > result.json

Only pypdf and the standard library are imported, so the process starts in a fraction of a
second. It answers one JSON object on stdout: {"texts": [...]} or {"error": kind, "detail": …}
with kind "encrypted", "pages" (detail = the page count) or "broken" (detail = the exception's
type). Memory is capped with RLIMIT_AS; running out is answered as "memory". The caller bounds
the time and kills the process when it is up.
"""
from __future__ import annotations

import json
import resource
import sys


def extract(data: bytes, max_pages: int) -> dict:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return {"error": "encrypted"}
        n = len(reader.pages)
        if n > max_pages:
            return {"error": "pages", "detail": n}
        return {"texts": [page.extract_text() or "" for page in reader.pages]}
    except MemoryError:
        return {"error": "memory"}
    except (PdfReadError, ValueError, KeyError, OSError, TypeError, AttributeError, IndexError,
            RecursionError, ZeroDivisionError, AssertionError) as exc:
        return {"error": "broken", "detail": type(exc).__name__}


def main() -> None:
    max_pages, max_memory = int(sys.argv[1]), int(sys.argv[2])
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = max_memory if hard == resource.RLIM_INFINITY else min(max_memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    data = sys.stdin.buffer.read()
    out = extract(data, max_pages)
    sys.stdout.write(json.dumps(out))


if __name__ == "__main__":
    main()
