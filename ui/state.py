"""Global filters (year, instansi under study, comparison set) shared by every page.

They live in st.session_state under fixed keys and are mirrored to st.query_params so a link
reproduces the view. Pages read them with the helpers here (setdefault semantics), so a page
also runs standalone (AppTest.from_file).
"""
from __future__ import annotations

import re

import streamlit as st

KEY_YEAR = "g_tahun"
KEY_INSTANSI = "g_instansi"
KEY_COMPARE = "g_bandingkan"
DEFAULT_INSTANSI = "kota-36.73"  # Kota Serang: the instansi whose real 2021 LHE levels both warehouses carry
_YEAR = re.compile(r"\d{4}", re.ASCII)   # '²' and 4 301-digit strings pass str.isdigit() but not int()


def _from_query(name: str) -> str | None:
    value = st.query_params.get(name)
    return value if value else None


def init(years: list[int], instansi_ids: set[str] | None = None) -> None:
    """Seed state from the URL (first run of a session) or defaults; validate against data."""
    if KEY_YEAR not in st.session_state:
        q = _from_query("tahun")
        st.session_state[KEY_YEAR] = int(q) if q and _YEAR.fullmatch(q) else (max(years) if years else None)
    if years and st.session_state[KEY_YEAR] not in years:
        st.session_state[KEY_YEAR] = max(years)
    if KEY_INSTANSI not in st.session_state:
        st.session_state[KEY_INSTANSI] = _from_query("instansi") or DEFAULT_INSTANSI
    if instansi_ids is not None and st.session_state[KEY_INSTANSI] not in instansi_ids:
        st.session_state[KEY_INSTANSI] = DEFAULT_INSTANSI if DEFAULT_INSTANSI in instansi_ids else (
            sorted(instansi_ids)[0] if instansi_ids else None)
    if KEY_COMPARE not in st.session_state:
        q = _from_query("bandingkan")
        st.session_state[KEY_COMPARE] = q.split(",") if q else []
    if instansi_ids is not None:
        st.session_state[KEY_COMPARE] = [i for i in st.session_state[KEY_COMPARE] if i in instansi_ids][:4]
    sync_query_params()


def year() -> int | None:
    return st.session_state.get(KEY_YEAR)


def instansi() -> str | None:
    return st.session_state.get(KEY_INSTANSI)


def compare() -> list[str]:
    return list(st.session_state.get(KEY_COMPARE, []))


def set_year(value: int) -> None:
    st.session_state[KEY_YEAR] = int(value)
    sync_query_params()


def set_instansi(value: str) -> None:
    st.session_state[KEY_INSTANSI] = value
    sync_query_params()


def set_compare(values: list[str]) -> None:
    st.session_state[KEY_COMPARE] = list(values)[:4]
    sync_query_params()


def sync_widget(key: str, value, options) -> None:
    """Make a global-filter widget show the global value before it is drawn (call before the widget).
    Its own key is otherwise kept from its last use, so a change made elsewhere — the profile's
    search, a button, a link — would leave it naming the previous value (issue 13)."""
    if value in options and st.session_state.get(key) != value:
        st.session_state[key] = value


def url_choice(key: str, param: str, options: dict[str, object], default: str) -> None:
    """Page control `key` shared by link: seeded from ?param= on the session's first run (else `default`;
    `options` maps URL text → widget value), then mirrored to the URL by `mirror_choice` after the widget.
    The widget is then drawn without its own default (its value is in st.session_state)."""
    values = list(options.values())
    if key not in st.session_state or st.session_state[key] not in values:
        q = _from_query(param)
        st.session_state[key] = options[q] if q in options else options[default]


def mirror_choice(key: str, param: str, options: dict[str, object], default: str) -> None:
    text = next((t for t, v in options.items() if v == st.session_state.get(key)), default)
    _mirror(param, "" if text == default else text)


def url_list(key: str, param: str, options, limit: int) -> None:
    """A multiselect shared by link (?param=a,b): seeded on first run, kept to valid options (any
    collection; a set is used as is), mirrored."""
    if key not in st.session_state:
        q = _from_query(param)
        st.session_state[key] = q.split(",") if q else []
    valid = options if isinstance(options, (set, frozenset)) else set(options)
    st.session_state[key] = [v for v in st.session_state[key] if v in valid][:limit]
    _mirror(param, ",".join(st.session_state[key]))


def _mirror(param: str, text: str) -> None:
    if text and st.query_params.get(param) != text:
        st.query_params[param] = text
    elif not text and param in st.query_params:
        del st.query_params[param]


def sync_query_params() -> None:
    """Mirror the global filters into the URL (only what changed, to avoid needless reruns)."""
    wanted = {
        "tahun": str(st.session_state.get(KEY_YEAR) or ""),
        "instansi": st.session_state.get(KEY_INSTANSI) or "",
        "bandingkan": ",".join(st.session_state.get(KEY_COMPARE, [])),
    }
    for key, value in wanted.items():
        if value and st.query_params.get(key) != value:
            st.query_params[key] = value
        elif not value and key in st.query_params:
            del st.query_params[key]
