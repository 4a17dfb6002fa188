"""Issue 16 item 4: public mode (SPBE_PUBLIC=1), the upload cap the server enforces, no server paths,
escaped upload names, the nginx example. Real server behaviour: tests/e2e/test_public_mode.py."""
from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app.conftest import TIMEOUT_S, plotly_specs
from tests.unit.test_upload import lhe_bytes
from ui import public, upload

ROOT = Path(__file__).resolve().parents[2]
SERANG = "kota-36.73"
HOSTILE = "**tebal**[klik](http://evil.example)<b>x</b>%{r}$1$.txt"


def texts(at: AppTest, kinds=("markdown", "caption", "info", "warning", "error", "success", "text", "code")) -> str:
    return "\n".join(str(e.value) for kind in kinds for e in at.get(kind))


@pytest.fixture
def public_mode(monkeypatch):
    monkeypatch.setenv(public.ENV, "1")
    before = st.get_option("client.showErrorDetails")
    yield
    st.set_option("client.showErrorDetails", before)  # the option is process-wide


def run_app(query: dict | None = None) -> AppTest:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


# --- upload cap: server = widget = app ------------------------------------------------------------
def test_server_upload_cap_equals_the_cap_the_widget_shows():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == upload.MAX_UPLOAD_MB  # was 20 MB against "maks. 5 MB"


def test_file_over_the_cap_is_refused_naming_file_size_and_cap(page_app):
    data = b"tahun,instansi_id,no_indikator,level\n" + b"x" * upload.MAX_UPLOAD_BYTES
    result = upload.handle_upload("besar_2024.csv", data)
    assert not result.ok and result.reason
    assert "besar_2024.csv" in result.reason and f"{len(data):,}".replace(",", ".") in result.reason
    assert "5 MB" in result.reason and "5.000.000 bita" in result.reason
    assert upload.handle_upload("kecil.csv", b"a,b\n1,2\n").reason != result.reason
    at = page_app("penilaian_mandiri")
    at.file_uploader[0].set_value(("besar_2024.csv", data, "text/csv")).run()
    error = texts(at, ("error",))
    assert "besar\\_2024.csv ditolak" in error and "melebihi batas unggahan 5 MB" in error
    assert f"{len(data):,} bita".replace(",", ".") in error


# --- upload names are text ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_upload():
    good = upload.handle_upload("lhe.txt", lhe_bytes())
    a = dataclasses.replace(good.assessments[0], berkas=HOSTILE)
    return dataclasses.replace(good, berkas=HOSTILE, assessments=(a,))


def test_upload_name_is_plain_text_in_the_radar_trace(page_app, hostile_upload):
    at = page_app("profil_instansi", query={"tahun": "2024", "instansi": SERANG},
                  session={upload.SESSION_KEY: hostile_upload})
    assert not at.exception
    added = [t["name"] for spec in plotly_specs(at) for t in spec["data"]
             if (t.get("name") or "").startswith("Unggahan sesi ini")]
    assert added
    assert all("<b>" not in n and "%{r}" not in n and "$1$" not in n and "&lt;b&gt;x&lt;/b&gt;" in n for n in added)


def _notice_script():
    from ui import widgets

    widgets.session_notice()


def test_upload_name_is_plain_text_in_the_session_notice(monkeypatch):
    """The notice every page shows while a session holds uploads (ui.widgets.session_notice, which
    replaced ui.upload.notice) prints the file name as text."""
    from ui import session_data

    hostile = "<b>x</b> [klik](http://evil.example) **tebal** $1$"
    monkeypatch.setattr(session_data, "covered", lambda instansi_id=None: [session_data.Covered(
        "kota-36.73", "Pemerintah Kota Serang", 2021, session_data.LABEL_LHE, hostile)])
    at = AppTest.from_function(_notice_script, default_timeout=TIMEOUT_S)
    at.run()
    assert not at.exception
    notice = next(i.value for i in at.info if "Data unggahan sesi ini" in i.value)
    assert "[klik](http" not in notice and "<b>" not in notice and "**tebal**" not in notice
    assert "\\*\\*tebal\\*\\*" in notice and "&lt;b&gt;" in notice


# --- public mode ----------------------------------------------------------------------------------
def test_local_mode_keeps_the_reload_button(demo_warehouse, monkeypatch):
    monkeypatch.delenv(public.ENV, raising=False)
    at = run_app()
    assert not at.exception
    assert [b.label for b in at.sidebar.button] == ["Muat ulang data"]


