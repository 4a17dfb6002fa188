import csv

from domain.guidance import GUIDANCE_DIR, load_guidance, next_level_requirement

ID = "permenpanrb_59_2020"


def test_all_47_indicators_have_5_levels():
    g = load_guidance(ID)
    assert len(g) == 47 * 5
    assert set(g) == {(no, lvl) for no in range(1, 48) for lvl in range(1, 6)}


def test_texts_non_empty_short_plain():
    for key, text in load_guidance(ID).items():
        assert text.strip(), key
        assert len(text) <= 220, (key, len(text))
        assert "\n" not in text and "**" not in text and "|" not in text, key


def test_file_has_expected_header_and_row_count():
    with (GUIDANCE_DIR / f"{ID}.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["no_indikator", "level", "syarat"]
    assert len(rows) == 1 + 235


def test_levels_differ_within_indicator():
    g = load_guidance(ID)
    for no in range(1, 48):
        assert len({g[(no, lvl)] for lvl in range(1, 6)}) == 5, no


def test_unknown_instrument_gives_empty(tmp_path):
    assert load_guidance("tidak_ada_instrumen") == {}
    assert load_guidance(ID, directory=tmp_path) == {}


def test_next_level_requirement():
    g = load_guidance(ID)
    assert next_level_requirement(g, 1, 2) == g[(1, 3)]
    assert next_level_requirement(g, 47, 4) == g[(47, 5)]
    assert next_level_requirement(g, 1, 5) is None
    assert next_level_requirement({}, 1, 2) is None


def test_custom_directory(tmp_path):
    (tmp_path / "x.csv").write_text('no_indikator,level,syarat\n1,1,"Ada, konsep."\n', encoding="utf-8")
    assert load_guidance("x", directory=tmp_path) == {(1, 1): "Ada, konsep."}
