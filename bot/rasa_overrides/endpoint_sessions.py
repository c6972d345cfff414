"""One HTTP client session per endpoint and event loop, kept between requests.

Rasa's `EndpointConfig.request` opens a new `aiohttp.ClientSession` for
every request and closes it afterwards: every custom action of every turn
pays a new TCP connection, a session set-up and a teardown, on the Rasa
server and on the action server. Here `EndpointConfig.session()` hands out
the endpoint's session for the running event loop, and leaving Rasa's
`async with` keeps it open, so requests reuse its connections.

Request bodies are written with ujson (`compact_json`): the turn's tracker,
sent with every custom action, took 6% of the Rasa server's time under load
in `json.dumps`. The action server reads the same values back (tested on
whole trackers); a body ujson cannot write goes through `json.dumps`.

Idle connections are closed after `KEEPALIVE_S`, before the action server
(Sanic, 5 s keep-alive) closes them itself: a request never goes out on a
connection the server is closing. The sessions of a loop are closed when the
Rasa server stops (`rasa.core.run.close_resources`).
"""

from __future__ import annotations

import asyncio
import json
import weakref
from types import TracebackType
from typing import Any, Dict, List, Optional, Type

import aiohttp
import ujson
from rasa.core import run as rasa_run
from rasa.utils import endpoints as rasa_endpoints
from rasa.utils.endpoints import EndpointConfig

KEEPALIVE_S = 2.0
_SESSIONS_ATTRIBUTE = "_backcare_sessions"


class KeptSession:
    """What `async with endpoint.session()` enters: the kept session, left open on exit."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        return None


# Endpoints whose sessions were handed out (weakly: `EndpointConfig` is unhashable).
_endpoints: List[weakref.ref[EndpointConfig]] = []


def _sessions_of(endpoint: EndpointConfig) -> Dict[asyncio.AbstractEventLoop, aiohttp.ClientSession]:
    sessions = endpoint.__dict__.get(_SESSIONS_ATTRIBUTE)
    if sessions is None:
        sessions = {}
        setattr(endpoint, _SESSIONS_ATTRIBUTE, sessions)
        _endpoints[:] = [known for known in _endpoints if known() is not None]
        _endpoints.append(weakref.ref(endpoint))
    return sessions


def compact_json(body: Any) -> str:
    """JSON text for a request body: ujson, or `json.dumps` (aiohttp's default) for what ujson refuses."""
    try:
        return ujson.dumps(body, ensure_ascii=True, escape_forward_slashes=False)
    except (OverflowError, TypeError, ValueError):
        return json.dumps(body)


def new_session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    """A session configured as Rasa's `EndpointConfig.session` configures one, with kept connections."""
    auth = None
    if endpoint.basic_auth:
        auth = aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
    return aiohttp.ClientSession(
        headers=endpoint.headers,
        auth=auth,
        timeout=aiohttp.ClientTimeout(total=rasa_endpoints.DEFAULT_REQUEST_TIMEOUT),
        connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_S),
        json_serialize=compact_json,
    )


def session(endpoint: EndpointConfig) -> KeptSession:
    """`EndpointConfig.session` in place: this endpoint's open session for the running loop."""
    loop = asyncio.get_running_loop()
    sessions = _sessions_of(endpoint)
    for finished in [other for other in sessions if other.is_closed()]:
        del sessions[finished]  # a finished loop's session can no longer be used or closed
    kept = sessions.get(loop)
    if kept is None or kept.closed:
        kept = sessions[loop] = new_session(endpoint)
    return KeptSession(kept)


async def close_sessions(loop: Optional[asyncio.AbstractEventLoop] = None) -> int:
    """Closes every kept session of `loop` (default: the running one); how many were open."""
    loop = loop or asyncio.get_running_loop()
    closed = 0
    for known in _endpoints:
        endpoint = known()
        kept = _sessions_of(endpoint).pop(loop, None) if endpoint is not None else None
        if kept is not None and not kept.closed:
            await kept.close()
            closed += 1
    return closed


_stock_close_resources = rasa_run.close_resources


async def close_resources(app: Any, loop: asyncio.AbstractEventLoop) -> None:
    """Rasa's `close_resources`, then the kept sessions of the server's loop."""
    try:
        await _stock_close_resources(app, loop)
    finally:
        await close_sessions(loop)


def install() -> None:
    EndpointConfig.session = session  # type: ignore[assignment,method-assign]
    rasa_run.close_resources = close_resources  # type: ignore[assignment]
