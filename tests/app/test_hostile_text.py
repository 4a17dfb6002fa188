"""AppTest: every page over a warehouse whose instansi names, kategori, provinsi, predikat, source
and file names hold HTML and markdown (issue 16). Nothing from the data may reach the browser as
live HTML or markdown: every markdown-rendered string (bodies, labels, help) holds it escaped, the
only HTML is the predikat badge of a band name, and plotly text carries no tag but our own."""
from __future__ import annotations

import json
import re

import pytest
from google.protobuf.json_format import MessageToDict

from tests.hostile import EVIL_HOST, LIVE_TAGS, SERANG, TANGERANG, publish_hostile

PAGES = ["ringkasan_nasional", "profil_instansi", "bandingkan", "tren", "kesenjangan_target",
         "peringkat_sebaran", "peta", "metodologi", "penilaian_mandiri"]
MARKDOWN_FIELDS = {"body", "label", "help"}     # rendered by Streamlit's markdown renderer
BADGE = re.compile(r"<span style='background:#[0-9A-Fa-f]{6};color:#fff;padding:0\.2rem 0\.7rem;border-radius:1rem;"
                   r"font-weight:600'>(Memuaskan|Sangat Baik|Baik|Cukup|Kurang)</span>")
PLOTLY_TAGS = {"br", "b", "i", "extra", "sup", "sub", "em"}


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory):
    return publish_hostile(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def hostile_app(page_app, hostile_root, monkeypatch):
    monkeypatch.setenv("SPBE_WAREHOUSE", str(hostile_root))
    return page_app


def _walk(node):
    yield node
    for child in (getattr(node, "children", None) or {}).values():
        yield from _walk(child)


def _strings(value, path=()):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, (*path, k))
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, path)


def markdown_problems(at) -> list[str]:
    """Markdown-rendered strings that hold live HTML or markdown (an empty list when all is text)."""
    bad = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or getattr(node, "type", "") == "plotly_chart":
            continue
        d = MessageToDict(proto, preserving_proto_field_name=True)
        if d.get("allow_html"):
            if not BADGE.fullmatch(d.get("body", "")):
                bad.append(f"HTML: {d.get('body')!r}")
            continue
        for path, text in _strings(d):
            if path and path[-1] in MARKDOWN_FIELDS and (
                    re.search(LIVE_TAGS, text, re.I) or "![" in text or re.search(r"(?<!\\)\]\(", text)
                    or re.search(r"https?://\S*" + re.escape(EVIL_HOST), text)):     # remark-gfm autolinks it
                bad.append(f"{getattr(node, 'type', '?')}.{'.'.join(path)}: {text[:160]!r}")
    return bad


def plotly_problems(at) -> list[str]:
    bad = []
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        for path, text in _strings(spec):
            if path[:2] in (("layout", "meta"), ("layout", "template")):
                continue
            tags = {t.lower() for t in re.findall(r"<\s*/?\s*([A-Za-z]+)", text)}
            if tags - PLOTLY_TAGS or "href" in text.lower():
                bad.append(f"{'.'.join(map(str, path))}: {text[:160]!r}")
    return bad


def shown_text(at) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "subheader", "info", "warning")
                     for e in at.get(kind))


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("instansi", [TANGERANG, SERANG])
def test_every_page_shows_hostile_text_as_text(hostile_app, page, instansi):
    at = hostile_app(page, query={"tahun": "2024", "instansi": instansi, "bandingkan": f"{TANGERANG},{SERANG}"})
    assert not at.exception, at.exception
    assert markdown_problems(at) == []
    assert plotly_problems(at) == []


def test_profile_shows_the_band_not_the_published_text(hostile_app):
    at = hostile_app("profil_instansi", query={"tahun": "2024", "instansi": TANGERANG})
    assert not at.exception
    badges = [m.value for m in at.markdown if m.proto.allow_html]
    assert len(badges) == 1 and BADGE.fullmatch(badges[0]) and ">Baik<" in badges[0]   # index 3,00
    text = shown_text(at)
    assert "bukan predikat instrumen" in text
    assert ('&lt;iframe src="http:\u200b//evil.example/iframe"&gt;&lt;/iframe&gt; '
            '\\!\\[x\\](http:\u200b//evil.example/x.png)') in text                  # escaped, whole
    assert "Pemerintah Kota Tangerang &lt;meta" in at.subheader[0].value


def test_predikat_distribution_counts_the_odd_predikat_as_lainnya(hostile_app):
    at = hostile_app("ringkasan_nasional", query={"tahun": "2024"})
    assert not at.exception
    spec = next(json.loads(e.proto.spec) for e in at.get("plotly_chart")
                if "Sebaran predikat" in json.dumps(json.loads(e.proto.spec)["layout"].get("title")))
    other = [t for t in spec["data"] if t["name"].startswith("Lainnya")]
    assert len(other) == 1
    kota = other[0]["y"].index("Kota")
    assert other[0]["customdata"][kota] == 1        # Kota Tangerang: counted, not dropped
    shares = [t["x"][kota] for t in spec["data"] if t["x"][kota] is not None]
    assert abs(sum(shares) - 100) < 1e-6
