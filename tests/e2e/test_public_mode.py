"""Issue 16 item 4 on a real server in public mode (SPBE_PUBLIC=1): the upload cap the server
enforces on a direct PUT, uploads and the files made from them gone after the session ends, no
shared cache flush from a visitor's `clear_cache` message, and the nginx example of
docs/SCALE_OUT.md in front of it (headers, CSP in a real browser, body cap, rate limit, metrics).

Waits are on conditions (a response, a metric, a run finished); the deadlines are nets only."""
from __future__ import annotations

import asyncio
import concurrent.futures
import http.client
import http.cookiejar
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.unit.test_upload import lhe_bytes

from .conftest import ARTIFACTS, PROJECT_ROOT, free_port, streamlit_server
from .test_every_page import wait_rendered

MIB = 1024 * 1024
NET_S = 120


@pytest.fixture(scope="module")
def public_server(demo_warehouse):
    """`streamlit run app.py` with SPBE_PUBLIC=1 only (app.py does the rest), on 127.0.0.1; a short
    reconnect window and sweep interval so that a closed session ends within the test."""
    with streamlit_server(demo_warehouse, "streamlit-public.log", env={"SPBE_PUBLIC": "1", "SPBE_SWEEP_S": "1"},
                          args=("--server.disconnectedSessionTTL", "6")) as url:
        yield url


# --- a session without a browser (the websocket protocol) ---------------------------------------
def in_thread(coro):
    """Run a coroutine on its own loop in a thread (the Playwright sync API owns this thread's loop)."""
    with concurrent.futures.ThreadPoolExecutor(1) as ex:
        return ex.submit(asyncio.run, coro).result()


def xsrf_cookie(base: str) -> str:
    jar = http.cookiejar.CookieJar()
    urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)).open(base + "/_stcore/health").read()
    return next(c.value for c in jar if c.name == "_streamlit_xsrf")


class WsSession:
    def __init__(self, base: str):
        self.base, self.xsrf = base, xsrf_cookie(base)
        self.ws, self.session_id = None, None

    async def __aenter__(self):
        import websockets

        self.ws = await websockets.connect(self.base.replace("http://", "ws://") + "/_stcore/stream",
                                           subprotocols=["streamlit", self.xsrf], max_size=None,
                                           additional_headers={"Cookie": f"_streamlit_xsrf={self.xsrf}"})
        await self.run()
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    async def send(self, fill) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        fill(msg)
        await self.ws.send(msg.SerializeToString())

    async def until(self, kind: str) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await asyncio.wait_for(self.ws.recv(), NET_S))
            if fm.WhichOneof("type") == "new_session":
                self.session_id = fm.new_session.initialize.session_id
            if fm.WhichOneof("type") == kind and not (
                    kind == "script_finished" and fm.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN):
                return  # an early finish (st.rerun): the run that follows belongs to this step

    async def run(self) -> None:
        def rerun(m):
            m.rerun_script.query_string = "tahun=2024"
            m.rerun_script.page_script_hash = ""
        await self.send(rerun)
        await self.until("script_finished")

    async def barrier(self) -> None:
        """Every message sent before this one has been handled (the server answers in order)."""
        def ask(m):
            m.file_urls_request.request_id = uuid.uuid4().hex
            m.file_urls_request.session_id = self.session_id
            m.file_urls_request.file_names.append("x.csv")
        await self.send(ask)
        await self.until("file_urls_response")


def put_upload(base: str, session_id: str, xsrf: str, size: int, *, chunked: bool = False) -> int:
    """PUT /_stcore/upload_file/<session>/<file> as the browser does (multipart, XSRF header + cookie)."""
    boundary = "b" + uuid.uuid4().hex
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="besar.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n").encode()
    body = head + b"x" * size + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": xsrf,
               "Cookie": f"_streamlit_xsrf={xsrf}"}
    conn = http.client.HTTPConnection(base.removeprefix("http://"), timeout=NET_S)
    try:
        path = f"/_stcore/upload_file/{session_id}/{uuid.uuid4().hex}"
        if chunked:  # no Content-Length: the server has to count the bytes as they arrive
            conn.request("PUT", path, body=iter([body[i:i + MIB] for i in range(0, len(body), MIB)]),
                         headers=headers, encode_chunked=True)
        else:
            conn.request("PUT", path, body=body, headers=headers)
        resp = conn.getresponse()
        resp.read()
        return resp.status
    except (ConnectionResetError, BrokenPipeError):
        return 413  # refused mid-stream: the server closed the connection after its 413
    finally:
        conn.close()


