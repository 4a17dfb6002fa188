"""What Peringkat & sebaran shows of a year, derived from the warehouse once per (snapshot, year) and, for
the ranking table, once per (snapshot, year, filters, search, rows shown, instansi under study) (issue 14).

A warm rerun read the ranking and domain values (each cached query hit unpickles a fresh frame), pivoted
the domains onto the ranking, hashed the whole ranking to find its id-ID text, filtered it and built the
table shown, then converted it to Arrow. Here that is done on the first rerun with those inputs and kept
read only (`st.cache_resource`); the page only draws it. The key holds `figure_cache.scope()` (warehouse
folder + snapshot id): a new snapshot, or a session with uploads (its own private snapshot), gets its own
view. The table shown is kept as the Arrow table st.dataframe would make of it (the same bytes).
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.dataframe_util import convert_pandas_df_to_arrow_table as arrow

from domain.warehouse_layout import KATEGORI_RINGKAS
from rendering import format as fmt
from rendering import instrument_frames as frames
from rendering import theme
from ui import data, figure_cache

CACHE_TTL_S = 1800
BUILDS = {"view": 0, "table": 0}   # for tests: a warm rerun builds none
# table columns (raw names) and their headers; the instrument's domain columns come after 'predikat'
COLUMN_NAMES = {"peringkat": "Peringkat", "peringkat_kategori": "Peringkat kategori", "nama": "Instansi",
                "kategori": "Kategori", "provinsi": "Provinsi", "predikat": "Predikat", "asal": "Asal nilai",
                "catatan": "Catatan validasi"}


def view(year: int) -> SimpleNamespace:
    """The ranking of `year` on this session's snapshot, with its domains and id-ID text (shared, read only)."""
    return _view(figure_cache.scope(), int(year))


@st.cache_resource(max_entries=16, ttl=CACHE_TTL_S, show_spinner=False)
def _view(scope: tuple[str, str], year: int) -> SimpleNamespace:
    BUILDS["view"] += 1
    rank = data.run("ranking", year=year)
    if rank.empty:
        return SimpleNamespace(rank=rank)
    ins = data.registry().for_year(year)
    domain_cols = frames.domain_columns(ins)  # the instrument's domains, pivoted from long form
    rank = frames.with_domains(rank, data.run("domain_values", year=year), ins)
    values = rank[["provinsi", "indeks", *domain_cols]]
    # id-ID text ("3,40" / "—": st.dataframe draws a missing number as "None"); text of this shape sorts right
    text = values.assign(provinsi=values["provinsi"].fillna(fmt.MISSING),
                         **{c: values[c].map(fmt.num) for c in values.columns if c != "provinsi"})
    present = set(rank["kategori"].unique())
    return SimpleNamespace(
        rank=rank, ins=ins, domain_cols=domain_cols, text=text,
        target=float(ins.target_indeks), bands=[(b.nama, float(b.batas_bawah), float(b.batas_atas)) for b in ins.bands],
        cols=["peringkat", "peringkat_kategori", "nama", "kategori", "provinsi", "indeks", "predikat", *domain_cols,
              "asal", "catatan"],
        names={**COLUMN_NAMES, "indeks": ins.nama_indeks, **domain_cols},
        kategori_opts=[k for k in KATEGORI_RINGKAS if k in present],  # unique(): no per-row loop
        provinsi_opts=sorted(rank["provinsi"].dropna().unique()),
        predikat_opts=[p for p in theme.PREDIKAT_ORDER if p in set(rank["predikat"].unique())])


def filtered(v: SimpleNamespace, year: int, kategori: list[str], provinsi: list[str],
             predikat: list[str]) -> SimpleNamespace:
    """The ranked rows passing the filters and their download frame; `v` must be `view(year)` of this run."""
    return _filtered(figure_cache.scope(), int(year), v, tuple(kategori), tuple(provinsi), tuple(predikat))


