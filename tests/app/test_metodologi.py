"""AppTest: Metodologi & data page."""
from __future__ import annotations

from tests.app.fragments import fragment_ids, rerun_fragment

PAGE = "metodologi"


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def test_renders_instruments_formulas_sources_and_caveats(page_app):
    at = page_app(PAGE, query={"tahun": "2024"})
    assert not at.exception
    assert "DATA SINTETIS" in texts(at.warning)
    sizes = sorted(len(df.value) for df in at.dataframe)
    assert 47 in sizes and 35 not in sizes                 # the open (newest) instrument's tables only
    latex = texts(at.latex)
    # the regulation's worked example, computed by domain.scoring
    assert "= 3{,}00" in latex and "= 3{,}40" in latex and r"\approx 3{,}28" in latex
    md = texts(at.markdown)
    assert "Nasional resmi ≠ rerata sederhana" in md and "45–47" in md and "Tidak ada nilai ≠ nol" in md
    assert "Sintetis (data demo)" in md and "Resmi / nyata" in md
    sources = next(df.value for df in at.dataframe if "sumber_id" in df.value.columns or "Id" in df.value.columns)
    assert len(sources) >= 1


def test_year_picks_the_instrument_of_the_predikat_table(page_app):
    at19 = page_app(PAGE, query={"tahun": "2019"})
    at24 = page_app(PAGE, query={"tahun": "2024"})
    assert "PermenPANRB 5/2018" in texts(at19.caption) and "PermenPANRB 59/2020" in texts(at24.caption)
    assert at19.query_params["tahun"] == "2019" and at19.session_state["g_tahun"] == 2019


def test_only_the_open_instrument_tab_and_expander_are_built(page_app):
    """Issue 14: a closed tab's tables and the collapsed SOURCES.md are not built or sent; opening them reruns
    only their fragment."""
    at = page_app(PAGE, query={"tahun": "2024"})
    tabs = at.tabs
    assert len(tabs) >= 2 and "PermenPANRB 59/2020" in tabs[0].label
    assert "Asal dan cara penyusunan" not in texts(at.markdown) and "SOURCES.md" not in texts(at.markdown)
    full = len(at.dataframe)
    tab_fragment, notes_fragment = fragment_ids(at)
    at.session_state["mt_instrumen"] = tabs[1].label                # the 5/2018 instrument
    rerun_fragment(at, tab_fragment)
    assert not at.exception and not at.title                        # the fragment alone
    assert sorted(len(df.value) for df in at.dataframe)[-1] == 35 and len(at.dataframe) == 3
    assert "Nomor 5 Tahun 2018" in texts(at.markdown)
    at.session_state["mt_sumber_md"] = True
    rerun_fragment(at, notes_fragment)
    assert len(texts(at.markdown)) > 2000 and not at.dataframe      # SOURCES.md, nothing else
    at.run()                                                        # a full rerun keeps both choices
    assert 35 in [len(df.value) for df in at.dataframe] and 47 not in [len(df.value) for df in at.dataframe]
    assert len(at.dataframe) == full and len(texts(at.markdown)) > 2000


def test_pointer_is_read_once_per_rerun_and_a_publish_is_seen_on_the_next(page_app, demo_warehouse, tmp_path,
                                                                          monkeypatch):
    """Issue 14: every query of one rerun uses the snapshot id read once at its start (not the CURRENT file
    per query); a snapshot published meanwhile is what the next rerun reads."""
    import shutil

    from domain import storage
    from ui import data

    wh = tmp_path / "wh"
    shutil.copytree(demo_warehouse, wh, ignore=shutil.ignore_patterns("import_log.jsonl", ".publish.lock"))
    monkeypatch.setenv("SPBE_WAREHOUSE", str(wh))
    reads, real = [], data.snapshot_id
    monkeypatch.setattr(data, "snapshot_id", lambda root=None: reads.append(root) or real(root))
    at = page_app(PAGE, query={"tahun": "2024"})
    assert not at.exception and len(reads) == 1                       # one read for the page's many queries
    first = storage.current_snapshot(wh).name
    assert f"snapshot {first}" in texts(at.caption)
    shutil.copytree(wh / "snapshots" / first, wh / "snapshots" / "uji-terbit-baru")
    storage.switch_pointer(wh, "uji-terbit-baru")                      # published between two reruns
    at.run()
    assert not at.exception and len(reads) == 2 and "snapshot uji-terbit-baru" in texts(at.caption)
