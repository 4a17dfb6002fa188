"""Type-ahead instansi widgets that never carry the whole list of instansi (issue 14), with no data access
of their own: a "Cari instansi" box and a widget whose options are only the instansi already chosen plus
at most MAX_HITS matches of what was typed (domain.search: names, aliases, Kemendagri codes).

The caller says what to search: ui.picker passes its catalogue cached per snapshot (read through ui.data);
ui.upload, which ui.data imports and so cannot import ui.picker, passes the instansi frame it was given
(`one_from_frame`). Both share this module without an import cycle.
"""
from __future__ import annotations

from collections.abc import Callable, Container, Iterable

import pandas as pd
import streamlit as st

from domain.search import norm, rank

MAX_HITS = 30
SEARCH_HELP = "Ketik sebagian nama, alias atau kode wilayah Kemendagri (mis. 36.73); hasilnya muncul di daftar di bawah."
SEARCH_PLACEHOLDER = "nama atau kode wilayah (mis. 36.73)"
LIST_PLACEHOLDER = "ketik di kotak Cari instansi"
SEARCH_COLUMNS = ["instansi_id", "nama", "alias", "kode_wilayah"]


def label(nama, kode, kategori) -> str:
    """'Nama · kode wilayah · kategori' (the parts that are given)."""
    return " · ".join(str(x) for x in (nama, kode, kategori) if isinstance(x, str) and x)


def search_box(key: str, title: str = "Cari instansi", container=None) -> str:
    """The search box, live: its fragment reruns 250 ms after the last key."""
    return (container or st).text_input(title, key=key, live=True, help=SEARCH_HELP,
                                        placeholder=SEARCH_PLACEHOLDER) or ""


def short_list(keep: Iterable[str], hits: Iterable[str], known: Container[str], exclude: Container[str] = ()) -> list[str]:
    """What a picker offers: the instansi already chosen (`keep`, still known), then the matches."""
    kept = list(dict.fromkeys(i for i in keep if i in known and i not in exclude))
    return kept + [i for i in hits if i not in kept and i not in exclude]


def hits_caption(query: str, found: int, container=None) -> None:
    box = container or st
    if query and not found:
        box.caption("Tidak ada instansi yang cocok.")
    elif query:
        box.caption(f"{found} instansi cocok{f' ({MAX_HITS} teratas)' if found >= MAX_HITS else ''}: "
                    "pilih di daftar.")


def rerun_page_if(flag: str) -> None:
    """At the top of a fragment: a choice made in it (its on_change set `flag`) reruns the whole page."""
    if st.session_state.pop(flag, False):
        st.rerun(scope="app")


def _frame_hits(frame: pd.DataFrame, query: str, memo_key: str) -> list[str]:
    """Matches of `query` in the frame, remembered in the session for the last query (a rerun of the page
    does not search the 6 400 rows again)."""
    q = norm(query)
    if not q:
        return []
    sig = (q, len(frame), frame["instansi_id"].iloc[0] if len(frame) else None)
    memo = st.session_state.get(memo_key)
    if not memo or memo[0] != sig:
        memo = (sig, rank(q, frame[SEARCH_COLUMNS].to_dict("records"))[:MAX_HITS])
        st.session_state[memo_key] = memo
    return list(memo[1])


@st.fragment
def one_from_frame(title: str, key: str, frame: pd.DataFrame, keep: list[str | None], placeholder: str,
                   on_change: Callable[[], None] | None = None) -> str | None:
    """A selectbox (index=None) of the instansi of `frame` with a search box above it; offers the current
    value, `keep` and the matches only. Typing reruns this fragment; a choice reruns the page."""
    flag = f"_ta_pindah_{key}"
    rerun_page_if(flag)
    query = search_box(f"{key}_cari", "Cari instansi")
    current = st.session_state.get(key)
    ids = frame["instansi_id"]
    wanted = [i for i in [current, *keep] if i]
    known = set(ids[ids.isin(wanted)])
    hits = _frame_hits(frame, query, f"_ta_hits_{key}")
    opts = short_list(wanted, hits, known)
    rows = frame[ids.isin(opts)]
    names = {i: label(n, k, c) for i, n, k, c in zip(rows["instansi_id"], rows["nama"], rows["kode_wilayah"],
                                                       rows["kategori_ringkas"])}

    def changed() -> None:
        st.session_state[flag] = True
        st.session_state[f"{key}_cari"] = ""
        if on_change is not None:
            on_change()

    chosen = st.selectbox(title, opts, index=None, key=key, format_func=lambda i: names.get(i, i), filter_mode="contains",
                          placeholder=placeholder, on_change=changed)
    hits_caption(query, len(hits))
    return chosen