def test_public_mode_hides_the_shared_cache_flush_and_turns_error_details_off(demo_warehouse, public_mode):
    at = run_app()
    assert not at.exception
    assert not [b.label for b in at.sidebar.button if "Muat ulang" in b.label]  # no visitor flushes every cache
    assert any("snapshot terbit terbaru" in c.value for c in at.sidebar.caption)
    assert st.get_option("client.showErrorDetails") == "none"


def test_public_mode_upload_has_no_command_hint_that_writes(page_app, public_mode):
    at = page_app("penilaian_mandiri")
    at.file_uploader[0].set_value(("nilai.csv", b"a,b,c\n1,2,3\n", "text/csv")).run()
    assert "ditolak" in texts(at, ("error",))
    page = texts(at)
    assert "python -m etl" not in page and "Mode publik, hanya-baca" in page
    assert [b.label for b in at.get("button") if "terbit" in b.label.lower() or "impor" in b.label.lower()] == []


def test_local_mode_upload_rejection_names_the_etl_rules(page_app, monkeypatch):
    monkeypatch.delenv(public.ENV, raising=False)
    at = page_app("penilaian_mandiri")
    at.file_uploader[0].set_value(("nilai.csv", b"a,b,c\n1,2,3\n", "text/csv")).run()
    assert "python -m etl import" in texts(at, ("error",)) and "Mode publik" not in texts(at)


# --- no server paths ------------------------------------------------------------------------------
@pytest.fixture
def warehouse_with_full_path(demo_warehouse, tmp_path, monkeypatch):
    """A copy of the demo warehouse plus a source recorded with an operator's absolute path (as
    imports did before they stored bare names)."""
    import shutil

    import pandas as pd

    from domain.instrument import load_registry
    from etl.publish import Source, publish

    wh = tmp_path / "gudang_rahasia_operator"
    shutil.copytree(demo_warehouse, wh, ignore=shutil.ignore_patterns("import_log.jsonl", ".publish.lock"))
    ins = load_registry().for_year(2024)
    levels = pd.DataFrame([(2024, SERANG, ins.id, n, 3) for n in ins.indicator_numbers],
                          columns=["tahun", "instansi_id", "instrument_id", "no_indikator", "level"])
    publish(wh, source=Source("impor-lhe_serang.csv", "Impor lhe_serang.csv (csv)", "csv", False,
                              berkas="/home/operator/rahasia/lhe_serang.csv"), levels=levels)
    monkeypatch.setenv("SPBE_WAREHOUSE", str(wh))
    return wh


def all_cells(at: AppTest) -> str:
    return " ".join(str(v) for df in at.dataframe for v in df.value.to_numpy().ravel())


def test_metodologi_shows_no_server_path_only_the_snapshot_id(page_app, warehouse_with_full_path):
    from queries.gateway import snapshot_id

    at = page_app("metodologi", query={"tahun": "2024"})
    assert not at.exception
    shown = texts(at) + " " + all_cells(at)
    assert "/home/operator" not in shown and "rahasia" not in shown
    assert str(warehouse_with_full_path) not in shown and "gudang_rahasia_operator" not in shown
    sources = next(df.value for df in at.dataframe if "Berkas" in df.value.columns and "Sumber" in df.value.columns)
    assert "lhe_serang.csv" in set(sources["Berkas"])
    assert snapshot_id(warehouse_with_full_path) in texts(at, ("caption",)).replace("\\", "")


@pytest.mark.parametrize("mode", ["lokal", "publik"])
def test_public_mode_import_log_has_no_operator_user_names(page_app, warehouse_with_full_path, monkeypatch, mode):
    import json

    with open(warehouse_with_full_path / "import_log.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"waktu": "2026-01-01T00:00:00+00:00", "pengguna": "operator_rahasia", "aksi": "impor",
                             "berkas": [{"berkas": "hasil.csv", "sha256": "ab" * 32}]}) + "\n")
    if mode == "publik":
        monkeypatch.setenv(public.ENV, "1")
    at = page_app("metodologi", query={"tahun": "2024"})
    assert not at.exception
    log = next(df.value for df in at.dataframe if "Aksi" in df.value.columns)
    assert ("operator_rahasia" in all_cells(at)) is (mode == "lokal")
    assert ("Pengguna" in log.columns) is (mode == "lokal")


# --- the sweep: uploads and download files of sessions that ended ---------------------------------
class _Sessions:
    def __init__(self, live: set[str]):
        self.live = live

    def get_session_info(self, sid):
        return object() if sid in self.live else None


