"""AppTest: Metodologi & data page."""
from __future__ import annotations

PAGE = "metodologi"


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def test_renders_instruments_formulas_sources_and_caveats(page_app):
    at = page_app(PAGE, query={"tahun": "2024"})
    assert not at.exception
    assert "DATA SINTETIS" in texts(at.warning)
    sizes = sorted(len(df.value) for df in at.dataframe)
    assert 47 in sizes and 35 in sizes                     # indicator tables of both instruments
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
