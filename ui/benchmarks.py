"""The instansi against the official national and category figures and its province, in one table
(Profil instansi). The official figures are KemenPANRB's; the province mean is recomputed here."""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import streamlit as st
from streamlit.dataframe_util import convert_pandas_df_to_arrow_table

from rendering.format import integer, num, signed
from rendering.safe_text import md
from ui import data, widgets


def benchmark_table(df: pd.DataFrame, *, kategori: str, provinsi: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(raw, display): one row per component (index, domains) with the value, each comparison and the
    gap (instansi − comparison). Comparisons without any figure are left out."""
    comps = [("resmi_nasional", "Nasional (resmi)", "± nasional"),
             ("resmi_kategori", f"{kategori} (resmi)", f"± {kategori}")]
    if provinsi and df["rerata_provinsi"].notna().any():
        n = integer(df["jumlah_provinsi"].max())
        comps.append(("rerata_provinsi", f"Kab/kota se-{provinsi} (dihitung ulang, {n})", "± provinsi"))
    comps = [c for c in comps if df[c[0]].notna().any()]
    raw = pd.DataFrame({"komponen": df["label"], "nilai": df["nilai"]})
    shown = pd.DataFrame({"Komponen": df["label"], "Instansi": df["nilai"].map(num)})
    for col, name, gap in comps:
        raw[col], raw[f"selisih_{col}"] = df[col], df["nilai"] - df[col]
        shown[name], shown[gap] = df[col].map(num), (df["nilai"] - df[col]).map(signed)
    return raw, shown


def prepare(instansi_id: str, year: int, *, kategori: str, provinsi: str | None) -> SimpleNamespace | None:
    """(raw, shown, official) of the instansi-year, None when it has no component value: built once per view
    (ui/profile_view.py), drawn by `show` on every rerun. `shown` is already the Arrow table st.dataframe
    would make of the display frame (the same bytes; pandas → Arrow was a few % of a rerun per table)."""
    df = data.run("instansi_benchmarks", year=year, instansi_id=instansi_id)
    if df.empty or df["nilai"].isna().all():
        return None
    raw, shown = benchmark_table(df, kategori=kategori, provinsi=provinsi)
    return SimpleNamespace(raw=raw, shown=convert_pandas_df_to_arrow_table(shown),   # Arrow once, not per rerun
                           official=bool(df["resmi_nasional"].notna().any()))


def show(bm: SimpleNamespace | None, instansi_id: str, year: int, *, kategori: str, provinsi: str | None,
         synthetic: bool) -> None:
    if bm is None:
        return
    st.markdown(f"**Dibanding nasional, {md(kategori)}{' dan provinsi' if provinsi else ''} ({year})**")
    widgets.show_table(bm.raw, f"pembanding_{instansi_id}_{year}", display=bm.shown, synthetic=synthetic)
    if not bm.official:
        st.caption(f"Belum ada angka resmi KemenPANRB untuk {year}; bandingkan dengan rata-rata yang dihitung ulang.")
    else:
        st.caption("Resmi = angka publikasi KemenPANRB (seri nasional dan tabel rata-rata kategori); selisih = "
                   "instansi − pembanding. '—' = tidak dipublikasikan.")
