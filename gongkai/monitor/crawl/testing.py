"""A real aiohttp server on 127.0.0.1 in a background thread, for tests of the crawler."""

from __future__ import annotations

import asyncio
import contextlib
import threading

from aiohttp import web


@contextlib.contextmanager
def serve(app: web.Application):
    """Run ``app`` on a free 127.0.0.1 port; yield its base URL (``http://127.0.0.1:PORT``)."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    state: dict = {}

    async def start():
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=0.1)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        state["runner"] = runner
        state["port"] = runner.addresses[0][1]

    def main():
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(start())
        except BaseException as exc:
            state["error"] = exc
            ready.set()
            loop.close()
            return
        ready.set()
        loop.run_forever()
        loop.run_until_complete(state["runner"].cleanup())
        loop.close()

    thread = threading.Thread(target=main, daemon=True)
    thread.start()
    ready.wait(10)
    if "error" in state:
        raise state["error"]
    try:
        yield f"http://127.0.0.1:{state['port']}"
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
