"""A Telegram Bot API stand-in on 127.0.0.1 that records every call it receives.

The Telegram channel is tested against it, so no test ever calls Telegram.
Files uploaded with a call (multipart, as `sendPhoto` and `sendDocument` send
them) are kept with their name, type and bytes. `fail_next` makes the next
calls fail the way Telegram does: 429 with `retry_after`, 500, or a dropped
connection.
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from aiohttp import web

# A token in Telegram's format for the stand-in only; never a real bot.
TELEGRAM_TEST_TOKEN = "12345:stand-in-token"
# The webhook secret of a BackCare under test; Telegram would echo it on every update.
TELEGRAM_TEST_SECRET = "e2e-secret-" + secrets.token_hex(8)


@dataclass
class UploadedFile:
    filename: str
    content_type: str
    data: bytes


@dataclass
class RecordedCall:
    token: str
    method: str
    data: Dict[str, Any]  # the call's fields, files aside
    files: Dict[str, UploadedFile] = field(default_factory=dict)  # field name -> uploaded file
    status: int = 200  # what the stand-in answered (0: it dropped the connection)


# Telegram's own answers to a flood and to an internal error.
FLOOD_ANSWER = {
    "ok": False,
    "error_code": 429,
    "description": "Too Many Requests: retry after 1",
    "parameters": {"retry_after": 1},
}
SERVER_ERROR_ANSWER = {"ok": False, "error_code": 500, "description": "Internal Server Error"}


@dataclass
class BotApiStandIn:
    """Answers like the Bot API (`/bot<token>/<method>`) and keeps the calls."""

    host: str = "127.0.0.1"
    port: int = 0
    calls: List[RecordedCall] = field(default_factory=list)
    failures: List[str] = field(default_factory=list)  # "429", "500" or "drop", one per coming call
    _message_ids: Any = field(default_factory=lambda: itertools.count(1))
    _loop: Optional[asyncio.AbstractEventLoop] = None
    _runner: Optional[web.AppRunner] = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def backcare_environment(self) -> Dict[str, str]:
        """The `TELEGRAM_*` variables that point a BackCare's Telegram channel at this stand-in."""
        return {
            "TELEGRAM_TOKEN": TELEGRAM_TEST_TOKEN,
            "TELEGRAM_SECRET_TOKEN": TELEGRAM_TEST_SECRET,
            "TELEGRAM_API_URL": self.url,
            "TELEGRAM_BOT_USERNAME": "BackCareTestBot",
        }

    async def _handle(self, request: web.Request) -> web.Response:
        files: Dict[str, UploadedFile] = {}
        if request.content_type == "application/json":
            data = await request.json()
        else:
            data = {}
            for name, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    files[name] = UploadedFile(value.filename, value.content_type, value.file.read())
                else:
                    data[name] = value
        token, method = request.match_info["token"], request.match_info["method"]
        failure = self.failures.pop(0) if self.failures else None
        if failure == "drop":
            self.calls.append(RecordedCall(token, method, data, files, status=0))
            assert request.transport is not None
            request.transport.close()  # the client sees a network error
            return web.Response()
        if failure in ("429", "500"):
            self.calls.append(RecordedCall(token, method, data, files, status=int(failure)))
            answer = FLOOD_ANSWER if failure == "429" else SERVER_ERROR_ANSWER
            return web.json_response(answer, status=int(failure))
        self.calls.append(RecordedCall(token, method, data, files))
        result: Any = True
        if method in ("sendMessage", "sendPhoto", "sendDocument"):
            result = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": int(data.get("chat_id", 0)), "type": "private"},
                "text": data.get("text", ""),
            }
        return web.json_response({"ok": True, "result": result})

    def start(self) -> BotApiStandIn:
        ready = threading.Event()

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            app = web.Application()
            app.router.add_post("/bot{token}/{method}", self._handle)
            self._runner = web.AppRunner(app)
            self._loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, self.host, self.port)
            self._loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()

        threading.Thread(target=serve, daemon=True).start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop and self._runner:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)

    def fail_next(self, *failures: str) -> None:
        """The next calls fail in this order ("429", "500", "drop"); later ones succeed."""
        self.failures.extend(failures)

    def take(self) -> List[RecordedCall]:
        """The calls so far, clearing the record."""
        taken, self.calls = list(self.calls), []
        return taken