def metrics(base: str) -> dict[str, float]:
    with urllib.request.urlopen(base + "/_stcore/metrics", timeout=30) as r:
        text = r.read().decode()
    return {m.group(1): float(m.group(2)) for m in re.finditer(r'^cache_memory_bytes\{(.*?)\} (\S+)$', text, re.M)}


def uploaded_bytes(base: str) -> float:
    return sum(v for k, v in metrics(base).items() if "UploadedFileManager" in k)


def wait_for(condition, what: str, net_s: float = NET_S):
    deadline = time.monotonic() + net_s
    while not (value := condition()):
        assert time.monotonic() < deadline, f"tidak terjadi dalam {net_s:.0f} s: {what}"
        time.sleep(0.25)
    return value


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:  # not listening (yet)
        return 0


# --- the cap --------------------------------------------------------------------------------------
@pytest.mark.e2e
def test_direct_put_over_the_cap_is_refused_and_uploads_end_with_the_session(public_server):
    async def scenario():
        async with WsSession(public_server) as s:
            sid, xsrf = s.session_id, s.xsrf
            within = await asyncio.to_thread(put_upload, public_server, sid, xsrf, 5_100_000)
            over = await asyncio.to_thread(put_upload, public_server, sid, xsrf, 5 * MIB + 1)
            big = await asyncio.to_thread(put_upload, public_server, sid, xsrf, 19_000_000)
            chunked = await asyncio.to_thread(put_upload, public_server, sid, xsrf, 8 * MIB, chunked=True)
            held = uploaded_bytes(public_server)
        return within, over, big, chunked, held

    within, over, big, chunked, held = in_thread(scenario())
    # before: server.maxUploadSize = 20, so 19 MB was accepted (204)
    assert (over, big, chunked) == (413, 413, 413)
    assert within == 204 and held >= 5_100_000  # ≤ 5 MiB reaches the app, which refuses > 5 000 000 bytes itself
    # the session is closed: after its reconnect window its uploaded bytes are dropped (before: held until exit)
    wait_for(lambda: uploaded_bytes(public_server) == 0, "unggahan sesi yang berakhir dibuang")


# --- downloads of an ended session ----------------------------------------------------------------
@pytest.mark.e2e
def test_files_of_an_upload_session_are_gone_after_it_ends(public_server, browser):
    from bench.serving import OBSERVER

    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True, locale="id-ID")
    ctx.add_init_script(OBSERVER)
    page = ctx.new_page()
    try:
        page.goto(f"{public_server}/penilaian_mandiri?tahun=2024&instansi=kota-32.75", wait_until="domcontentloaded")
        wait_rendered(page)
        with page.expect_download(timeout=NET_S * 1000) as dl:  # a file the session references (static)
            page.get_by_role("button", name="Templat CSV").click()
        template_url = dl.value.url
        assert status_of(template_url) == 200  # no cookie needed: /media has no session check (documented)
        page.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(
            files=[{"name": "lhe_serang.txt", "mimeType": "text/plain", "buffer": lhe_bytes()}])
        page.get_by_text("Indeks SPBE 2021 (dihitung dari unggahan)").wait_for(timeout=NET_S * 1000)
        held = wait_for(lambda: uploaded_bytes(public_server), "berkas unggahan tersimpan di server selama sesi")
        page.get_by_role("tab", name="Rencana RPJMD").click()
        with page.expect_download(timeout=NET_S * 1000) as dl:  # made from the upload, on the click
            page.get_by_role("button", name="Unduh rencana (XLSX)").click()
        plan_url = dl.value.url
        assert Path(dl.value.path()).read_bytes()[:2] == b"PK"
        assert "/media/" in template_url and "/media/" in plan_url
        assert held >= len(lhe_bytes())
    finally:
        ctx.close()
    # the tab is gone: after the reconnect window (6 s here) and a sweep, nothing of it is served
    wait_for(lambda: status_of(plan_url) == 404 and status_of(template_url) == 404,
             "berkas unduhan sesi yang berakhir tidak lagi dilayani di /media")
    wait_for(lambda: uploaded_bytes(public_server) == 0, "unggahan sesi yang berakhir dibuang")


