"""What a load-test page did, for the error line of a failed step (bench.load_test).

Per Playwright page: the last console warnings and HTTP errors; from the page: Streamlit
websockets opened/closed, frames sent and received, clicks that reached the document.
`describe()` adds the run state (bench.serving.OBSERVER), whether the awaited condition holds
now, the status widget, and sorts the error by cause (CAUSES).
"""
from __future__ import annotations

from bench.serving import DONE, QUIET_MS

# Counts clicks that reach the document (capture phase): a lost click vs a click that ran nothing.
CLICKS = "document.addEventListener('click', () => { window.__spbeClicks = (window.__spbeClicks || 0) + 1; }, true);"


class PageWatch:
    def __init__(self) -> None:
        self.recent: list[str] = []  # last 3 console warnings/errors and HTTP errors

    def _keep(self, text: str) -> None:
        self.recent = (self.recent + [text])[-3:]

    def attach(self, page) -> None:
        # websocket frames are counted in the page (bench.serving.OBSERVER): Playwright's frame
        # events would ship every frame to Python and cost the driver CPU the rig lacks
        page.on("console", lambda msg: self._keep(msg.text[:120]) if msg.type in ("warning", "error") else None)
        page.on("requestfailed", lambda r: self._keep(f"gagal {r.failure} {r.url[-80:]}"))
        page.on("response", lambda r: self._keep(f"HTTP {r.status} {r.url[-80:]}") if r.status >= 400 else None)

    @staticmethod
    async def counts(page) -> dict:
        """This document's Streamlit websocket counts so far (opened, closed, sent, received)."""
        try:
            return await page.evaluate("() => window.__spbe ? window.__spbe.ws : {}")
        except Exception:  # noqa: BLE001 - the page may be navigating or gone
            return {}

    async def describe(self, page, before: int, ws0: dict, exc: Exception) -> tuple[str, str]:
        """The page's state at a failed step, and the error's cause (one of CAUSES); `before` = runs
        finished before it, `ws0` = counts() before it ({} when the step loads a new document)."""
        why, cause = "", "lain"
        try:  # tell "the action started no run" from "the run did not finish"
            st = await page.evaluate("() => window.__spbe && [window.__spbe.started, window.__spbe.finished, "
                                     "window.__spbe.running, window.__spbe.state, "
                                     "Date.now() - window.__spbe.lastChange]")
            done = await page.evaluate(DONE, [before, QUIET_MS])
            why += f" [klik sampai di halaman: {await page.evaluate('() => window.__spbeClicks || 0')}]"
            if st:
                why += (f" [run selesai sebelum langkah {before}; kini dimulai {st[0]}, selesai {st[1]}, "
                        f"{'berjalan' if st[2] else 'tidak berjalan'}, atribut {st[3]}, berubah {st[4] / 1000:.0f} s "
                        f"lalu; kondisi selesai {'benar' if done else 'salah'}]")
                cause = cause_of(type(exc).__name__, str(exc), before, st, done)
            status = page.locator("[data-testid='stStatusWidget']")
            if await status.count():
                why += f" [widget status: {(await status.first.inner_text())[:60]!r}]"
        except Exception:  # noqa: BLE001 - the page itself may be gone
            pass
        ws = await self.counts(page)
        if ws:
            why += (f" [websocket dibuka {ws['opened']}, ditutup {ws['closed']}, pesan terkirim selama langkah "
                    f"{ws['sent'] - ws0.get('sent', 0)}, diterima {ws['received'] - ws0.get('received', 0)}]")
        if self.recent:
            why += f" [konsol: {' | '.join(self.recent)}]"
        return why, cause


CAUSES = {
    "aksi": "a click or typing did not complete within the step time (the option list did not appear)",
    "belum mulai": "no run had started yet (a page load that had not even connected or run)",
    "berjalan": "the run was still going",
    "hampir": "the run had ended, the page was still drawing or ended within the quiet time before the limit",
    "selesai": "the condition held when checked right after the limit: the run ended close to the limit, "
               "or the page was too busy to check in time",
    "lain": "anything else (see the error line)",
}


def cause_of(exc_name: str, exc_text: str, before: int, state: list, done: bool) -> str:
    """Sort a timed-out step by the page's run state at that moment (started, finished, running, …)."""
    if exc_name != "TimeoutError":
        return "lain"
    if not exc_text.startswith("Page.wait_for_function"):
        return "aksi"
    started, finished, running = state[0], state[1], state[2]
    if done:
        return "selesai"
    if running:
        return "berjalan"
    if finished > before:
        return "hampir"
    if started == 0:
        return "belum mulai"
    return "lain"
