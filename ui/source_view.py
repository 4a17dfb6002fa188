"""What Metodologi shows of one published snapshot — its sources, KemenPANRB's reference tables, the
national targets and the synthetic share — built once per snapshot and kept read only (issue 14).

Each rerun of Metodologi ran four queries and converted four display tables to Arrow again for data that
cannot change within a snapshot. The key holds `figure_cache.scope()` (warehouse folder + snapshot id;
a session with uploads has its own), so a publish is seen on the next rerun. The import log is not here:
a rollback points back at an older snapshot and appends to the log, so it is read on every rerun.
"""
from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath
from types import SimpleNamespace

import pandas as pd
import streamlit as st
from streamlit.dataframe_util import convert_pandas_df_to_arrow_table as arrow

from rendering import format as fmt
from ui import data, figure_cache

CACHE_TTL_S = 1800
BUILDS = {"n": 0}   # views built (for tests: a warm rerun builds none)


def view() -> SimpleNamespace:
    return _view(figure_cache.scope())


@st.cache_resource(max_entries=16, ttl=CACHE_TTL_S, show_spinner=False)
def _view(scope: tuple[str, str]) -> SimpleNamespace:
    BUILDS["n"] += 1
    sources = data.run("sources")
    # file names only: a snapshot published before imports stored bare names holds the operator's full path
    sources["berkas"] = [PureWindowsPath(PurePosixPath(str(b)).name).name if isinstance(b, str) else b
                         for b in sources["berkas"]]
    sources_shown = sources.assign(
        sintetis=sources["sintetis"].map({True: "ya — SINTETIS", False: "tidak"}),
        jumlah_baris=sources["jumlah_baris"].map(fmt.integer),
        dimuat_pada=sources["dimuat_pada"].astype(str).str[:16]).rename(columns={
            "sumber_id": "Id", "nama": "Sumber", "jenis": "Jenis", "sintetis": "Sintetis", "berkas": "Berkas",
            "dimuat_pada": "Dimuat pada (UTC)", "jumlah_baris": "Instansi-tahun"})
    refs = data.run("reference_sources")
    refs_shown = refs.astype({"tahun_awal": str, "tahun_akhir": str}).rename(columns={
        "tabel": "Tabel", "isi": "Isi", "sumber": "Sumber", "tahun_awal": "Dari", "tahun_akhir": "Sampai",
        "jumlah_baris": "Baris"})
    targets = data.run("national_trend")[["tahun", "target"]].dropna()
    targets_shown = pd.DataFrame({"Tahun": targets["tahun"].astype(int).astype(str),
                                  "Target indeks nasional": targets["target"].map(fmt.num)})
    years = data.run("years")
    return SimpleNamespace(
        snapshot_id=scope[1], sources=sources, sources_shown=arrow(sources_shown), refs=refs,
        refs_shown=arrow(refs_shown), targets_shown=arrow(targets_shown),
        n_synthetic=int(years["jumlah_sintetis"].sum()), n_all=int(years["jumlah_instansi"].sum()),
        demo=bool(sources["jenis"].eq("demo").any()))
