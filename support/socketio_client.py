"""A socket.io client as the web widget is, for the tests that talk to the channel directly."""

from __future__ import annotations

import time
from typing import Any, Callable, Dict, List

import socketio


class SocketClient:
    """A socket.io client as the widget is, recording what it receives."""

    def __init__(self, url: str, origin: str) -> None:
        self.client = socketio.Client(reconnection=False)
        self.received: List[Dict[str, Any]] = []
        self.sessions: List[str] = []
        self.client.on("bot_uttered", self.received.append)
        self.client.on("session_confirm", self.sessions.append)
        self.client.connect(url, transports=["polling"], headers={"Origin": origin})

    def wait(self, condition: Callable[[], bool], timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, "no answer from the socket.io channel"
            time.sleep(0.05)

    def request_session(self, session_id: Any = None) -> str:
        count = len(self.sessions)
        self.client.emit("session_request", {"session_id": session_id})
        self.wait(lambda: len(self.sessions) > count)
        return self.sessions[-1]

    def say(self, message: Any, **extra: Any) -> str:
        count = len(self.received)
        self.client.emit("user_uttered", {"message": message, **extra})
        self.wait(lambda: len(self.received) > count)
        time.sleep(0.3)  # the rest of the turn's messages
        return "\n".join(str(item.get("text", "")) for item in self.received[count:])

    def close(self) -> None:
        # Without waiting for the pending long-poll, which the server holds for
        # up to its ping interval (25 s): the server sees the close packet either way.
        self.client.eio.disconnect(abort=True)
