"""The web page's aiohttp app (or any aiohttp app) served on 127.0.0.1 from a background thread.

The page runs inside the test process with the `Settings` the test gives it and
the process's clock (`bot.clock.use_clock`): a link the test makes is checked
by the page as another process with the same environment would check it.
"""

from __future__ import annotations

import asyncio
import threading
from contextlib import contextmanager
from typing import Any, Iterator

from aiohttp import web

from bot.settings import Settings
from bot.web.server import create_app
from support.ports import free_port

NOBODY_LISTENS = "http://127.0.0.1:9"  # a Rasa URL for pages whose tests talk to no Rasa


def settings_for_page(**fields: Any) -> Settings:
    """`Settings` with `fields` and a free port for the page, which `page_url()` then names."""
    port = free_port()
    return Settings(web_port=port, public_url=f"http://127.0.0.1:{port}", **fields)


@contextmanager
def serving_app(app: web.Application, port: int) -> Iterator[str]:
    """Serves `app` on 127.0.0.1:`port` from a background event loop; yields its URL and stops it after."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    runner = web.AppRunner(app)

    async def start() -> None:
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()

    asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


@contextmanager
def serving_page(settings: Settings, rasa_url: str = NOBODY_LISTENS) -> Iterator[str]:
    """Serves the page with `settings` on `settings.web_port`; yields its URL and stops it after."""
    with serving_app(create_app(rasa_url, settings.public_url, settings), settings.web_port):
        yield settings.page_url()