# --- no shared cache flush ------------------------------------------------------------------------
@pytest.mark.e2e
def test_a_visitors_clear_cache_message_does_not_flush_the_shared_caches(public_server):
    def misses() -> float:  # computed (not cached) query results since the server started
        with urllib.request.urlopen(public_server + "/_stcore/metrics", timeout=30) as r:
            text = r.read().decode()
        found = re.search(r'^cache_lookups_total\{cache="ui\.data\._run",cache_type="st_cache_data",'
                          r'result="miss"\} (\S+)$', text, re.M)
        return float(found.group(1)) if found else 0.0

    async def scenario():
        async with WsSession(public_server) as s:
            await s.run()  # the same page again: every query is in the shared cache now
            before = misses()
            await s.send(lambda m: setattr(m, "clear_cache", True))
            await s.barrier()
            await s.run()
            return before, misses()

    before, after = in_thread(scenario())
    assert before > 0
    assert after == before  # before the change: every query ran again — one visitor emptied the cache of all


# --- nginx from docs/SCALE_OUT.md in front ----------------------------------------------------------
def nginx_conf(workdir: Path, listen: int, upstream: str) -> Path:
    doc = (PROJECT_ROOT / "docs" / "SCALE_OUT.md").read_text(encoding="utf-8")
    conf = re.findall(r"```nginx\n(.*?)```", doc, flags=re.S)[0]
    conf = re.sub(r"listen 443 ssl http2;", f"listen 127.0.0.1:{listen};", conf)
    conf = re.sub(r"\n\s*ssl_certificate(_key)?\s[^\n]*", "", conf)
    servers = re.findall(r"\n\s*server 127\.0\.0\.1:\d+[^\n]*", conf)
    conf = conf.replace(servers[0], f"\n    server {upstream.removeprefix('http://')};")
    for extra in servers[1:]:
        conf = conf.replace(extra, "")
    path = workdir / "nginx.conf"
    path.write_text(f"""pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {workdir}/body; proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/f; uwsgi_temp_path {workdir}/u; scgi_temp_path {workdir}/s;
{conf}
}}
""")
    return path


@pytest.fixture(scope="module")
def proxied(public_server, tmp_path_factory):
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        pytest.skip("nginx tidak terpasang (apt-get install nginx-light)")
    workdir = tmp_path_factory.mktemp("nginx")
    port = free_port()
    conf = nginx_conf(workdir, port, public_server)
    check = subprocess.run([binary, "-t", "-p", str(workdir), "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([binary, "-p", str(workdir), "-c", str(conf), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: status_of(url + "/_stcore/health") == 200, "nginx siap", net_s=30)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.e2e
def test_nginx_example_sends_headers_caps_bodies_limits_uploads_and_hides_metrics(proxied):
    with urllib.request.urlopen(proxied + "/", timeout=30) as r:
        headers = {k.lower(): v for k, v in r.headers.items()}
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"
    assert status_of(proxied + "/_stcore/metrics") == 404
    assert put_upload(proxied, "s", "x", 7 * MIB) == 413  # nginx: client_max_body_size 6m
    codes = [put_upload(proxied, "s", "x", 10) for _ in range(12)]  # 10/min, burst 5 per address
    assert 429 in codes and codes[0] != 429


@pytest.mark.e2e
def test_pages_render_through_nginx_under_its_csp(proxied, browser):
    from bench.serving import OBSERVER

    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="id-ID")
    ctx.add_init_script(OBSERVER)
    ctx.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                        "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
    page = ctx.new_page()
    try:
        for path in ("", "profil_instansi", "peta", "penilaian_mandiri", "metodologi"):
            page.goto(f"{proxied}/{path}?tahun=2024&instansi=kota-36.73", wait_until="domcontentloaded")
            wait_rendered(page)
            if path in ("", "profil_instansi", "peta"):
                page.wait_for_selector(".js-plotly-plot .main-svg", timeout=NET_S * 1000)
            assert page.locator("[data-testid='stException']").count() == 0, path
            assert page.evaluate("window.__csp") == [], (path, page.evaluate("window.__csp"))
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "public_mode_nginx.png"), full_page=True)
    finally:
        ctx.close()
