"""`python -m etl sync` against a real HTTP server on 127.0.0.1 (a free port, a thread per test):
success, a 500 then 200 (retried), a 401 (clear, not retried), a timeout, a redirect, and the token
never in stdout, stderr, the import log or the warehouse. No durations are asserted."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest

from etl import cli_sync
from etl.cli import main

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "etl" / "tauval" / "tauval_daftar_2025.json"
TOKEN = "rahasia-TAUVAL-9f3b27c1"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        srv = self.server
        url = urlsplit(self.path)
        srv.hits.append((url.path, parse_qs(url.query), self.headers.get("Authorization")))
        if url.path == "/pindah":  # a redirect on the same server: the token must follow it
            return self._send(302, b"", location="/ekspor?" + url.query)
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._send(401, b'{"pesan": "token tidak sah"}')
        if url.path == "/goyah" and sum(1 for h in srv.hits if h[0] == "/goyah") == 1:
            return self._send(500, b"galat server sementara")
        if url.path == "/lambat":
            srv.release.wait(10)  # longer than the client's --timeout; released at teardown
        if url.path == "/html":
            return self._send(200, b"<html><body>Silakan masuk</body></html>", kind="text/html")
        if url.path in ("/ekspor", "/goyah", "/lambat"):
            return self._send(200, FIXTURE.read_bytes())
        return self._send(404, b"")

    def _send(self, code: int, body: bytes, kind: str = "application/json", location: str | None = None) -> None:
        try:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if location:
                self.send_header("Location", location)
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up (timeout test)
            pass

    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.hits, srv.release = [], threading.Event()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv, f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.release.set()
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=10)


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("SPBE_TAUVAL_TOKEN", TOKEN)
    monkeypatch.delenv("SPBE_TAUVAL_URL", raising=False)
    monkeypatch.setattr(cli_sync, "BACKOFF_S", 0.0)


def sync(capsys, wh: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = main(["--warehouse", str(wh), "sync", *args])
    out = capsys.readouterr()
    return rc, out.out, out.err


def all_written(wh: Path) -> str:
    """Every text file the warehouse holds (manifest, import log, pointer)."""
    if not wh.exists():
        return ""
    return "\n".join(p.read_text(errors="replace") for p in wh.rglob("*") if p.is_file() and p.suffix != ".parquet")


def aspects(wh: Path, instansi_id: str) -> list[tuple]:
    snap = wh / "snapshots" / (wh / "CURRENT").read_text().strip()
    return duckdb.sql(f"select no_aspek, nilai, asal from read_parquet('{snap}/nilai_aspek/**/*.parquet', "
                      f"hive_partitioning = true) where instansi_id = '{instansi_id}' order by no_aspek").fetchall()


def test_sync_fetches_with_the_token_and_publishes(server, env, tmp_path, capsys):
    srv, base = server
    wh = tmp_path / "wh"
    rc, out, err = sync(capsys, wh, "--url", f"{base}/ekspor", "--tahun", "2025")
    assert rc == 0, out + err
    assert "DIPUBLIKASIKAN ekspor TAUVAL" in out and "3 peringatan" in out
    assert srv.hits[0][1] == {"tahun": ["2025"]} and srv.hits[0][2] == f"Bearer {TOKEN}"
    serang = aspects(wh, "kota-36.73")
    assert [a[0] for a in serang] == list(range(1, 9)) and {a[2] for a in serang} == {"dipublikasikan"}
    log = json.loads((wh / "import_log.jsonl").read_text().splitlines()[-1])
    assert log["perintah"] == f"python -m etl sync --url {base}/ekspor --tahun 2025"
    assert log["berkas"][0]["berkas"] == f"tauval_127.0.0.1_{srv.server_address[1]}_2025.json"
    for text in (out, err, all_written(wh)):
        assert TOKEN not in text


def test_url_from_the_environment_and_a_dry_run_publishes_nothing(server, env, tmp_path, capsys, monkeypatch):
    _, base = server
    monkeypatch.setenv("SPBE_TAUVAL_URL", f"{base}/ekspor")
    rc, out, err = sync(capsys, tmp_path / "wh", "--dry-run")
    assert rc == 0 and "Uji kering" in out
    assert not (tmp_path / "wh" / "CURRENT").exists()
    assert TOKEN not in out + err


def test_a_500_is_retried_then_the_200_is_imported(server, env, tmp_path, capsys):
    srv, base = server
    rc, out, err = sync(capsys, tmp_path / "wh", "--url", f"{base}/goyah")
    assert rc == 0, out + err
    assert [h[0] for h in srv.hits] == ["/goyah", "/goyah"]
    assert "percobaan 1/3 gagal (server menjawab HTTP 500" in err
    assert TOKEN not in out + err


def test_a_401_is_a_clear_error_and_not_retried(server, env, tmp_path, capsys, monkeypatch):
    srv, base = server
    monkeypatch.setenv("SPBE_TAUVAL_TOKEN", "token-lama-yang-salah")
    wh = tmp_path / "wh"
    rc, out, err = sync(capsys, wh, "--url", f"{base}/ekspor")
    assert rc == 1
    host = f"127.0.0.1:{srv.server_address[1]}"
    assert f"GAGAL MENGAMBIL: {host}: akses ditolak (HTTP 401)" in out and "SPBE_TAUVAL_TOKEN" in out
    assert "tidak dicoba ulang" in out and len(srv.hits) == 1
    assert not (wh / "CURRENT").exists()
    assert "token-lama-yang-salah" not in out + err + all_written(wh)


def test_a_server_slower_than_the_timeout_fails_after_the_retries(server, env, tmp_path, capsys):
    srv, base = server
    wh = tmp_path / "wh"
    rc, out, err = sync(capsys, wh, "--url", f"{base}/lambat", "--timeout", "0.3", "--retries", "2")
    assert rc == 1
    assert "gagal setelah 2 percobaan" in out and "batas waktu 0.3 detik" in out
    assert [h[0] for h in srv.hits] == ["/lambat", "/lambat"]
    assert not (wh / "CURRENT").exists()
    assert TOKEN not in out + err


def test_a_redirect_on_the_same_host_keeps_the_token(server, env, tmp_path, capsys):
    srv, base = server
    rc, out, err = sync(capsys, tmp_path / "wh", "--url", f"{base}/pindah", "--tahun", "2025")
    assert rc == 0, out + err
    assert [(h[0], h[2]) for h in srv.hits] == [("/pindah", f"Bearer {TOKEN}"), ("/ekspor", f"Bearer {TOKEN}")]


def test_a_page_that_is_not_json_is_refused(server, env, tmp_path, capsys):
    _, base = server
    rc, out, _ = sync(capsys, tmp_path / "wh", "--url", f"{base}/html")
    assert rc == 1 and "tidak mengirim JSON" in out


def test_missing_token_or_url_is_a_usage_error(server, env, tmp_path, capsys, monkeypatch):
    _, base = server
    rc, _, err = sync(capsys, tmp_path / "wh")
    assert rc == 2 and "SPBE_TAUVAL_URL" in err
    rc, _, err = sync(capsys, tmp_path / "wh", "--url", "ftp://eval.example/ekspor")
    assert rc == 2 and "http(s)" in err
    monkeypatch.delenv("SPBE_TAUVAL_TOKEN")
    rc, _, err = sync(capsys, tmp_path / "wh", "--url", f"{base}/ekspor")
    assert rc == 2 and "SPBE_TAUVAL_TOKEN" in err
    assert server[0].hits == []


def test_the_token_is_not_carried_to_another_host(monkeypatch):
    """The redirect handler copies the Authorization header only to the same host."""
    import urllib.request

    handler = cli_sync._SameHostRedirect()
    req = urllib.request.Request("http://127.0.0.1:8000/a")
    req.add_unredirected_header("Authorization", f"Bearer {TOKEN}")
    same = handler.redirect_request(req, None, 302, "Found", {}, "http://127.0.0.1:8000/b")
    other = handler.redirect_request(req, None, 302, "Found", {}, "http://contoh.example/b")
    assert same.unredirected_hdrs.get("Authorization") == f"Bearer {TOKEN}"
    assert "Authorization" not in other.unredirected_hdrs and "Authorization" not in other.headers
