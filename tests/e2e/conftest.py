"""A real Streamlit server on the demo warehouse and a real browser (Playwright + Debian chromium)."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bench.serving import OBSERVER

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts" / "e2e"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"]


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("Debian chromium tidak ditemukan; jalankan `make setup` (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 300) -> bool:
    """True once *our* process serves `url`: its log names the URL (Streamlit prints it after it
    bound the port) and the health check answers; False when it exited because the port was taken
    meanwhile (the port is free when picked, but not held). A server left over on that port could
    answer the health check, never write our log. The timeout is only a net for a hung start."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if proc.poll() is not None:
            if "is not available" in text:  # streamlit: "Port N is not available"
                return False
            raise RuntimeError(f"streamlit berhenti (kode {proc.returncode}): {text[-500:]}")
        if f"URL: {url}" in text:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=10) as r:
                    if r.status == 200:
                        return True
            except OSError:
                pass
        time.sleep(0.3)
    raise TimeoutError(f"streamlit {url} tidak siap dalam {timeout:.0f} s")


@contextlib.contextmanager
def streamlit_server(warehouse, log_name: str, *, env: dict | None = None, args: tuple[str, ...] = ()):
    """`streamlit run app.py` on 127.0.0.1 over `warehouse` (extra `env` and server `args`); yields its
    URL once its own log names it and it answers the health check. A port taken between picking and
    binding is retried on another (three times)."""
    full_env = dict(os.environ, SPBE_WAREHOUSE=str(warehouse), PYTHONUNBUFFERED="1", **(env or {}))
    log = PROJECT_ROOT / "tests" / "artifacts" / log_name
    log.parent.mkdir(parents=True, exist_ok=True)
    for _attempt in range(3):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with open(log, "w") as fh:
            proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                 "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                 *args],
                cwd=PROJECT_ROOT, env=full_env, stdout=fh, stderr=subprocess.STDOUT)
            try:
                if not wait_healthy(url, proc, log):
                    continue
                yield url
                return
            finally:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
    pytest.fail("tiga port berturut-turut sudah terpakai saat streamlit mulai")


@pytest.fixture(scope="session")
def server(demo_warehouse):
    with streamlit_server(demo_warehouse, "streamlit-e2e.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True, locale="id-ID")
    ctx.add_init_script(OBSERVER)  # counts Streamlit runs: tests wait for a run to end, not for a time
    pg = ctx.new_page()
    yield pg
    ctx.close()
