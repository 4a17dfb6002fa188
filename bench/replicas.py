"""Two (or more) stateless Streamlit replicas on one warehouse, publishing during traffic.

    .venv/bin/python -m bench.replicas [--replicas 2] [--sessions 6] [--duration 60] [--publishes 2]

Starts N `streamlit run app.py` processes on different loopback ports against one warehouse
(a fresh demo warehouse unless --warehouse), spreads browser sessions over them the way a
sticky load balancer would (each session stays on its replica), publishes new snapshots while
the sessions click through the pages, then opens the changed instansi on every replica and
checks that each shows the newest numbers. Prints latency/errors per replica and exits 1 on any
error or stale replica. See docs/SCALE_OUT.md.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import sys
import time
from pathlib import Path

from bench.load_test import SEARCH, Level, User, pct, search_texts
from bench.serving import (
    CHROMIUM_ARGS,
    DONE,
    OBSERVER,
    PROJECT_ROOT,
    QUIET_MS,
    chromium_path,
    demo_warehouse,
    streamlit_servers,
)

PROV, YEAR = "prov-36", 2024
# production settings (docs/SCALE_OUT.md): no source watching per session, no forced GC after each run
SERVER_ARGS = ["--server.fileWatcherType", "none", "--runner.postScriptGC", "false"]
# the sticky configuration of docs/SCALE_OUT.md, on loopback without TLS
NGINX_CONF = """
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format spbe '$spbe_route $upstream_addr $status $request_uri';
    access_log {prefix}/access.log spbe;
    client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fcgi; uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;
    map $cookie_spbe_route $spbe_route {{ "" $request_id; default $cookie_spbe_route; }}
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    upstream spbe {{
        hash $spbe_route consistent;
        {servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 6m;
        add_header Set-Cookie "spbe_route=$spbe_route; Path=/; HttpOnly; SameSite=Lax" always;
        # the headers of docs/SCALE_OUT.md (its rate limits are left out: every bench session shares one address)
        add_header Content-Security-Policy "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'" always;
        add_header X-Content-Type-Options nosniff always;
        add_header Referrer-Policy no-referrer always;
        location = /_stcore/metrics {{ return 404; }}
        location / {{
            proxy_pass http://spbe;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_read_timeout 1h;
            proxy_buffering off;
        }}
    }}
}}
"""


@contextlib.contextmanager
def nginx(bases: list[str], workdir):
    """nginx in the foreground on a free loopback port in front of `bases`; yields (url, access log)."""
    import shutil
    import subprocess

    from bench.serving import free_port, wait_healthy

    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    port = free_port()
    servers = "\n        ".join(f"server {b.removeprefix('http://')};" for b in bases)
    conf = workdir / "nginx.conf"
    conf.write_text(NGINX_CONF.format(prefix=workdir, servers=servers, port=port))
    proc = subprocess.Popen([binary, "-p", str(workdir), "-c", str(conf), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, timeout=20, what="nginx")
        yield url, workdir / "access.log"
    finally:
        proc.terminate()
        proc.wait(10)


def stickiness(access_log) -> tuple[int, int, dict[str, int]]:
    """(route keys seen, keys that reached more than one replica, requests per replica)."""
    routes: dict[str, set[str]] = {}
    per_replica: dict[str, int] = {}
    for line in access_log.read_text().splitlines():
        parts = line.split()
        if len(parts) < 2 or parts[1] == "-":
            continue
        routes.setdefault(parts[0], set()).add(parts[1])
        per_replica[parts[1]] = per_replica.get(parts[1], 0) + 1
    return len(routes), sum(1 for r in routes.values() if len(r) > 1), per_replica


def publish_level(root, level: int):
    """Publish Provinsi Banten 2024 at a uniform indicator level (its index becomes that level)."""
    import pandas as pd

    from domain.instrument import load_registry
    from etl.publish import Source, publish

    ins = load_registry().for_year(YEAR)
    levels = pd.DataFrame([(YEAR, PROV, ins.id, n, level) for n in ins.indicator_numbers],
                          columns=["tahun", "instansi_id", "instrument_id", "no_indikator", "level"])
    return publish(root, source=Source(f"replika-{level}", "Uji replika", "template", False), levels=levels)


async def shown_index(browser, base: str) -> str:
    """The headline index a fresh session of this replica shows for Provinsi Banten 2024."""
    ctx = await browser.new_context(viewport={"width": 1440, "height": 1000}, locale="id-ID")
    await ctx.add_init_script(OBSERVER)
    page = await ctx.new_page()
    try:
        await page.goto(f"{base}/profil_instansi?tahun={YEAR}&instansi={PROV}", wait_until="commit")
        await page.wait_for_function(DONE, arg=[0, QUIET_MS], timeout=120_000, polling=100)
        value = (page.locator("[data-testid='stMetric']").filter(has_text=f"Indeks SPBE {YEAR}")
                 .locator("[data-testid='stMetricValue']").first)  # by its label, not its place
        await value.wait_for(timeout=30_000)
        return await value.inner_text()
    finally:
        await ctx.close()


async def run(args) -> int:
    from playwright.async_api import async_playwright

    SEARCH.update(search_texts())
    with demo_warehouse(args.warehouse) as root, contextlib.ExitStack() as stack:
        log_dir = PROJECT_ROOT / "bench" / "out"
        log_dir.mkdir(parents=True, exist_ok=True)
        bases = [url for url, _ in stack.enter_context(streamlit_servers(
            root, args.replicas, logs=[log_dir / f"replica-{i}.log" for i in range(args.replicas)],
            extra_args=SERVER_ARGS))]
        print(f"{len(bases)} replika: {', '.join(bases)}; gudang data {root}", flush=True)
        front, access_log = None, None
        if args.nginx:
            import tempfile
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="spbe-nginx-")))
            front, access_log = stack.enter_context(nginx(bases, workdir))
            print(f"nginx (lengket per cookie) di {front}", flush=True)
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
            try:
                before = [await shown_index(browser, b) for b in bases]  # also warms every replica
                levels = {b: Level(args.sessions) for b in bases}
                rng = random.Random(args.seed)
                deadline = time.monotonic() + args.duration
                if front:  # every session goes through nginx, which picks (and sticks to) a replica
                    users = [(front, User(browser, front, random.Random(rng.random()), args)) for _ in range(args.sessions)]
                    levels = {front: Level(args.sessions)}
                else:  # session i sticks to replica i mod N, as a sticky balancer would
                    users = [(bases[i % len(bases)], User(browser, bases[i % len(bases)], random.Random(rng.random()),
                                                          args)) for i in range(args.sessions)]
                traffic = [asyncio.create_task(u.run(deadline, levels[b], 0.5 * i)) for i, (b, u) in enumerate(users)]
                published = await _publish_during_traffic(root, args)
                await asyncio.gather(*traffic)
                after = [await shown_index(browser, b) for b in bases]
            finally:
                await browser.close()
        sticky = stickiness(access_log) if access_log is not None else None  # before the temp dir goes
    return _summary(levels, bases, before, after, published, sticky)


async def _publish_during_traffic(root, args) -> list[tuple]:
    """`args.publishes` publications spread over the run; returns (snapshot id, level, seconds) of each."""
    published = []
    for k in range(args.publishes):
        await asyncio.sleep(args.duration / (args.publishes + 1))
        level = [5, 1, 4, 2][k % 4]
        t0 = time.perf_counter()
        res = await asyncio.to_thread(publish_level, root, level)
        published.append((res.snapshot_id, level, time.perf_counter() - t0))
        print(f"  dipublikasikan {res.snapshot_id} (Banten {YEAR} = {level},00) dalam "
              f"{published[-1][2]:.1f} s selama lalu lintas", flush=True)
    return published


def _summary(levels: dict, bases: list[str], before: list, after: list, published: list[tuple], sticky) -> int:
    """Print latencies per target, the index each replica shows before/after, nginx stickiness;
    exit code 0 when there were no errors, no stale replica, no split session and all agree."""
    expected = f"{published[-1][1]},00" if published else before[0]
    failures = 0
    print(f"\n{'lalu lintas ke':<24} {'langkah':>7} {'p50 ms':>7} {'p95 ms':>7} {'galat':>5}")
    for target, lv in levels.items():
        ok = [s.ms for s in lv.samples if s.ms is not None]
        errors = [s for s in lv.samples if s.ms is None]
        failures += len(errors)
        print(f"{target:<24} {len(lv.samples):>7} {pct(ok, .5):>7.0f} {pct(ok, .95):>7.0f} {len(errors):>5}")
        for e in errors[:3]:
            print(f"    {e.kind}: {e.error}")
    print(f"\n{'replika':<24} indeks {PROV} {YEAR}: sebelum → sesudah publikasi")
    for b, a0, a1 in zip(bases, before, after):
        failures += a1 != expected
        print(f"{b:<24} {a0} → {a1} {'(OK)' if a1 == expected else f'(BASI, diharapkan {expected})'}")
    if sticky is not None:
        keys, split, per_replica = sticky
        failures += split
        print(f"\nnginx: {keys} kunci rute (sesi peramban), {split} di antaranya pindah replika; "
              f"permintaan per replika: {per_replica}")
    same = len(set(before)) == 1 and len(set(after)) == 1
    print(f"\nsemua replika menampilkan angka yang sama sebelum dan sesudah: {'ya' if same else 'TIDAK'}")
    return 0 if failures == 0 and same else 1


def main() -> None:
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # `kill` still stops replicas, nginx, browser
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--sessions", type=int, default=6, help="browser sessions in total, spread over the replicas")
    ap.add_argument("--duration", type=float, default=60, help="seconds of traffic")
    ap.add_argument("--publishes", type=int, default=2, help="snapshots published during the traffic")
    ap.add_argument("--warehouse", help="existing warehouse — it RECEIVES the test publications (default: a fresh "
                                        "demo warehouse in a temp dir)")
    ap.add_argument("--nginx", action="store_true", help="put nginx (sticky by cookie) in front of the replicas")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--max-steps", type=int, default=1000)
    ap.add_argument("--step-timeout", type=float, default=90)
    ap.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0))
    ap.set_defaults(render=False)  # charts are hidden from paint, as in bench.load_test
    args = ap.parse_args()
    sys.exit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