def test_sweep_drops_files_of_ended_sessions_only(monkeypatch):
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.uploaded_file_manager import UploadedFileRec

    uploads, storage = MemoryUploadedFileManager("/_stcore/upload_file"), MemoryMediaFileStorage("/media")
    media = MediaFileManager(storage)
    rt = type("Rt", (), {"uploaded_file_mgr": uploads, "media_file_mgr": media, "_session_mgr": _Sessions({"hidup"})})()
    for sid in ("hidup", "selesai"):
        uploads.add_file(sid, UploadedFileRec(file_id=f"f-{sid}", name="lhe.txt", type="text/plain", data=b"x" * 10))
    import streamlit.runtime.media_file_manager as mfm

    urls = {}
    for sid in ("hidup", "selesai"):
        monkeypatch.setattr(mfm, "_get_session_id", lambda sid=sid: sid)
        urls[sid] = media.add(f"rencana {sid}".encode(), "text/csv", "1.2", "rencana.csv", is_for_static_download=True)
    assert public.sweep_ended_sessions(rt) == ["selesai"]
    public.sweep_ended_sessions(rt)  # a download file is marked on one pass, deleted on the next
    assert uploads.get_files("selesai", ["f-selesai"]) == [] and uploads.get_files("hidup", ["f-hidup"])
    file_id = lambda url: re.sub(r"^/media/|\.\w+$", "", url)  # noqa: E731
    assert media.read_file(file_id(urls["hidup"])) is not None
    assert media.read_file(file_id(urls["selesai"])) is None


# --- the deployment docs --------------------------------------------------------------------------
def nginx_blocks(text: str) -> list[str]:
    return re.findall(r"```nginx\n(.*?)```", text, flags=re.S)


def test_nginx_example_has_headers_limits_body_cap_and_closed_metrics():
    conf = "\n".join(nginx_blocks((ROOT / "docs" / "SCALE_OUT.md").read_text(encoding="utf-8")))
    assert "frame-ancestors 'none'" in conf and "Content-Security-Policy" in conf
    assert "X-Content-Type-Options nosniff" in conf and "Referrer-Policy" in conf
    assert "limit_req_zone" in conf and "limit_req zone=" in conf and "limit_conn" in conf
    assert re.search(r"location [=~ ]*/_stcore/metrics\s*\{\s*(deny all|return 404)", conf)
    body = re.search(r"client_max_body_size (\d+)m;", conf)
    assert body and upload.MAX_UPLOAD_MB < int(body.group(1)) <= upload.MAX_UPLOAD_MB + 2
    assert "proxy_set_header Upgrade $http_upgrade" in conf  # the websocket still works
    assert re.search(r"server 127\.0\.0\.1:85\d\d", conf)  # replicas on loopback behind the proxy


def test_bench_nginx_config_has_the_same_protections():
    from bench.replicas import NGINX_CONF

    assert "frame-ancestors 'none'" in NGINX_CONF and "X-Content-Type-Options" in NGINX_CONF
    assert re.search(r"location [=~ ]*/_stcore/metrics\s*\{\{\s*(deny all|return 404)", NGINX_CONF)
    assert re.search(r"client_max_body_size (\d+)m;", NGINX_CONF).group(1) == str(upload.MAX_UPLOAD_MB + 1)


def test_public_mode_is_documented_and_has_a_make_target():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = re.search(r"^serve-public:.*?(?=^\S|\Z)", make, flags=re.M | re.S).group(0)
    assert "SPBE_PUBLIC=1" in target and "--server.address 127.0.0.1" in target
    assert "--client.showErrorDetails none" in target
    for doc in ("README.md", "docs/SCALE_OUT.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        assert "SPBE_PUBLIC=1" in text and "make serve-public" in text, doc


# --- error details --------------------------------------------------------------------------------
def _raise_with_path(*_a, **_k):
    raise RuntimeError("gagal membaca /srv/rahasia/gudang/snapshots/x.parquet")


@pytest.mark.parametrize("mode", ["lokal", "publik"])
def test_error_details_are_off_in_public_mode(page_app, monkeypatch, mode):
    from ui import data

    before = st.get_option("client.showErrorDetails")
    if mode == "publik":
        monkeypatch.setenv(public.ENV, "1")
    else:
        monkeypatch.delenv(public.ENV, raising=False)
    try:
        public.apply()
        monkeypatch.setattr(data, "run", _raise_with_path)
        at = page_app("ringkasan_nasional")
        shown = " ".join(f"{e.message} {' '.join(e.stack_trace)}" for e in at.exception)
        assert at.exception
        if mode == "publik":  # before: the message with the server path and the traceback, in every mode
            assert "/srv/rahasia" not in shown and ".py" not in shown and not any(e.stack_trace for e in at.exception)
        else:
            assert "/srv/rahasia" in shown
    finally:
        st.set_option("client.showErrorDetails", before)
