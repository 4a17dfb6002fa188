"""The instansi pickers: a type-ahead search box and a short list of matches, never the whole list.

At 10× demo scale there are 6 400 instansi: a selectbox holding all of them was rebuilt from the
rows on every rerun (35 ms) and shipped whole every time (377 KB; issue 14). Here the labels and
the search rows are built once per snapshot (`st.cache_resource`, shared by sessions, read only),
a search is cached per (snapshot, text), and a widget only carries the instansi already chosen
plus at most MAX_HITS matches of what was typed (domain.search: names, aliases, Kemendagri codes).
`sidebar_instansi`: the instansi under study; `multi_instansi` (+ `multi_instansi_page`, in its own
fragment): a set of comparators, e.g. Tren's and Bandingkan's (ui/typeahead.py: the shared widget parts).
"""
from __future__ import annotations

import streamlit as st

from domain.search import norm, rank
from ui import data, state, typeahead
from ui.typeahead import MAX_HITS, SEARCH_HELP  # noqa: F401 (re-exported)

CACHE_TTL_S = 1800


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
    labels = {i: typeahead.label(n, c, k) for i, n, c, k in zip(lst["instansi_id"], lst["nama"], codes, lst["kategori_ringkas"])}
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


def options(query: str | None, keep: list[str], exclude: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """What a picker offers: the instansi already chosen (`keep`), then the matches of `query`."""
    return typeahead.short_list(keep, matches(query), labels(), exclude)


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
    query = typeahead.search_box("w_instansi_cari")
    current = state.instansi()
    opts = options(query, [current] if current else [])
    state.sync_widget("w_instansi", current, opts)
    names = labels()
    found = len(opts) - (1 if current in names else 0)
    st.selectbox("Instansi yang dikaji", opts, key="w_instansi", format_func=lambda i: names.get(i, i),
                 filter_mode="contains", on_change=_picked,
                 help="Daftar ini berisi instansi yang dikaji dan hasil pencarian di atas (paling cocok di atas).",
                 placeholder=typeahead.LIST_PLACEHOLDER)
    typeahead.hits_caption(query, found)


def multi_instansi(title: str, key: str, *, limit: int, exclude: frozenset[str] | set[str] = frozenset(),
                   on_change=None, help: str | None = None, search_in=None) -> list[str]:
    """A search box ("Cari instansi", in `search_in` if given) and a multiselect (at most `limit`) whose
    options are the instansi chosen in st.session_state[key] plus the matches of what was typed — never
    every instansi. `exclude`: never offered (e.g. the instansi under study). Call it inside a fragment:
    typing reruns that fragment, not the page."""
    query = typeahead.search_box(f"{key}_cari", container=search_in)
    sc = scope()   # once per run: it reads the snapshot pointer
    names, q = _catalogue(sc)[0], norm(query)
    chosen = list(st.session_state.get(key) or [])
    hits = [i for i in (_search(sc, q) if q else ()) if i not in exclude]
    kept = typeahead.short_list(chosen, (), names, exclude)
    if kept != chosen:   # an unknown or excluded id never reaches the widget (its options would lack it)
        st.session_state[key] = kept
    opts = typeahead.short_list(kept, hits, names)
    value = st.multiselect(title, opts, key=key, max_selections=limit, format_func=lambda i: names.get(i, i),
                           filter_mode="contains", select_all=False,  # no "Select N matches" adding unrelated ones
                           on_change=on_change, help=help, placeholder=typeahead.LIST_PLACEHOLDER)
    typeahead.hits_caption(query, len(hits), container=search_in)
    return value


@st.fragment
def multi_instansi_page(title: str, key: str, *, limit: int, on_change=None, help: str | None = None) -> list[str]:
    """`multi_instansi` in its own fragment, for a choice the whole page depends on: typing reruns only
    the fragment (live, 250 ms after the last key); a change of the choice reruns the page."""
    flag = f"_picker_pindah_{key}"
    typeahead.rerun_page_if(flag)

    def changed() -> None:
        st.session_state[flag] = True
        if on_change is not None:
            on_change()

    return multi_instansi(title, key, limit=limit, on_change=changed, help=help)
