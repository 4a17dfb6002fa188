"""A Streamlit session without a browser: the websocket protocol the frontend speaks, for
measuring the server alone (`bench.load_test --client ws`).

A browser on the same 2 cores as the server spends more CPU per step than the server does (the
Playwright driver parses every websocket frame, Chromium renders), so 20–50 browser sessions
measure the load generator. This client sends the same `BackMsg.rerun_script` messages the
frontend sends — open a page with a query string, switch page, change a sidebar selectbox —
and reads `ForwardMsg`s until the run's `script_finished`. It does not render anything.
"""
from __future__ import annotations

import random
import time
from urllib.parse import urlencode

from bench.load_test import NAV, YEARS, Sample, StopVisit, run_user

SEND_TIMEOUT_S = 10


class WsUser:
    """One session; the step kinds and think times mirror `bench.load_test.User`."""

    def __init__(self, base: str, rng: random.Random, args, search: dict[str, str]):
        self.url = base.replace("http://", "ws://") + "/_stcore/stream"
        self.rng, self.args, self.search = rng, args, search
        self.ws = None
        self.pages: dict[str, str] = {}          # page title → page_script_hash
        self.page_hash = ""
        self.widgets: dict[str, object] = {}     # user key suffix → Selectbox proto (id, options)
        self.states: dict[str, object] = {}      # widget id → WidgetState sent with every rerun
        self.fragments: dict[str, str] = {}      # widget id → the st.fragment it is drawn in ("" = none)
        self.query = {"tahun": "2024"}
        self.year, self.instansi = 2024, None
        self.deadline = float("inf")

    async def _rerun(self, *, page_hash: str | None = None, page_name: str = "", fragment_id: str = "") -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = urlencode(self.query)
        cs.page_script_hash = self.page_hash if page_hash is None else page_hash
        cs.page_name = page_name
        cs.fragment_id = fragment_id
        cs.widget_states.widgets.extend(self.states.values())
        await self.ws.send(msg.SerializeToString())

    async def _until_finished(self) -> str | None:
        """Read messages until the run ends; returns an error text or None."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        error = None
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await self.ws.recv())
            kind = fm.WhichOneof("type")
            if kind == "navigation":
                self.pages = {name: p.page_script_hash for p in fm.navigation.app_pages
                              for name in (p.page_name, p.url_pathname)}
                self.page_hash = fm.navigation.page_script_hash or self.page_hash
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                el = fm.delta.new_element
                what = el.WhichOneof("type")
                if what == "exception":
                    error = f"exception: {el.exception.type}: {el.exception.message[:120]}"
                elif what in ("selectbox", "text_input"):
                    proto = getattr(el, what)
                    self.widgets[proto.id.rsplit("-", 1)[-1]] = proto
                    self.fragments[proto.id] = fm.delta.fragment_id
            elif kind == "page_not_found":
                error = f"page not found: {fm.page_not_found.page_name}"
            elif kind == "script_finished":
                if fm.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun / a callback: the run that follows is part of this step
                if fm.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    error = "compile error"
                return error

    async def _step(self, kind: str, send) -> Sample:
        if time.monotonic() > self.deadline:
            raise StopVisit
        t0 = time.perf_counter()
        try:
            await send()
            import asyncio
            error = await asyncio.wait_for(self._until_finished(), self.args.step_timeout)
        except Exception as exc:  # noqa: BLE001 - counted, the run goes on
            return Sample(kind, None, f"{type(exc).__name__}: {str(exc)[:160]}")
        return Sample(kind, None, error) if error else Sample(kind, (time.perf_counter() - t0) * 1000)

    async def open_link(self, _page, kind: str) -> Sample:
        import websockets

        if self.ws is not None:
            await self.ws.close()
        self.instansi = self.rng.choice(list(self.search))
        self.query = {"tahun": str(self.year), "instansi": self.instansi}
        self.states, self.widgets, self.page_hash = {}, {}, ""

        async def connect_and_run():
            self.ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None,
                                               open_timeout=SEND_TIMEOUT_S, ping_interval=None)
            await self._rerun(page_hash="", page_name="profil_instansi")
        return await self._step(kind, connect_and_run)

    def _select(self, key: str, label_part: str) -> bool:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        box = self.widgets.get(key)
        label = next((o for o in box.options if label_part in o), None) if box else None
        if label is None:
            return False
        state = WidgetState(id=box.id, string_value=label)
        self.states[box.id] = state
        return True

    async def _type(self, key: str, text: str) -> bool:
        """Type in a text box (ui/picker.py's live search): its fragment reruns and refills the short list."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        box = self.widgets.get(key)
        if box is None:
            return False
        self.states[box.id] = WidgetState(id=box.id, string_value=text)
        await self._rerun(fragment_id=self.fragments.get(box.id, ""))
        import asyncio
        return await asyncio.wait_for(self._until_finished(), self.args.step_timeout) is None

    async def visit(self, _page, out: list[Sample]) -> None:
        out.append(await self.nav("ringkasan"))
        await self.think()
        iid = self.rng.choice([i for i in self.search if i != self.instansi])
        if await self._type("w_instansi_cari", self.search[iid]) and self._select("w_instansi", self.search[iid]):
            out.append(await self._step("ganti instansi", self._rerun))
            self.instansi = iid if out[-1].ms is not None else self.instansi
        for key in ("profil", "tren", "peringkat"):
            await self.think()
            out.append(await self.nav(key))
        await self.think()
        new_year = self.rng.choice([y for y in YEARS if y != self.year])
        if self._select("w_tahun", str(new_year)):
            out.append(await self._step("ganti tahun", self._rerun))
            self.year = new_year if out[-1].ms is not None else self.year
        await self.think()

    async def nav(self, key: str) -> Sample:
        target = self.pages.get(NAV[key])
        if target is None:
            return Sample(f"ke {key}", None, f"page '{NAV[key]}' not in navigation {list(self.pages)[:4]}")
        self.page_hash = target
        return await self._step(f"ke {key}", self._rerun)

    async def think(self):
        import asyncio
        await asyncio.sleep(self.rng.uniform(*self.args.think))

    async def run(self, deadline: float, level, start_delay: float) -> None:
        import asyncio

        await asyncio.sleep(start_delay)
        self.deadline = deadline
        try:
            await run_user(self, None, level)
        finally:
            if self.ws is not None:
                await self.ws.close()
