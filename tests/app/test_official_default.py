"""AppTest: every page on the default warehouse (official results, as `make run` builds it) — real
figures, no synthetic mark anywhere, and the level views point to the LHE."""
from __future__ import annotations

import pytest

from tests.app.conftest import PROJECT_ROOT, plotly_specs

PAGES = sorted(p.stem for p in (PROJECT_ROOT / "pages").glob("*.py"))
SERANG = {"tahun": "2024", "instansi": "kota-36.73"}


@pytest.fixture
def official_app(page_app, official_warehouse, monkeypatch):
    monkeypatch.setenv("SPBE_WAREHOUSE", str(official_warehouse))
    return page_app


def all_text(at) -> str:
    parts = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "subheader", "title", "header"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value} {m.delta}" for m in at.metric]
    parts += [str(s) for s in plotly_specs(at)]
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_official_data_without_a_synthetic_mark(official_app, page):
    at = official_app(page, query=SERANG)
    assert not at.exception, at.exception
    text = all_text(at)
    if page == "metodologi":      # the page that explains what is synthetic says there is none
        assert "Tidak ada nilai sintetis" in text and "ya — SINTETIS" not in text
    else:
        assert "SINTETIS" not in text.upper()


def test_profile_shows_the_published_2_61_baik(official_app):
    at = official_app("profil_instansi", query=SERANG)
    index = next(m for m in at.metric if m.label == "Indeks SPBE 2024")
    assert index.value == "2,61"
    assert "Baik" in all_text(at)
    assert "KemenPANRB tidak memublikasikan level indikator" in "\n".join(str(e.value) for e in at.info)


def test_gap_page_offers_the_lhe_upload_when_only_domains_are_published(official_app):
    at = official_app("kesenjangan_target", query=SERANG)
    info = "\n".join(str(e.value) for e in at.info)
    assert "tidak memublikasikan level indikator" in info and "Penilaian mandiri & rencana" in info


def test_the_two_official_2022_national_figures_are_shown_with_their_sources(official_app):
    at = official_app("ringkasan_nasional", query=SERANG)
    captions = "\n".join(str(e.value) for e in at.caption)
    assert "Untuk 2022 dokumen lain mencetak 2,35" in captions and "bukan 2,34" in captions
    assert "Laporan Hasil Pemantauan SPBE 2022" in captions


def test_profile_compares_with_official_national_category_and_province(official_app):
    at = official_app("profil_instansi", query=SERANG)
    table = next(df.value for df in at.dataframe if "Nasional (resmi)" in df.value.columns)
    first = table.iloc[0]
    assert (first["Komponen"], first["Instansi"], first["Nasional (resmi)"], first["± nasional"]) == \
        ("Indeks", "2,61", "3,12", "-0,51")
    assert first["Kota (resmi)"] == "3,39"
    assert any(c.startswith("Kab/kota se-Banten (dihitung ulang, 8)") for c in table.columns)


def test_weakest_national_aspect_comes_from_the_official_table_when_only_domains_are_stored(official_app):
    at = official_app("ringkasan_nasional", query=SERANG)
    text = "\n".join(str(e.value) for e in at.markdown)
    assert "Aspek terlemah secara nasional 2024 (resmi):" in text and "A6 Audit" in text and "1,73" in text
    assert "tidak dapat ditentukan" not in text