@st.cache_resource(max_entries=64, ttl=CACHE_TTL_S, show_spinner=False)
def _filtered(scope: tuple[str, str], year: int, _v: SimpleNamespace, kategori: tuple, provinsi: tuple,
              predikat: tuple) -> SimpleNamespace:
    BUILDS["table"] += 1
    rank = _v.rank
    mask = rank["indeks"].notna()
    if kategori:
        mask &= rank["kategori"].isin(kategori)
    if provinsi:
        mask &= rank["provinsi"].isin(provinsi)
    if predikat:
        mask &= rank["predikat"].isin(predikat)
    shown = rank[mask]
    return SimpleNamespace(shown=shown, raw=shown[_v.cols].reset_index(drop=True),
                           flagged=int(shown["catatan"].notna().sum()))


def table(v: SimpleNamespace, year: int, instansi_id: str, kategori: list[str], provinsi: list[str],
          predikat: list[str], cari: str, limit: int | None) -> SimpleNamespace:
    """The table shown: the top `limit` filtered rows matching `cari`, plus the instansi under study, as Arrow;
    `v` must be `view(year)` of this run."""
    return _table(figure_cache.scope(), int(year), v, instansi_id, tuple(kategori), tuple(provinsi), tuple(predikat),
                  cari.strip(), limit)


@st.cache_resource(max_entries=64, ttl=CACHE_TTL_S, show_spinner=False)
def _table(scope: tuple[str, str], year: int, _v: SimpleNamespace, instansi_id: str, kategori: tuple, provinsi: tuple,
           predikat: tuple, cari: str, limit: int | None) -> SimpleNamespace:
    BUILDS["table"] += 1
    shown = _filtered(scope, year, _v, kategori, provinsi, predikat).shown
    page_rows = shown[shown["nama"].str.contains(cari, case=False, regex=False, na=False)] if cari else shown
    cut = limit is not None and len(page_rows) > limit
    if cut:
        rest = page_rows.iloc[limit:]
        page_rows = pd.concat([page_rows.head(limit), rest[rest["instansi_id"] == instansi_id]])
    shown_table = page_rows[_v.cols].assign(**_v.text.loc[page_rows.index]).reset_index(drop=True)
    shown_table.insert(0, "dikaji", np.where(page_rows["instansi_id"].eq(instansi_id).to_numpy(), "◆", ""))
    return SimpleNamespace(cut=cut, page_rows=len(page_rows), display=arrow(shown_table.rename(columns=_v.names)),
                           has_me=bool(shown["instansi_id"].eq(instansi_id).any()))


def me(v: SimpleNamespace, year: int, instansi_id: str) -> pd.DataFrame:
    """The instansi's ranking row (empty when it has no value that year); `v` must be `view(year)` of this run."""
    return _me(figure_cache.scope(), int(year), v, instansi_id)


@st.cache_resource(max_entries=256, ttl=CACHE_TTL_S, show_spinner=False)
def _me(scope: tuple[str, str], year: int, _v: SimpleNamespace, instansi_id: str) -> pd.DataFrame:
    return _v.rank[_v.rank["instansi_id"] == instansi_id]


def peers(v: SimpleNamespace, mode: str, year: int, instansi_id: str) -> tuple[pd.DataFrame, object]:
    """The peers of one mode (and, for the most similar profiles, their table as id-ID text, as Arrow), once per
    (snapshot, mode, year, instansi), read only; `v` must be `view(year)` of this run."""
    return _peers(figure_cache.scope(), mode, int(year), v, instansi_id)


@st.cache_resource(max_entries=64, ttl=CACHE_TTL_S, show_spinner=False)
def _peers(scope: tuple[str, str], mode: str, year: int, _v: SimpleNamespace, instansi_id: str) -> tuple[pd.DataFrame, object]:
    rank = data.run("ranking", year=year)
    row = rank[rank["instansi_id"] == instansi_id].iloc[0]
    if mode == "wilayah":
        same_prov = rank["provinsi"] == row["provinsi"] if isinstance(row["provinsi"], str) else rank["provinsi"].isna()
        return rank.loc[(rank["kategori"] == row["kategori"]) & same_prov, ["instansi_id", "nama", "indeks", "predikat"]], None
    sim = frames.with_domains(data.run("similar_instansi", year=year, instansi_id=instansi_id),
                              data.run("domain_values", year=year), _v.ins)
    peer_table = sim[["nama", "kategori", "provinsi", "indeks", "predikat", *_v.domain_cols, "jarak"]]
    return sim, arrow(fmt.format_frame(peer_table).fillna(fmt.MISSING).rename(columns={**_v.names, "jarak": "Jarak profil"}))
