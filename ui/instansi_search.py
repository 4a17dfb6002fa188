"""The profile's "Cari instansi" box: typing a name, alias or code and pressing Enter shows that
instansi at once (the best match, domain.search); the other matches stay one click away. The
choice is the global one (sidebar and URL follow, ui/state.py).

The rows searched are built once per snapshot and the matches once per (snapshot, text) (issue 14): a
search ranked `to_dict("records")` of every instansi (6 400 at 10×) twice per rerun, and a rerun without
a search no longer reads the instansi list at all."""
from __future__ import annotations

import streamlit as st

from domain.search import rank
from rendering.safe_text import md
from ui import data, figure_cache, state

MAX_HITS = 50
CACHE_TTL_S = 1800


@st.cache_resource(max_entries=8, ttl=CACHE_TTL_S, show_spinner=False)
def _rows(scope: tuple[str, str]) -> list[dict]:
    """The rows domain.search ranks, of one snapshot (read only)."""
    return data.run("instansi_list")[["instansi_id", "nama", "alias", "kode_wilayah"]].to_dict("records")


@st.cache_resource(max_entries=256, ttl=CACHE_TTL_S, show_spinner=False)
def _ranked(scope: tuple[str, str], query: str) -> tuple[str, ...]:
    return tuple(rank(query, _rows(scope))[:MAX_HITS])


def _hits(query: str) -> list[str]:
    return list(_ranked(figure_cache.scope(), query))


def search_box(label_of) -> None:
    """Text box + the list of matches (best first); `label_of(row)` labels an instansi (a row of instansi_list)."""
    def go() -> None:
        hits = _hits(st.session_state.get("pi_cari") or "")
        if hits:
            state.set_instansi(hits[0])

    query = st.text_input("Cari instansi", key="pi_cari", on_change=go,
                          placeholder="nama atau kode wilayah, lalu Enter",
                          help="Nama, alias atau kode wilayah Kemendagri (mis. Pandeglang, 36.73); Enter menampilkan "
                               "yang paling cocok.")
    if not query:
        return
    hits = _hits(query)
    if not hits:
        st.caption(f"Tidak ada instansi yang cocok dengan “{md(query)}”.")
        return
    lst = data.run("instansi_list")
    by_id = {r.instansi_id: label_of(r) for r in lst[lst["instansi_id"].isin(hits)].itertuples()}
    labels = {i: by_id[i] for i in hits}
    current = state.instansi()
    st.session_state["pi_hasil"] = current if current in labels else None   # drawn below: shows the global choice
    st.selectbox(f"Hasil pencarian ({len(hits)}, paling cocok di atas)", hits, index=None, format_func=labels.get,
                 filter_mode="contains",
                 key="pi_hasil", placeholder="pilih instansi lain dari hasil pencarian",
                 on_change=lambda: state.set_instansi(st.session_state["pi_hasil"]) if st.session_state["pi_hasil"] else None)
