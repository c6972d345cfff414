"""Joining a socket.io room with any python-socketio release Rasa 3.6 accepts.

In python-socketio >= 5.10 `AsyncServer.enter_room` is a coroutine; Rasa 3.6
calls it without `await` (RasaHQ/rasa#13027), so the browser never joined its
room and the replies to a reloaded page went nowhere. Older releases return
None, so the result is awaited only when there is something to await.
"""

from __future__ import annotations

import inspect
from typing import Any, Text


async def join_room(sio: Any, sid: Text, room: Text, namespace: Text) -> None:
    joined = sio.enter_room(sid, room, namespace=namespace)
    if inspect.isawaitable(joined):
        await joined
