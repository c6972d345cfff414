"""Rasa's socket.io channel with two fixes the web widget needs.

1. CORS limited to the widget's own origins (Rasa's channel disables the
   socket.io origin check entirely). Origins come from `BACKCARE_WEB_ORIGINS`
   (comma-separated), by default the page served by `backcare run`.
2. Session persistence: in python-socketio >= 5.10 `enter_room` is a
   coroutine, and Rasa 3.6 calls it without `await` (rasa issue 13027), so the
   browser never joins its room and replies to a reloaded page are lost.
"""

from __future__ import annotations

import inspect
import os
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint

DEFAULT_WEB_ORIGINS = "http://127.0.0.1:8080,http://localhost:8080"


def web_origins() -> List[str]:
    raw = os.environ.get("BACKCARE_WEB_ORIGINS") or DEFAULT_WEB_ORIGINS
    return [origin.strip().rstrip("/") for origin in raw.split(",") if origin.strip()]


class SocketIOInput(RasaSocketIOInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_webhook = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None
        sio.eio.cors_allowed_origins = web_origins()

        # Replaces Rasa's handler for the same event.
        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            session_id = (data or {}).get("session_id") or uuid.uuid4().hex
            if self.session_persistence:
                joined = sio.enter_room(sid, session_id, namespace=self.namespace or "/")
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace or "/")

        return socketio_webhook
