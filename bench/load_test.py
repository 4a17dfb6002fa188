"""Load test: N concurrent sessions against one Streamlit server (loopback only).

    .venv/bin/python -m bench.load_test --sessions 5,20,50 --duration 60            # browsers
    .venv/bin/python -m bench.load_test --sessions 5,20,50 --duration 60 --client ws  # server alone

Browser mode: one Debian chromium, one Playwright context (= one Streamlit session) per user,
all driven by asyncio. Each user opens a shared link (the profile of a random instansi: a page
load and a new session), then repeats, with a think time between steps: Ringkasan nasional →
pick another instansi in the sidebar → Profil instansi → Tren → Peringkat & sebaran → change the
year in the sidebar. A user whose step failed reloads the link (until it loads). Users arrive
`--arrival` s apart.

Latency of a step = from the action until the Streamlit run it triggered has finished and the
page is quiet (no frame received, nothing drawn for QUIET_MS; bench.serving.OBSERVER, in the
page); a step is an error when an `stException` is shown, it times out (`--step-timeout`) or the
connection drops. Charts and grids are hidden from layout/paint unless `--render`.

ws mode (bench/ws_session.py): the same steps as websocket protocol messages, no browser — on
a 2-core machine the browser rig costs more CPU per step than the server, so this mode is how
the server itself is measured at 20–50 sessions.

Bounded in time (`--duration` after the last arrival, `--step-timeout`) and count (`--max-steps`
per user). Prints one row per level (p50/p95/max latency, errors, CPU of server / browser (the
rest of the machine) / Playwright driver / this client, and how busy the whole machine was),
then p50/p95 per step kind and the errors by cause (bench.page_watch.CAUSES).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.page_watch import CLICKS, PageWatch
from bench.proc_stats import browser_pids, cpu_seconds, machine_busy, rss_mb
from bench.serving import (
    CHROMIUM_ARGS,
    DONE,
    OBSERVER,
    PROJECT_ROOT,
    QUIET_MS,
    chromium_path,
    demo_warehouse,
    streamlit_server,
)

# Client-light mode (default): charts and data grids still arrive and are processed by the page,
# but are not laid out or painted. Real users paint on their own machines; on the 2 cores this
# rig shares with the server, painting 50 pages would measure the rig, not the server.
HIDE_HEAVY = """
document.addEventListener('DOMContentLoaded', () => {
  const style = document.createElement('style');
  style.textContent = "[data-testid='stPlotlyChart'], [data-testid='stDataFrame'], "
    + "[data-testid='stDataFrameResizable'], [data-testid='stTable'] { display: none !important; }";
  document.head.appendChild(style);
});
"""
INSTANSI_SAMPLE = ["kota-36.73", "kota-51.71", "prov-36", "prov-31", "kab-32.04", "kota-32.73", "kab-33.01",
                   "prov-51", "kota-35.78", "kab-35.15", "pusat-kementerian-keuangan", "kota-12.71",
                   "kab-73.71", "prov-64", "kota-63.71", "kab-11.01"]
NAV = {"ringkasan": "Ringkasan nasional", "profil": "Profil instansi", "tren": "Tren",
       "peringkat": "Peringkat & sebaran"}


def search_texts() -> dict[str, str]:
    """What a user types in the instansi box to find each sampled instansi (its region code, or name)."""
    from etl.publish import load_master_frame

    master = load_master_frame().set_index("instansi_id")
    return {i: (master.at[i, "kode_wilayah"] or master.at[i, "nama"]) for i in INSTANSI_SAMPLE if i in master.index}
YEARS = [2019, 2020, 2021, 2022, 2023, 2024]
SEARCH: dict[str, str] = {}  # filled by search_texts() at start


class StopVisit(Exception):
    """The level's time is up: no new step starts (a step already running may finish)."""


@dataclass
class Sample:
    kind: str
    ms: float | None      # None when the step failed
    error: str | None = None
    cause: str | None = None  # browser errors: a key of bench.page_watch.CAUSES


@dataclass
class Level:
    sessions: int
    samples: list[Sample] = field(default_factory=list)
    seconds: float = 0.0
    cpu: dict = field(default_factory=dict)


def pct(values: list[float], q: float) -> float:
    """The q-quantile (q in whole percents: .5, .95), linear between order statistics like numpy's default."""
    if len(values) < 2:  # statistics.quantiles wants two points before Python 3.13
        return float(values[0]) if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


