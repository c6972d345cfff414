"""Requests to an endpoint (the action server) reuse one session and its connections.

A real aiohttp server on 127.0.0.1 answers and records the client port of
every request: one port means one connection.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Callable, Dict, List, Tuple

import pytest
from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from bot import paths
from bot.rasa_overrides import endpoint_sessions
from support.rasa_cli_check import assert_installed_by_rasa_cli

Seen = List[Dict[str, Any]]


async def _serve(seen: Seen, close_after: bool = False, port: int = 0) -> Tuple[web.AppRunner, str]:
    async def answer(request: web.Request) -> web.Response:
        peer = request.transport.get_extra_info("peername") if request.transport else None
        seen.append({"port": peer[1] if peer else None, "headers": dict(request.headers)})
        response = web.json_response(
            {"events": [], "responses": [{"text": "ok"}], "body": await request.json()}
        )
        if close_after:
            response.force_close()
        return response

    app = web.Application()
    app.router.add_post("/webhook", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    bound = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{bound}/webhook"


def _run(scenario: Callable[[str, Seen], Any], close_after: bool = False) -> Tuple[Any, Seen]:
    seen: Seen = []

    async def main() -> Any:
        runner, url = await _serve(seen, close_after)
        try:
            return await scenario(url, seen)
        finally:
            await endpoint_sessions.close_sessions()
            await runner.cleanup()

    return asyncio.run(main()), seen


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(EndpointConfig, "session", endpoint_sessions.session)


async def _three_requests(url: str, _seen: Seen) -> List[Any]:
    endpoint = EndpointConfig(url, headers={"X-BackCare-Action-Token": "secret"})
    return [await endpoint.request(json={"turn": turn}, method="post") for turn in range(3)]


def test_rasas_own_session_opens_a_connection_per_request() -> None:
    """The cost this override removes: stock Rasa connects anew for every action call."""
    _, seen = _run(_three_requests)
    assert len({request["port"] for request in seen}) == 3


def test_requests_share_one_connection_and_answer_as_before(kept: None) -> None:
    answers, seen = _run(_three_requests)
    assert [answer["body"] for answer in answers] == [{"turn": 0}, {"turn": 1}, {"turn": 2}]
    assert len(seen) == 3
    assert len({request["port"] for request in seen}) == 1
    assert all(request["headers"]["X-BackCare-Action-Token"] == "secret" for request in seen)
    assert all(request["headers"]["Content-Type"] == "application/json" for request in seen)


def test_basic_auth_as_rasa_sends_it(kept: None) -> None:
    async def scenario(url: str, seen: Seen) -> None:
        endpoint = EndpointConfig(url, basic_auth={"username": "u", "password": "p"})
        await endpoint.request(json={}, method="post")

    _, seen = _run(scenario)
    assert seen[0]["headers"]["Authorization"] == "Basic dTpw"  # base64 of "u:p"


def test_an_idle_connection_is_closed_before_the_servers_keep_alive_ends(
    kept: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(endpoint_sessions, "KEEPALIVE_S", 0.2)

    async def scenario(url: str, seen: Seen) -> List[Any]:
        endpoint = EndpointConfig(url)
        first = await endpoint.request(json={"n": 1}, method="post")
        await asyncio.sleep(0.6)
        second = await endpoint.request(json={"n": 2}, method="post")
        return [first["body"], second["body"]]

    bodies, seen = _run(scenario)
    assert bodies == [{"n": 1}, {"n": 2}]
    assert seen[0]["port"] != seen[1]["port"]


def test_a_connection_the_server_closed_is_not_reused(kept: None) -> None:
    answers, seen = _run(_three_requests, close_after=True)
    assert [answer["body"]["turn"] for answer in answers] == [0, 1, 2]
    assert len({request["port"] for request in seen}) == 3


def test_an_action_server_restart_between_turns_costs_no_request(kept: None) -> None:
    """The kept connection dies with the old server; the next request connects to the new one."""
    seen: Seen = []

    async def main() -> List[Any]:
        runner, url = await _serve(seen)
        endpoint = EndpointConfig(url)
        try:
            first = await endpoint.request(json={"n": 1}, method="post")
            await runner.cleanup()  # the action server stops, and its connections with it
            runner, _ = await _serve(seen, port=int(url.split(":")[2].split("/")[0]))
            second = await endpoint.request(json={"n": 2}, method="post")
            return [first["body"], second["body"]]
        finally:
            await endpoint_sessions.close_sessions()
            await runner.cleanup()

    assert asyncio.run(main()) == [{"n": 1}, {"n": 2}]
    assert seen[0]["port"] != seen[1]["port"]


def test_closing_a_loops_sessions(kept: None) -> None:
    async def scenario(url: str, _seen: Seen) -> Tuple[bool, int, bool]:
        endpoint = EndpointConfig(url)
        async with endpoint.session() as session:
            pass
        still_open = not session.closed
        closed = await endpoint_sessions.close_sessions()
        async with endpoint.session() as fresh:
            pass
        return still_open and session.closed, closed, fresh is not session

    (closed_on_request, count, fresh), _ = _run(scenario)
    assert closed_on_request and count == 1 and fresh


def test_each_event_loop_gets_its_own_session(kept: None) -> None:
    """A session belongs to its loop: after one `asyncio.run` ends, the next gets a new one."""
    endpoint = EndpointConfig("http://127.0.0.1:9/webhook")
    seen: Seen = []

    async def one_loop() -> Any:
        runner, url = await _serve(seen)
        endpoint.url = url
        try:
            return (await endpoint.request(json={"n": len(seen)}, method="post"))["body"]
        finally:
            await runner.cleanup()  # the session stays open, as when a loop ends without Rasa's shutdown

    assert asyncio.run(one_loop()) == {"n": 0}
    assert asyncio.run(one_loop()) == {"n": 1}  # the first loop's session would fail here
    sessions = endpoint.__dict__["_backcare_sessions"]
    assert len(sessions) == 1 and all(loop.is_closed() for loop in sessions)


def test_installed_by_the_command_that_starts_the_rasa_server() -> None:
    """In a fresh interpreter, as the Rasa server starts: `bot.rasa_cli` installs it before Rasa runs."""
    assert_installed_by_rasa_cli(
        "from rasa.core import run as rasa_run\n"
        "from rasa.utils.endpoints import EndpointConfig\n"
        "from bot.rasa_overrides import endpoint_sessions",
        "EndpointConfig.session is not endpoint_sessions.session",
        "EndpointConfig.session is endpoint_sessions.session"
        " and rasa_run.close_resources is endpoint_sessions.close_resources",
    )


def test_a_turns_request_body_reads_back_as_rasas_json_writes_it() -> None:
    """What the action server parses is what it parsed from Rasa's own `json.dumps` text."""
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(paths.DOMAIN_FILE))
    parse_data = {
        "intent": {"name": "report_pain", "confidence": 0.9876543210123456},
        "entities": [
            {"entity": "pain_level", "value": "7", "start": 12, "end": 13, "confidence_entity": 1 / 3}
        ],
        "intent_ranking": [
            {"name": "report_pain", "confidence": 0.9876543210123456},
            {"name": "faq", "confidence": 5e-324},
        ],
        "text": 'Rücken tut weh, 7/10 \u2028 "seit" gestern',
    }
    events = [
        ActionExecuted("action_listen", timestamp=1764580000.123456),
        UserUttered(
            parse_data["text"],
            parse_data["intent"],
            parse_data["entities"],
            parse_data,
            timestamp=1764580001.5,
        ),
        SlotSet("pain_level", 7.0),
        SlotSet("language", "de"),
        BotUttered(
            "Wie stark? 0/10 bis 10/10 – ü", {"buttons": [{"title": "7/10", "payload": '/inform{"n": 7}'}]}
        ),
    ]
    tracker = DialogueStateTracker.from_events("sender/ü", events, slots=domain.slots)
    body = RemoteAction("action_triage", EndpointConfig("http://127.0.0.1:9/webhook"))._action_call_format(
        tracker, domain
    )
    assert json.loads(endpoint_sessions.compact_json(body)) == json.loads(json.dumps(body))
    assert len(endpoint_sessions.compact_json(body)) < len(json.dumps(body))  # no spaces after separators


def test_what_json_refuses_is_refused_as_before() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        endpoint_sessions.compact_json({"value": object()})
