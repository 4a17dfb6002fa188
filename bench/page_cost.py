"""Per page: server CPU and bytes sent per warm rerun, as a ratio to an empty page (issue 14).

    .venv/bin/python -m bench.page_cost --scales 1,10 [--rounds 6] [--block 3] [--json out.json]

For each scale a demo warehouse is built (synthetic, `etl demo --scale`) in a temp folder and two
real servers are started from the project root (same `.streamlit/config.toml`): `streamlit run
app.py` on that warehouse, and `streamlit run bench/apps/write_page.py` (a page with only
`st.write`: the floor). Each page gets its own websocket session (the frontend's protocol,
bench/ws_session.py style: `BackMsg.rerun_script` with the page, the query string and the widget
states; no browser), opened with `?tahun=2024&instansi=kota-36.73` and warmed up. Then, round
robin over all targets, `--rounds` times: a block of `--block` reruns per target, the server's CPU
(utime+stime of /proc/<pid>/stat, every thread, also the ended script threads) read before and
after the block. Interactions (a toggle, a metric switch) change one widget on every rerun of
their block, alternating between two values, as a user clicking back and forth; a widget inside
an `st.fragment` is rerun as the frontend does (only that fragment).

Bytes = the ForwardMsgs of one rerun, as serialised by the server. "KB" counts every message in
full (what the server builds and a new tab receives); "KB kawat" emulates the browser's message
cache (messages ≥ 10 kB it already holds are sent as a `ref_hash`; the client reports them in
`cached_message_hashes` as the frontend does). Targets are judged on "KB".
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.proc_stats import cpu_seconds
from bench.serving import PROJECT_ROOT, publish_demo, streamlit_servers

EMPTY = "(halaman kosong)"
PAGES = {"ringkasan_nasional": "", "profil_instansi": "profil_instansi", "bandingkan": "bandingkan", "tren": "tren",
         "kesenjangan_target": "kesenjangan_target", "peringkat_sebaran": "peringkat_sebaran", "peta": "peta",
         "metodologi": "metodologi", "penilaian_mandiri": "penilaian_mandiri"}
# (page, widget key): the widget is switched between two values on every rerun of its block
INTERACTIONS = [("tren", "tr_kategori"), ("tren", "tr_jenis"), ("ringkasan_nasional", "rn_mode"),
                ("peta", "f_metrik"), ("peringkat_sebaran", "f_pembanding")]
QUERY = {"tahun": "2024", "instansi": "kota-36.73"}
WIDGET_KINDS = ("checkbox", "radio", "button_group", "selectbox", "multiselect", "text_input")
SETTLE_S = 0.03      # after script_finished: the server's last writes of the run
STEP_TIMEOUT_S = 180
TARGETS = {1: (10, 40), 10: (15, 120)}   # scale → (page CPU ≤ × empty, KB per rerun ≤)
INTERACTION_MAX = 5


@dataclass
class Run:
    full: int = 0          # bytes of every ForwardMsg of the run, ref_hash resolved to the message it names
    wire: int = 0          # bytes actually received (browser cache emulated)
    error: str | None = None
    elements: list[tuple[str, int]] = field(default_factory=list)   # (element type, bytes)


class Session:
    """One websocket session on one page of a server."""

    def __init__(self, base: str, page_name: str):
        self.url = base.replace("http://", "ws://") + "/_stcore/stream"
        self.page_name, self.page_hash = page_name, ""
        self.ws = None
        self.cache: dict[str, tuple[int, str]] = {}  # hash → (size, element type) of cacheable messages
        self.widgets: dict[str, tuple[str, object, str]] = {}   # key → (kind, proto, fragment id)
        self.states: dict[str, object] = {}          # widget id → WidgetState (sent with every rerun)

    async def open(self) -> Run:
        import websockets

        self.ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None,
                                           open_timeout=30, ping_interval=None, compression=None)
        return await self.rerun()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def rerun(self, fragment_id: str = "") -> Run:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = urlencode(QUERY)
        cs.page_script_hash = self.page_hash
        cs.page_name = "" if self.page_hash else self.page_name
        cs.fragment_id = fragment_id
        cs.widget_states.widgets.extend(self.states.values())
        cs.cached_message_hashes.extend(self.cache)
        await self.ws.send(msg.SerializeToString())
        return await asyncio.wait_for(self._until_finished(), STEP_TIMEOUT_S)

    async def _until_finished(self) -> Run:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        run = Run()
        while True:
            raw = await self.ws.recv()
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            run.wire += len(raw)
            kind = fm.WhichOneof("type")
            if kind == "ref_hash":
                size, what = self.cache.get(fm.ref_hash, (len(raw), "?"))
                run.full += size
                run.elements.append((what, size))
                continue
            run.full += len(raw)
            if fm.metadata.cacheable and fm.hash:
                self.cache[fm.hash] = (len(raw), fm.delta.new_element.WhichOneof("type") or "?")
            if kind == "navigation":
                self.page_hash = fm.navigation.page_script_hash or self.page_hash
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                self._element(fm, len(raw), run)
            elif kind == "page_not_found":
                run.error = f"page not found: {fm.page_not_found.page_name}"
            elif kind == "script_finished":
                if fm.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue   # st.rerun / a callback: the run that follows belongs to this step
                return run

    def _element(self, fm, size: int, run: Run) -> None:
        el = fm.delta.new_element
        what = el.WhichOneof("type")
        run.elements.append((what, size))
        if what == "exception":
            run.error = f"{el.exception.type}: {el.exception.message[:160]}"
        elif what in WIDGET_KINDS:
            proto = getattr(el, what)
            self.widgets[proto.id.rsplit("-", 1)[-1]] = (what, proto, fm.delta.fragment_id)

    def switch_values(self, key: str) -> list:
        """The two values the interaction on `key` alternates between (the other one first)."""
        kind, proto, _ = self.widgets[key]
        if kind == "checkbox":
            now = proto.value if proto.set_value else proto.default
            return [not now, now]
        if kind == "button_group":
            options = [o.content for o in proto.options]
            current = list(proto.raw_values) if proto.set_value else [options[i] for i in proto.default]
            now = options.index(current[0]) if current and current[0] in options else 0
        else:
            options = list(proto.options)
            now = options.index(proto.raw_value) if proto.set_value and proto.raw_value in options else proto.default
        other = next(i for i in range(len(options)) if i != now)
        return [options[other], options[now]]

    async def change(self, key: str, value) -> Run:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        kind, proto, fragment = self.widgets[key]
        if kind == "checkbox":
            state = WidgetState(id=proto.id, bool_value=value)
        elif kind == "button_group":
            state = WidgetState(id=proto.id)
            state.string_array_value.data.append(value)
        else:
            state = WidgetState(id=proto.id, string_value=value)
        self.states[proto.id] = state
        return await self.rerun(fragment_id=fragment)


@dataclass
class Target:
    name: str
    session: Session
    pid: int
    key: str | None = None          # widget switched by an interaction
    values: list = field(default_factory=list)
    cold_cpu: float = 0.0
    cold_bytes: int = 0
    cpu: float = 0.0
    reruns: list[Run] = field(default_factory=list)
    switched: int = 0

    async def step(self, _i: int = 0) -> Run:
        if self.key is None:
            return await self.session.rerun()
        self.switched += 1     # a change on every rerun: A, B, A, … across blocks too
        return await self.session.change(self.key, self.values[(self.switched - 1) % 2])


async def _timed(pid: int, coro):
    c0 = cpu_seconds([pid], children=False)
    out = await coro
    await asyncio.sleep(SETTLE_S)
    return out, cpu_seconds([pid], children=False) - c0


async def _open(name: str, base: str, pid: int, page: str, key: str | None = None) -> Target:
    session = Session(base, page)
    run, cpu = await _timed(pid, session.open())
    if run.error:
        raise RuntimeError(f"{name}: {run.error}")
    target = Target(name, session, pid, key, cold_cpu=cpu, cold_bytes=run.full)
    if key is not None:
        if key not in session.widgets:
            raise RuntimeError(f"{name}: widget {key} tidak ada di halaman ({sorted(session.widgets)})")
        target.values = session.switch_values(key)
    for i in range(2):   # warm: every cache the rerun (or both interaction values) needs
        await target.step(i)
    return target


async def measure(app: tuple[str, int], empty: tuple[str, int], rounds: int, block: int) -> list[Target]:
    targets = [await _open(EMPTY, empty[0], empty[1], "")]
    for name, path in PAGES.items():
        targets.append(await _open(name, app[0], app[1], path))
    for page, key in INTERACTIONS:
        targets.append(await _open(f"{page} ↔ {key}", app[0], app[1], PAGES[page], key))
    try:
        for _ in range(rounds):
            for t in targets:
                async def blk(t=t):
                    return [await t.step(i) for i in range(block)]
                runs, cpu = await _timed(t.pid, blk())
                t.cpu += cpu
                t.reruns.extend(runs)
                errors = [r.error for r in runs if r.error]
                if errors:
                    raise RuntimeError(f"{t.name}: {errors[0]}")
    finally:
        for t in targets:
            await t.session.close()
    return targets


def _row(t: Target, floor: float, scale: int) -> tuple[str, dict]:
    per = t.cpu / len(t.reruns)
    kb = statistics.median(r.full for r in t.reruns) / 1000
    wire = statistics.median(r.wire for r in t.reruns) / 1000
    ratio = per / floor if floor > 0 else float("nan")
    cpu_max, kb_max = TARGETS.get(scale, TARGETS[10])
    if t.name == EMPTY:
        ok = ""
    elif t.key is not None:
        ok = "ya" if ratio <= INTERACTION_MAX else "TIDAK"
    else:
        ok = "ya" if ratio <= cpu_max and kb <= kb_max else "TIDAK"
    biggest = sorted(t.reruns[-1].elements, key=lambda e: -e[1])[:3]
    top = ", ".join(f"{k} {n / 1000:.0f}" for k, n in biggest if n >= 5000)
    line = (f"{t.name:<40} {per * 1000:>9.1f} {ratio:>8.1f} {kb:>9.1f} {wire:>9.1f} {t.cold_cpu * 1000:>9.0f} "
            f"{t.cold_bytes / 1000:>9.1f} {ok:>6}  {top}")
    return line, {"target": t.name, "cpu_ms": per * 1000, "ratio": ratio, "kb": kb, "kb_kawat": wire,
                  "cold_cpu_ms": t.cold_cpu * 1000, "cold_kb": t.cold_bytes / 1000, "memenuhi": ok,
                  "terbesar_kb": [(k, n / 1000) for k, n in biggest]}


def report(targets: list[Target], scale: int) -> list[dict]:
    floor = targets[0].cpu / len(targets[0].reruns)
    cpu_max, kb_max = TARGETS.get(scale, TARGETS[10])
    print(f"sasaran: halaman ≤ {cpu_max}× CPU halaman kosong dan ≤ {kb_max} KB per rerun; interaksi ≤ "
          f"{INTERACTION_MAX}× CPU halaman kosong")
    print(f"{'target':<40} {'CPU ms':>9} {'×kosong':>8} {'KB':>9} {'KB kawat':>9} {'dingin ms':>9} "
          f"{'dingin KB':>9} {'sesuai':>6}  elemen terbesar (KB)")
    rows = []
    for t in targets:
        line, row = _row(t, floor, scale)
        print(line)
        rows.append(row)
    return rows


def _git_head() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                              text=True, timeout=10).stdout.strip()
    except OSError:
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default="1,10")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--block", type=int, default=3, help="reruns per target per round")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    out = {"commit": _git_head(), "waktu": time.strftime("%Y-%m-%d %H:%M"), "skala": {}}
    for scale in [int(s) for s in a.scales.split(",")]:
        with tempfile.TemporaryDirectory(prefix="spbe-pagecost-") as tmp:
            root = Path(tmp) / "wh"
            t0 = time.perf_counter()
            publish_demo(root, scale=scale)
            load0 = os.getloadavg()
            print(f"\n== skala {scale}× (gudang dibangun dalam {time.perf_counter() - t0:.1f} s; commit {out['commit']}; "
                  f"load {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}; {a.rounds} putaran × {a.block} rerun)")
            with streamlit_servers(root, 1) as [(url, proc)], \
                    streamlit_servers(root, 1, script="bench/apps/write_page.py") as [(e_url, e_proc)]:
                targets = asyncio.run(measure((url, proc.pid), (e_url, e_proc.pid), a.rounds, a.block))
            load1 = os.getloadavg()
            rows = report(targets, scale)
            print(f"load sesudah: {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}")
            out["skala"][scale] = {"load": [load0, load1], "baris": rows}
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    sys.path.insert(0, str(PROJECT_ROOT))
    main()
