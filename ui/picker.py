"""The instansi picker: a type-ahead search box and a short list of matches, never the whole list.

At 10× demo scale there are 6 400 instansi: a selectbox holding all of them was rebuilt from the
rows on every rerun (35 ms) and shipped whole every time (377 KB; issue 14). Here the labels and
the search rows are built once per snapshot (`st.cache_resource`, shared by sessions, read only),
a search is cached per (snapshot, text), and a widget only carries the instansi already chosen
plus at most MAX_HITS matches of what was typed (domain.search: names, aliases, Kemendagri codes).
"""
from __future__ import annotations

import streamlit as st

from domain.search import norm, rank
from ui import data, state

MAX_HITS = 30
CACHE_TTL_S = 1800
SEARCH_HELP = "Ketik sebagian nama, alias atau kode wilayah Kemendagri (mis. 36.73); hasilnya muncul di daftar di bawah."


def scope() -> tuple[str, str]:
    """(warehouse folder, snapshot id) of this session's data: a session with uploads has its own."""
    wh = data.current()
    return ("", "") if wh is None else (str(wh.root), wh.snapshot_id)


@st.cache_resource(max_entries=8, ttl=CACHE_TTL_S, show_spinner=False)
def _catalogue(snap: tuple[str, str]) -> tuple[dict[str, str], list[dict], frozenset[str]]:
    """Labels by instansi id, the rows domain.search ranks and the set of ids, for one snapshot (never
    modified)."""
    lst = data.run("instansi_list")
    codes = lst["kode_wilayah"].where(lst["kode_wilayah"].map(lambda c: isinstance(c, str) and bool(c)), None)
    labels = {i: f"{n}{f' · {c}' if c else ''} · {k}"
              for i, n, c, k in zip(lst["instansi_id"], lst["nama"], codes, lst["kategori_ringkas"])}
    rows = lst[["instansi_id", "nama", "alias", "kode_wilayah"]].to_dict("records")
    return labels, rows, frozenset(labels)


def labels() -> dict[str, str]:
    """'Nama · kode wilayah · kategori' of every instansi of this session's snapshot (cached, read only)."""
    sc = scope()
    return _catalogue(sc)[0]


def ids() -> frozenset[str]:
    """Every instansi id of this session's snapshot (cached: `set(column)` loops over 6 400 Arrow strings)."""
    sc = scope()
    return _catalogue(sc)[2]


@st.cache_resource(max_entries=512, ttl=CACHE_TTL_S, show_spinner=False)
def _search(snap: tuple[str, str], query: str) -> tuple[str, ...]:
    return tuple(rank(query, _catalogue(snap)[1])[:MAX_HITS])


def matches(query: str | None) -> list[str]:
    """Up to MAX_HITS instansi ids matching `query`, best first (empty for an empty query)."""
    q = norm(query)
    return list(_search(scope(), q)) if q else []


def options(query: str | None, keep: list[str]) -> list[str]:
    """What a picker offers: the instansi already chosen (`keep`), then the matches of `query`."""
    known = labels()
    kept = [i for i in keep if i in known]
    return kept + [i for i in matches(query) if i not in kept]


def _picked() -> None:
    chosen = st.session_state.get("w_instansi")
    if chosen and chosen != state.instansi():
        state.set_instansi(chosen)
        st.session_state["w_instansi_cari"] = ""
        st.session_state["_picker_pindah"] = True


@st.fragment
def sidebar_instansi() -> None:
    """'Instansi yang dikaji' in the sidebar: typing reruns only this fragment (live, 250 ms after
    the last key); choosing a match sets the global instansi and reruns the whole page."""
    if st.session_state.pop("_picker_pindah", False):
        st.rerun(scope="app")
    query = st.text_input("Cari instansi", key="w_instansi_cari", live=True, help=SEARCH_HELP,
                          placeholder="nama atau kode wilayah (mis. 36.73)")
    current = state.instansi()
    opts = options(query, [current] if current else [])
    state.sync_widget("w_instansi", current, opts)
    names = labels()
    found = len(opts) - (1 if current in names else 0)
    st.selectbox("Instansi yang dikaji", opts, key="w_instansi", format_func=lambda i: names.get(i, i),
                 filter_mode="contains", on_change=_picked,
                 help="Daftar ini berisi instansi yang dikaji dan hasil pencarian di atas (paling cocok di atas).",
                 placeholder="ketik di kotak Cari instansi")
    if query and not found:
        st.caption("Tidak ada instansi yang cocok.")
    elif query:
        st.caption(f"{found} instansi cocok{f' ({MAX_HITS} teratas)' if found >= MAX_HITS else ''}: pilih di daftar di atas.")