class User:
    def __init__(self, browser, base: str, rng: random.Random, args, search: dict[str, str] | None = None):
        self.browser, self.base, self.rng, self.args = browser, base, rng, args
        self.search = search or SEARCH
        self.year, self.instansi = 2024, None
        self.deadline = float("inf")
        self.watch = PageWatch()  # for the error line of a failed step

    async def _finished(self, page) -> int:
        return await page.evaluate("() => window.__spbe ? window.__spbe.finished : 0")

    async def _step(self, page, kind: str, action, before: int | None = None) -> Sample:
        if time.monotonic() > self.deadline:
            raise StopVisit
        ws0 = {} if before is not None else await self.watch.counts(page)  # a page load starts a new document
        t0 = time.time() * 1000
        try:
            if before is None:
                before = await self._finished(page)
            await action()
            await page.wait_for_function(DONE, arg=[before, QUIET_MS], timeout=self.args.step_timeout * 1000,
                                         polling=50)
            end = await page.evaluate("() => window.__spbe.lastChange")
            if await page.locator("[data-testid='stException']").count():
                text = (await page.locator("[data-testid='stException']").first.inner_text())[:160]
                return Sample(kind, None, f"exception: {text!r}")
            return Sample(kind, max(0.0, end - t0))
        except Exception as exc:  # noqa: BLE001 - every failure is a counted error, the run goes on
            started = time.strftime("%H:%M:%S", time.localtime(t0 / 1000)) + f".{int(t0 % 1000):03d}"
            why = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]} [mulai {started}]"
            more, cause = await self.watch.describe(page, before or 0, ws0, exc)
            return Sample(kind, None, why + more, cause)

    async def open_link(self, page, kind: str) -> Sample:
        """A full page load of a shared link (a new Streamlit session)."""
        iid = self.instansi = self.rng.choice(list(self.search))
        return await self._step(page, kind, lambda: page.goto(
            f"{self.base}/profil_instansi?tahun={self.year}&instansi={iid}", wait_until="commit"), before=0)

    async def nav(self, page, key: str) -> Sample:
        link = page.locator("[data-testid='stSidebarNav'] a").filter(has_text=NAV[key]).first
        return await self._step(page, f"ke {key}", link.click)

    async def visit(self, page, out: list[Sample]) -> None:
        """In-app use after the first link: every step is a rerun of the same session."""
        out.append(await self.nav(page, "ringkasan"))
        await self.think()
        iid = self.rng.choice([i for i in self.search if i != self.instansi])

        async def pick_instansi():
            # ui/picker.py: type in "Cari instansi" (a live fragment rerun fills the short list), then pick
            search = page.locator("[data-testid='stSidebar'] [data-testid='stTextInput'] input").first
            await search.fill(self.search[iid])
            await page.locator("[data-testid='stSidebar']").get_by_text("instansi cocok").first.wait_for(
                timeout=self.args.step_timeout * 1000)   # the fragment run that brought the matches has drawn
            await page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").nth(1).click()
            await page.get_by_role("option").filter(has_text=self.search[iid]).first.click()
        out.append(await self._step(page, "ganti instansi", pick_instansi))
        if out[-1].ms is not None:
            self.instansi = iid
        for key in ("profil", "tren", "peringkat"):
            await self.think()
            out.append(await self.nav(page, key))
        await self.think()
        new_year = self.rng.choice([y for y in YEARS if y != self.year])

        async def pick_year():
            await page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
            await page.get_by_role("option", name=str(new_year), exact=True).click()
        sample = await self._step(page, "ganti tahun", pick_year)
        if sample.ms is not None:
            self.year = new_year
        out.append(sample)
        await self.think()

    async def think(self):
        await asyncio.sleep(self.rng.uniform(*self.args.think))

    async def run(self, deadline: float, level: Level, start_delay: float) -> None:
        await asyncio.sleep(start_delay)
        self.deadline = deadline
        ctx = await self.browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID",
                                             reduced_motion="reduce")
        ctx.set_default_timeout(self.args.step_timeout * 1000)  # clicks and typing get the step's time too
        await ctx.add_init_script(OBSERVER)
        await ctx.add_init_script(CLICKS)
        if not self.args.render:
            await ctx.add_init_script(HIDE_HEAVY)
        page = await ctx.new_page()
        self.watch.attach(page)
        try:
            await run_user(self, page, level)
        finally:
            await ctx.close()


