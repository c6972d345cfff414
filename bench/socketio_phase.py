"""The web widget's protocol: the benchmark's conversations over socket.io, beside REST.

The widget (`bot/web/static/widget.js`) connects to `/socket.io`, sends
`session_request` with the session id it kept (none on a first visit) and
waits for `session_confirm`; it then sends `user_uttered` `{"message",
"session_id"}` and shows each `bot_uttered` event as a message. The server
(`bot/channels/socketio.py`) signs the session ids itself and issues a new one
for any id it did not sign, so a client needs no secret: every conversation
here is a first visit that asks for a session and gets one, as the page does.
The socket.io server accepts only the page's origins (`BACKCARE_WEB_ORIGINS`),
so the client sends the page's `Origin` header.

A socket.io turn has no end marker: the server emits each message while its
action runs. Before the load, each conversation is replayed once over REST on
the same server; a socket.io turn counts as answered when as many messages
have come as REST gave for that turn (`socket_messages`: Rasa's socket.io
output splits a text with buttons at blank lines, which the REST collector
does not). A turn that gets fewer stops waiting `gap` seconds after its last
message and counts as a mismatch, as do messages that come after a turn was
counted as answered; the figures say how many. Latency is the time to the
turn's last message (the REST figure's equivalent); the time to its first
message, what a person sees first, is reported beside it.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from typing import Any, Dict, List, Optional, Sequence, Tuple

import aiohttp

from bench import progress
from bench.common import (
    REST_WEBHOOK,
    TURN_TIMEOUT_S,
    client_timeout,
    percentile,
    replay,
    summary,
    turns_in_load,
)
from bench.conversations import CONVERSATIONS

SOCKETIO_PATH = "/socket.io"
GAP_S = 5.0  # longest wait for a turn's next message once its first has come
CONNECT_TIMEOUT_S = 30.0


def socket_messages(rest_messages: Optional[Sequence[Dict[str, Any]]]) -> int:
    """How many `bot_uttered` events the socket.io channel sends for what REST returned for a turn.

    Both channels send one message per text part, image, attachment and custom
    payload; a text with buttons is one REST message but one socket.io event
    per blank-line-separated part (the buttons go with the last).
    """
    count = 0
    for message in rest_messages or []:
        text = message.get("text")
        if isinstance(text, str) and message.get("buttons"):
            count += len(text.strip().split("\n\n"))
        else:
            count += 1
    return count


async def expected_messages(url: str) -> List[List[int]]:
    """Per conversation and turn, the number of socket.io messages to wait for (one REST replay each)."""
    expected = []
    async with aiohttp.ClientSession(timeout=client_timeout()) as session:
        for number, turns in enumerate(CONVERSATIONS):
            replies = await replay(
                session, f"{url}{REST_WEBHOOK}", f"calibrate-{number}-{secrets.token_hex(3)}", turns, [], []
            )
            expected.append([socket_messages(reply) for reply in replies])
    return expected


def allow_websocket_client() -> None:
    """Lets python-engineio's asyncio client open websockets with the locked aiohttp.

    python-engineio 4.15 passes `aiohttp.ClientWSTimeout(ws_close=...)`, which
    aiohttp has only from 3.10; aiohttp 3.9 (Rasa's pin) takes the same close
    timeout as a number. Without this the websocket transport fails with an
    AttributeError before it connects; polling does not need it.
    """
    if not hasattr(aiohttp, "ClientWSTimeout"):
        aiohttp.ClientWSTimeout = lambda ws_close=10.0, ws_receive=None: ws_close  # type: ignore[attr-defined]


class WidgetClient:
    """One browser tab of the web chat: a socket.io connection and its session."""

    def __init__(self, transport: str) -> None:
        import socketio

        if transport == "websocket":
            allow_websocket_client()
        self.transport = transport
        self.sio = socketio.AsyncClient(reconnection=False)
        self.messages: asyncio.Queue[Tuple[float, Any]] = asyncio.Queue()
        self.sessions: asyncio.Queue[str] = asyncio.Queue()
        self.session_id = ""

        async def bot_uttered(data: Any) -> None:
            await self.messages.put((time.perf_counter(), data))

        async def session_confirm(data: Any) -> None:
            await self.sessions.put(data if isinstance(data, str) else str(data.get("session_id", "")))

        self.sio.on("bot_uttered", bot_uttered)
        self.sio.on("session_confirm", session_confirm)

    async def open(self, url: str, origin: str) -> float:
        """Connects and gets a session; how long that took, in ms."""
        started = time.perf_counter()
        await self.sio.connect(
            url,
            transports=[self.transport],
            headers={"Origin": origin},
            socketio_path=SOCKETIO_PATH,
            wait_timeout=CONNECT_TIMEOUT_S,
        )
        await self.sio.emit("session_request", {"session_id": None})
        self.session_id = await asyncio.wait_for(self.sessions.get(), CONNECT_TIMEOUT_S)
        return (time.perf_counter() - started) * 1000

    def _stray(self) -> int:
        count = 0
        while not self.messages.empty():
            self.messages.get_nowait()
            count += 1
        return count

    async def turn(self, text: str, expected: int, gap: float = GAP_S) -> Dict[str, Any]:
        """Sends `text` and waits for `expected` messages: first/last in ms, received, strays."""
        stray = self._stray()  # late messages of the turn before
        started = time.perf_counter()
        await self.sio.emit("user_uttered", {"message": text, "session_id": self.session_id})
        received, first, last = 0, None, None
        while received < max(expected, 1):
            wait = TURN_TIMEOUT_S if received == 0 and expected > 0 else gap
            try:
                arrived, _ = await asyncio.wait_for(self.messages.get(), wait)
            except asyncio.TimeoutError:
                break
            received += 1
            first = arrived if first is None else first
            last = arrived
        end = last if last is not None else time.perf_counter()
        return {
            "first_ms": ((first if first is not None else end) - started) * 1000,
            "last_ms": (end - started) * 1000,
            "received": received,
            "stray": stray,
        }

    async def close(self) -> None:
        try:
            if self.transport == "polling":
                # Without waiting for the pending long-poll, which the server holds up to 25 s.
                await self.sio.eio.disconnect(abort=True)
            else:
                await self.sio.disconnect()
        except Exception:  # a connection that never opened, or one the server dropped
            pass
        if self.sio.eio.http is not None and not self.sio.eio.http.closed:
            await self.sio.eio.http.close()


async def socket_load(
    url: str,
    origin: str,
    concurrency: int,
    rounds: int,
    expected: List[List[int]],
    transport: str = "websocket",
) -> Dict[str, Any]:
    """As `bench.common.load`, over socket.io: each round a new tab (connection and session)."""
    latencies: List[float] = []
    first_replies: List[float] = []
    connects: List[float] = []
    errors: List[str] = []
    mismatches = [0]

    async def run(client: int) -> None:
        for r in range(rounds):
            number = (client + r) % len(CONVERSATIONS)
            tab = WidgetClient(transport)
            try:
                connects.append(await tab.open(url, origin))
            except Exception as failure:  # counted, not fatal
                errors.append(f"connect: {failure.__class__.__name__}: {failure}")
                progress.tick(error=True, count=len(CONVERSATIONS[number]))
                await tab.close()
                continue
            try:
                for text, count in zip(CONVERSATIONS[number], expected[number], strict=True):
                    result = await tab.turn(text, count)
                    missing = result["received"] == 0 and count > 0
                    if missing:
                        errors.append(f"no reply {text!r}")
                    if result["received"] != count or result["stray"]:
                        mismatches[0] += 1
                    latencies.append(result["last_ms"])
                    first_replies.append(result["first_ms"])
                    progress.tick(error=missing)
            finally:
                await tab.close()

    started = time.perf_counter()
    await asyncio.gather(*(run(client) for client in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {
        **summary(latencies, len(errors), elapsed),
        "first_reply_p50_ms": percentile(first_replies, 0.50) if first_replies else None,
        "first_reply_p95_ms": percentile(first_replies, 0.95) if first_replies else None,
        "connect_p50_ms": percentile(connects, 0.50) if connects else None,
        "message_count_mismatches": mismatches[0],
        "transport": transport,
        "error_samples": errors[:5],
    }


def socketio_phase(
    label: str, url: str, origin: str, concurrency: int, rounds: int, transport: str = "websocket"
) -> Dict[str, Any]:
    """Single conversations (each twice, one at a time) and `concurrency` at once, over socket.io."""
    with progress.phase(f"{label}: socket.io message counts (one REST replay per conversation)"):
        expected = asyncio.run(expected_messages(url))
    single_rounds = 2 * len(CONVERSATIONS)
    with progress.phase(f"{label}: socket.io, single conversation", total=turns_in_load(1, single_rounds)):
        single = asyncio.run(socket_load(url, origin, 1, single_rounds, expected, transport))
    total = turns_in_load(concurrency, rounds)
    with progress.phase(f"{label}: socket.io, {concurrency} concurrent", total=total):
        concurrent = asyncio.run(socket_load(url, origin, concurrency, rounds, expected, transport))
    return {"single": single, "concurrent": concurrent, "concurrency": concurrency}
