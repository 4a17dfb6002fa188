"""Start and stop real Streamlit servers and a demo warehouse for the benches (loopback only).

    with demo_warehouse() as root, streamlit_server(root) as (url, proc): ...

Used by `bench.load_test` and `bench.replicas`; the browser tests have their own fixtures
(tests/e2e/conftest.py) with the same flags.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"]

# In the page: counts Streamlit runs from the protocol (and the websocket's frames, for the load
# test's error lines), install with `context.add_init_script(OBSERVER)`. Each websocket frame is
# one ForwardMsg; its top-level field 4 (new_session) starts a run and field 6 (script_finished)
# ends one. The app root's `data-test-script-state` attribute is not enough on its own: when the
# browser is busy, a whole fast run arrives in one burst, React renders "running" and
# "notRunning" in one batch and the attribute never changes (seen in the load test: the run done
# on the server, its 61 frames received, the new page drawn, and no attribute change;
# tests/e2e/test_run_observer.py makes it happen). The attribute and the app's elements and
# text are still watched, so that "quiet" also covers drawing: with frames alone, a page still
# drawing a received run looked done (the replica bench read "38 dari 38" as the first metric).
OBSERVER = """
(() => {
  const s = window.__spbe = {started: 0, finished: 0, running: false, state: 'initial', lastChange: Date.now(),
                            ws: {opened: 0, closed: 0, sent: 0, received: 0}};
  const varint = (b, i) => {
    let v = 0, m = 1, x;
    do { x = b[i++]; v += (x & 127) * m; m *= 128; } while (x & 128 && i < b.length);
    return [v, i];
  };
  const scan = (buffer) => {
    const b = new Uint8Array(buffer);
    let i = 0, tag, len;
    while (i < b.length) {
      [tag, i] = varint(b, i);
      const field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) [len, i] = varint(b, i);
      else if (wire === 2) { [len, i] = varint(b, i); i += len; }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return;
      if (field === 4) { s.started += 1; s.running = true; s.lastChange = Date.now(); }
      if (field === 6) { s.finished += 1; s.running = false; s.lastChange = Date.now(); }
    }
  };
  const Native = window.WebSocket;
  const Watched = function (url, protocols) {
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    if (String(url).includes('/_stcore/stream')) {
      s.ws.opened += 1;
      const send = ws.send.bind(ws);
      ws.send = (data) => { s.ws.sent += 1; return send(data); };
      ws.addEventListener('close', () => { s.ws.closed += 1; });
      ws.addEventListener('message', (e) => {
        s.ws.received += 1;
        if (e.data instanceof ArrayBuffer) scan(e.data);
        else if (e.data instanceof Blob) e.data.arrayBuffer().then(scan);
      });
    }
    return ws;
  };
  Watched.prototype = Native.prototype;
  Object.assign(Watched, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  window.WebSocket = Watched;
  const attach = () => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app) { setTimeout(attach, 20); return; }
    s.state = app.getAttribute('data-test-script-state') || 'initial';
    new MutationObserver(() => {
      s.state = app.getAttribute('data-test-script-state');
      s.lastChange = Date.now();
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
    // drawing: elements added or removed, text changed anywhere in the app
    new MutationObserver(() => { s.lastChange = Date.now(); })
      .observe(app, {childList: true, subtree: true, characterData: true});
  };
  attach();
})();
"""
# A run is done: more runs ended than `before`, none running, no frame received and nothing
# drawn for `quiet` ms (st.rerun or a callback starts another run; on a busy machine the gap between the
# two was seen at ~0.5 s) and no status widget.
DONE = """([before, quiet]) => {
  const s = window.__spbe;
  return !!s && s.finished > before && !s.running && s.state !== 'running' && Date.now() - s.lastChange >= quiet
    && !document.querySelector("[data-testid='stStatusWidget']");
}"""
QUIET_MS = 700


def runs_finished(page) -> int:
    """Streamlit runs that ended in this document so far (sync Playwright page)."""
    return page.evaluate("() => window.__spbe ? window.__spbe.finished : 0")


def wait_run(page, before: int, timeout_s: float = 90) -> None:
    """Wait (sync Playwright) until a run that ends after `before` has finished."""
    page.wait_for_function(DONE, arg=[before, QUIET_MS], timeout=timeout_s * 1000, polling=50)


def wait_settled(page, selector: str = "[data-testid='stMainBlockContainer']", timeout_s: float = 30) -> str:
    """Wait until the text of `selector` stops changing (elements are drawn after the run ends,
    e.g. a component whose script loads on first use); returns that text."""
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        text = page.locator(selector).inner_text()
        if text == last:
            return text
        last = text
        page.wait_for_timeout(400)
    raise TimeoutError(f"{selector} terus berubah selama {timeout_s:.0f} s")


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or CHROMIUM
    if not Path(found).exists():
        raise SystemExit("Debian chromium tidak ditemukan; jalankan `make setup`")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90, what: str = "streamlit") -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} berhenti (kode {proc.returncode})")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{what} {url} tidak siap dalam {timeout:.0f} s")


def publish_demo(root: Path, *, seed: int | None = None, scale: int = 1, keep: int = 3):
    """Publish (another) demo snapshot into `root`; returns the PublishResult."""
    from etl.demo import DEMO_SEED, generate_demo_levels
    from etl.publish import Source, load_master_frame, publish

    seed = DEMO_SEED if seed is None else seed
    levels, master = generate_demo_levels(load_master_frame(), scale=scale, seed=seed)
    return publish(root, source=Source(f"demo-{seed}", f"Data demo SINTETIS (seed {seed})", "demo", True, "etl/demo.py"),
                   levels=levels, master=master, keep=keep)


@contextlib.contextmanager
def demo_warehouse(existing: str | None = None):
    """An existing warehouse path, or a fresh demo warehouse in a temp dir (removed afterwards)."""
    if existing:
        yield Path(existing)
        return
    with tempfile.TemporaryDirectory(prefix="spbe-bench-") as tmp:
        root = Path(tmp) / "wh"
        publish_demo(root)
        yield root


@contextlib.contextmanager
def streamlit_server(root: Path, *, port: int | None = None, log: Path | None = None, extra_args: list[str] = ()):
    """One `streamlit run app.py` on 127.0.0.1 serving warehouse `root`; terminated on exit."""
    with streamlit_servers(root, 1, logs=[log], extra_args=extra_args, ports=[port]) as servers:
        yield servers[0]


@contextlib.contextmanager
def streamlit_servers(root: Path, n: int, *, logs: list[Path | None] | None = None, extra_args: list[str] = (),
                      ports: list[int | None] | None = None, script: str = "app.py"):
    """n servers on one warehouse, started together (one start-up wait, not n); yields
    [(url, process), …]; all terminated on exit. `script` (default app.py) is run from the project
    root, so every server reads the same .streamlit/config.toml."""
    env = dict(os.environ, SPBE_WAREHOUSE=str(root), PYTHONUNBUFFERED="1")
    logs = logs or [None] * n
    ports = [p or free_port() for p in (ports or [None] * n)]
    procs, outs = [], []
    try:
        for port, log in zip(ports, logs):
            out = open(log, "w") if log else subprocess.DEVNULL
            outs.append(out)
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
                 "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                 *extra_args], cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
        servers = [(f"http://127.0.0.1:{port}", proc) for port, proc in zip(ports, procs)]
        for url, proc in servers:
            wait_healthy(url, proc)
        yield servers
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for out in outs:
            if out is not subprocess.DEVNULL:
                out.close()