async def run_user(user, page, level: Level) -> None:
    """Open a link, then visit until the deadline or `--max-steps`; after a failed step the user
    reloads the link (again, until it loads) before going on."""
    args = user.args
    try:
        level.samples.append(await user.open_link(page, "buka tautan"))
        steps, broken = 1, level.samples[-1].ms is None
        while steps < args.max_steps:
            if broken:  # a broken page: the user reloads the link
                level.samples.append(await user.open_link(page, "muat ulang (pulih)"))
                steps, broken = steps + 1, level.samples[-1].ms is None
                continue
            samples: list[Sample] = []
            try:
                await user.visit(page, samples)
            finally:
                level.samples.extend(samples)
                steps += len(samples)
            broken = any(x.ms is None for x in samples)
    except StopVisit:
        pass


async def run_level(browser, base: str, n: int, args, browser_pid: list[int], server_pid: int) -> Level:
    """n users at once (arriving `--arrival` s apart), for `--duration` s after the last arrival."""
    from bench.ws_session import WsUser

    level = Level(n)
    rng = random.Random(args.seed + n)
    t0 = time.monotonic()

    def sample() -> dict:
        # the Playwright driver (node) itself; chromium's renderers come and go with the contexts, so
        # their CPU is taken as the rest of the machine (machine - server - driver - this client)
        return {"server": cpu_seconds([server_pid]), "driver": cpu_seconds(browser_pid, children=False),
                "client": time.process_time(), "machine": machine_busy()}
    cpu0 = sample()
    deadline = t0 + args.arrival * (n - 1) + args.duration
    if args.client == "ws":
        users = [WsUser(base, random.Random(rng.random()), args, SEARCH) for _ in range(n)]
    else:
        users = [User(browser, base, random.Random(rng.random()), args) for _ in range(n)]
    await asyncio.gather(*(u.run(deadline, level, args.arrival * i) for i, u in enumerate(users)))
    level.seconds = time.monotonic() - t0
    level.cpu = {k: v - cpu0[k] for k, v in sample().items()}
    level.cpu["browser"] = level.cpu["machine"] - level.cpu["server"] - level.cpu["driver"] - level.cpu["client"]
    level.cpu["rss_mb"] = rss_mb(server_pid)
    return level


def summarise(levels: list[Level]) -> str:
    head = (f"{'sesi':>4}  {'langkah':>7}  {'p50 ms':>7}  {'p95 ms':>7}  {'maks ms':>7}  {'galat':>5}  "
            f"{'langkah/s':>9}  {'CPU server':>10}  {'CPU browser':>11}  {'CPU driver':>10}  {'CPU klien':>9}  {'mesin sibuk':>11}  {'server s/langkah':>16}  {'RSS server':>10}")
    lines = [head, "-" * len(head)]
    for lv in levels:
        ok = [s.ms for s in lv.samples if s.ms is not None]
        errors = sum(1 for s in lv.samples if s.ms is None)
        lines.append(f"{lv.sessions:>4}  {len(lv.samples):>7}  {pct(ok, .5):>7.0f}  {pct(ok, .95):>7.0f}  "
                     f"{max(ok, default=float('nan')):>7.0f}  {errors:>5}  {len(lv.samples) / lv.seconds:>9.2f}  "
                     f"{lv.cpu['server'] / lv.seconds:>10.0%}  {lv.cpu['browser'] / lv.seconds:>11.0%}  "
                     f"{lv.cpu['driver'] / lv.seconds:>10.0%}  {lv.cpu['client'] / lv.seconds:>9.0%}  "
                     f"{lv.cpu['machine'] / lv.seconds:>11.0%}  "
                     f"{lv.cpu['server'] / max(len(lv.samples), 1):>16.2f}  {lv.cpu['rss_mb']:>7.0f} MB")
    lines += ["", "per langkah (p50 / p95 ms):"]
    kinds = list(dict.fromkeys(s.kind for lv in levels for s in lv.samples))
    lines.append(f"{'':>4}  " + "  ".join(f"{k:>20}" for k in kinds))
    for lv in levels:
        cells = []
        for k in kinds:
            ok = [s.ms for s in lv.samples if s.kind == k and s.ms is not None]
            cells.append(f"{pct(ok, .5):>9.0f} / {pct(ok, .95):>6.0f}  ")
        lines.append(f"{lv.sessions:>4}  " + "".join(f"{c:>22}" for c in cells))
    errs = [(lv.sessions, s) for lv in levels for s in lv.samples if s.error]
    causes = sorted({s.cause for _, s in errs if s.cause})
    if causes:
        lines += ["", "galat per sebab (bench/page_watch.py CAUSES): " + f"{'':>2}".join(f"{c:>12}" for c in causes)]
        for lv in levels:
            counts = [sum(1 for s in lv.samples if s.cause == c) for c in causes]
            lines.append(f"{lv.sessions:>4} sesi{'':>38}" + f"{'':>2}".join(f"{n:>12}" for n in counts))
    if errs:
        lines += ["", "galat (paling banyak 10 pertama):"]
        lines += [f"  {n} sesi, {s.kind}: {s.error}" for n, s in errs[:10]]
    return "\n".join(lines)


