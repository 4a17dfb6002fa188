"""The profile's "Cari instansi" box: typing a name, alias or code and pressing Enter shows that
instansi at once (the best match, domain.search); the other matches stay one click away. The
choice is the global one (sidebar and URL follow, ui/state.py)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from domain.search import rank
from rendering.safe_text import md
from ui import state

MAX_HITS = 50


def _hits(lst: pd.DataFrame, query: str) -> list[str]:
    return rank(query, lst[["instansi_id", "nama", "alias", "kode_wilayah"]].to_dict("records"))[:MAX_HITS]


def search_box(lst: pd.DataFrame, label_of) -> None:
    """Text box + the list of matches (best first); `label_of(row)` labels an instansi."""
    def go() -> None:
        hits = _hits(lst, st.session_state.get("pi_cari") or "")
        if hits:
            state.set_instansi(hits[0])

    query = st.text_input("Cari instansi", key="pi_cari", on_change=go,
                          placeholder="nama atau kode wilayah, lalu Enter",
                          help="Nama, alias atau kode wilayah Kemendagri (mis. Pandeglang, 36.73); Enter menampilkan "
                               "yang paling cocok.")
    if not query:
        return
    hits = _hits(lst, query)
    if not hits:
        st.caption(f"Tidak ada instansi yang cocok dengan “{md(query)}”.")
        return
    by_id = {r.instansi_id: label_of(r) for r in lst[lst["instansi_id"].isin(hits)].itertuples()}
    labels = {i: by_id[i] for i in hits}
    current = state.instansi()
    st.session_state["pi_hasil"] = current if current in labels else None   # drawn below: shows the global choice
    st.selectbox(f"Hasil pencarian ({len(hits)}, paling cocok di atas)", hits, index=None, format_func=labels.get,
                 filter_mode="contains",
                 key="pi_hasil", placeholder="pilih instansi lain dari hasil pencarian",
                 on_change=lambda: state.set_instansi(st.session_state["pi_hasil"]) if st.session_state["pi_hasil"] else None)
