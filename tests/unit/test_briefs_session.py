"""The brief of an instansi-year held by a session upload is built from the session's private snapshot
only: the upload's index, its gap table, its source label (issue 13: a brief headlined the
warehouse's 1,91 next to the upload's 2,75 and called an official LHE "penilaian sendiri")."""
from __future__ import annotations

from domain.instrument import load_registry
from domain.scoring import score_levels
from domain.warehouse_layout import current_snapshot
from tests.unit.test_upload import SERANG_2021, lhe_bytes
from ui import session_data, upload

SERANG = "kota-36.73"


def test_brief_uses_the_session_snapshot_for_the_uploaded_year(demo_warehouse, warehouse):
    from briefs import build_brief, with_assessment

    result = upload.handle_upload("lhe_kota_serang_2024.txt", lhe_bytes(tahun=2024))
    found = result.assessments
    base = current_snapshot(demo_warehouse)
    sw = upload.build_session_warehouse(found, base, session_data.signature(found))
    try:
        own = score_levels(load_registry().for_year(2024), dict(enumerate(SERANG_2021, 1)))
        published = build_brief(warehouse, SERANG, 2024, charts=False)
        brief = build_brief(sw.gateway(), SERANG, 2024, charts=False)
        assert round(published.indeks, 2) != round(own.indeks, 2)
        assert brief.indeks == own.indeks and brief.numbers["indeks"] == own.indeks
        assert brief.sumber.startswith(session_data.LABEL_LHE)
        below = sorted(n for n, lv in zip(range(1, 48), SERANG_2021) if lv < 3)
        assert sorted(brief.gap_table["No"]) == below[:len(brief.gap_table)] or set(brief.gap_table["No"]) <= set(below)
        assert brief.gap_rest + len(brief.gap_table) == len(below)
        both = with_assessment(brief, found[0])
        assert both.assessment.sumber == session_data.LABEL_LHE
        assert "penilaian sendiri" not in both.assessment_notes[0].lower()
        assert current_snapshot(demo_warehouse) == base         # the published warehouse did not move
    finally:
        session_data._remove(str(sw.root))
    assert not sw.root.exists()


def test_labels_follow_the_document_format():
    assert session_data.source_label("lhe-pdf") == session_data.source_label("lhe-teks") == session_data.LABEL_LHE
    assert session_data.source_label("csv-panjang") == session_data.LABEL_MANDIRI
    assert session_data.source_label("xlsx-lebar") == session_data.LABEL_MANDIRI