async def main_async(args) -> list[Level]:
    from playwright.async_api import async_playwright

    from bench.ws_session import WsUser

    levels: list[Level] = []
    SEARCH.update(search_texts())
    with demo_warehouse(args.warehouse) as root:
        log = PROJECT_ROOT / "bench" / "out" / "load_test_server.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with streamlit_server(root, log=log, extra_args=args.server_arg) as (url, proc):
            base = args.url or url
            async with async_playwright() as p:
                browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
                bpid = [int(pid) for pid in browser_pids()]
                try:
                    await warm_up(browser, base)
                    warm = Level(1)
                    first = (WsUser(base, random.Random(0), args, SEARCH) if args.client == "ws"
                             else User(browser, base, random.Random(0), args))
                    await first.run(time.monotonic() + 1, warm, 0)
                    if args.client == "ws":  # the browser is not needed any more
                        await browser.close()
                        bpid = []
                    for n in args.sessions:
                        lv = await run_level(browser, base, n, args, bpid, proc.pid)
                        levels.append(lv)
                        print(summarise([lv]).splitlines()[2], flush=True)
                finally:
                    await browser.close()
    return levels


async def warm_up(browser, base: str) -> None:
    """Open the app root once before measuring: the process imports plotly/pandas/DuckDB and opens
    the gateway outside the measured window (a fresh process also leaves Streamlit's pages/-folder
    mode on its first run, see ui.widgets)."""
    ctx = await browser.new_context()
    await ctx.add_init_script(OBSERVER)
    page = await ctx.new_page()
    await page.goto(base + "/", wait_until="commit")
    await page.wait_for_function(DONE, arg=[0, QUIET_MS], timeout=120_000, polling=100)
    await ctx.close()


def main() -> None:
    import signal
    import sys

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # `kill` still stops the server and browser
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", default="5,20,50", help="levels of concurrent sessions (comma-separated)")
    ap.add_argument("--duration", type=float, default=60, help="seconds of traffic per level after the last user arrived")
    ap.add_argument("--arrival", type=float, default=1.0, help="seconds between two users' arrivals")
    ap.add_argument("--client", choices=("browser", "ws"), default="browser",
                    help="browser: Playwright + chromium (end to end); ws: the websocket protocol without a "
                         "browser (the server alone, see bench/ws_session.py)")
    ap.add_argument("--max-steps", type=int, default=50, help="steps per user at most")
    ap.add_argument("--step-timeout", type=float, default=60, help="seconds before a step counts as an error")
    ap.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"),
                    help="think time between steps, seconds")
    ap.add_argument("--warehouse", help="existing warehouse (default: a fresh demo warehouse in a temp dir)")
    ap.add_argument("--url", help="send traffic to this URL instead (e.g. a load balancer); loopback only")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--render", action="store_true",
                    help="let the browser also lay out and paint charts and grids (default: hidden, see HIDE_HEAVY)")
    ap.add_argument("--server-arg", action="append", default=[], metavar="ARG",
                    help="extra `streamlit run` argument, e.g. --server-arg=--server.fileWatcherType=none")
    ap.add_argument("--json", type=Path, help="also write the raw samples here")
    args = ap.parse_args()
    args.sessions = [int(s) for s in args.sessions.split(",")]
    if args.url and not args.url.startswith(("http://127.0.0.1", "http://localhost")):
        raise SystemExit("--url harus loopback (127.0.0.1/localhost)")
    levels = asyncio.run(main_async(args))
    print()
    print(summarise(levels))
    if args.json:
        args.json.write_text(json.dumps([{"sessions": lv.sessions, "seconds": lv.seconds, "cpu": lv.cpu,
                                          "samples": [s.__dict__ for s in lv.samples]} for lv in levels], indent=1))


if __name__ == "__main__":
    main()
