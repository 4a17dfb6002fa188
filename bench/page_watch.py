"""What a load-test page did, for the error line of a failed step (bench.load_test).

Per Playwright page: Streamlit websockets opened/closed and frames sent, the last console
warnings and HTTP errors, clicks that reached the document. `describe()` adds the run state
(bench.serving.OBSERVER), whether the awaited condition holds now, and the status widget.
"""
from __future__ import annotations

from bench.serving import DONE, QUIET_MS

# Counts clicks that reach the document (capture phase): a lost click vs a click that ran nothing.
CLICKS = "document.addEventListener('click', () => { window.__spbeClicks = (window.__spbeClicks || 0) + 1; }, true);"


class PageWatch:
    def __init__(self) -> None:
        self.ws = {"opened": 0, "closed": 0, "sent": 0, "received": 0}
        self.recent: list[str] = []  # last 3 console warnings/errors and HTTP errors

    def _keep(self, text: str) -> None:
        self.recent = (self.recent + [text])[-3:]

    def attach(self, page) -> None:
        def on_ws(ws):
            if "/_stcore/stream" in ws.url:
                self.ws["opened"] += 1
                ws.on("framesent", lambda _frame: self.ws.__setitem__("sent", self.ws["sent"] + 1))
                ws.on("framereceived", lambda _frame: self.ws.__setitem__("received", self.ws["received"] + 1))
                ws.on("close", lambda _ws: self.ws.__setitem__("closed", self.ws["closed"] + 1))

        page.on("websocket", on_ws)
        page.on("console", lambda msg: self._keep(msg.text[:120]) if msg.type in ("warning", "error") else None)
        page.on("requestfailed", lambda r: self._keep(f"gagal {r.failure} {r.url[-80:]}"))
        page.on("response", lambda r: self._keep(f"HTTP {r.status} {r.url[-80:]}") if r.status >= 400 else None)

    async def describe(self, page, before: int, sent0: int, received0: int = 0) -> str:
        """The page's state at a failed step; `before` = runs finished before it, `sent0` = frames sent before it."""
        why = ""
        try:  # tell "the action started no run" from "the run did not finish"
            st = await page.evaluate("() => window.__spbe && [window.__spbe.started, window.__spbe.finished, "
                                     "window.__spbe.running, window.__spbe.state, Date.now() - window.__spbe.lastChange]")
            done = await page.evaluate(DONE, [before, QUIET_MS])
            why += f" [klik sampai di halaman: {await page.evaluate('() => window.__spbeClicks || 0')}]"
            if st:
                why += (f" [run selesai sebelum langkah {before}; kini dimulai {st[0]}, selesai {st[1]}, "
                        f"{'berjalan' if st[2] else 'tidak berjalan'}, atribut {st[3]}, berubah {st[4] / 1000:.0f} s lalu; kondisi selesai {'benar' if done else 'salah'}]")
            status = page.locator("[data-testid='stStatusWidget']")
            if await status.count():
                why += f" [widget status: {(await status.first.inner_text())[:60]!r}]"
        except Exception:  # noqa: BLE001 - the page itself may be gone
            pass
        why += (f" [websocket dibuka {self.ws['opened']}, ditutup {self.ws['closed']}, "
                f"pesan terkirim selama langkah {self.ws['sent'] - sent0}, diterima {self.ws['received'] - received0}]")
        if self.recent:
            why += f" [konsol: {' | '.join(self.recent)}]"
        return why
