"""The private action server (bot/action_server.py), started for real and called over HTTP.

One server per module: `.venv/bin/python -m bot.action_server --port <free>`
with BACKCARE_ACTION_TOKEN set. No mocks: the answers come from rasa_sdk's app
and the project's own `actions/` package (`action_answer_faq` needs no database
when no exercise is under way).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

from support.ports import free_port

pytestmark = pytest.mark.e2e  # starts the action server

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
HEADER = "X-BackCare-Action-Token"
TOKEN = "test-" + secrets.token_urlsafe(24)
MARKER = "zebrasciatica"  # stands for health text that must never come back
STARTUP_SECONDS = 90


@dataclass
class Server:
    url: str
    port: int
    log: Path


def request(
    url: str,
    body: Optional[bytes] = None,
    headers: Optional[Dict[str, str]] = None,
    method: Optional[str] = None,
) -> Tuple[int, bytes]:
    """Status and body of one HTTP call; error statuses are answers, not exceptions."""
    call = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(call, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for_health(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"action server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if request(f"{url}/health")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"action server not healthy after {STARTUP_SECONDS}s:\n{log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port = free_port()
    log = tmp_path_factory.mktemp("action_server") / "server.log"
    env = dict(os.environ, BACKCARE_ACTION_TOKEN=TOKEN, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    env["SANIC_REQUEST_MAX_SIZE"] = "262144"  # the public body limit, as bot.servers gives every process
    env.pop("BACKCARE_ACTIONS_INTERFACE", None)  # the default interface is under test
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(PYTHON), "-m", "bot.action_server", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url, process, log)
        yield Server(url=url, port=port, log=log)
    finally:
        stop(process)


def tracker(slots: Dict[str, Any], text: str) -> Dict[str, Any]:
    """A tracker as Rasa 3.6 sends it, after a FAQ question about heat or cold."""
    latest = {
        "text": text,
        "intent": {"name": "faq", "confidence": 0.98},
        "entities": [],
        "response_selector": {"faq": {"response": {"intent_response_key": "faq/heat_or_cold"}}},
    }
    return {
        "sender_id": "test-user",
        "slots": slots,
        "latest_message": latest,
        "events": [{"event": "user", "text": text, "parse_data": latest}],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }


def action_call(action: str, slots: Dict[str, Any], text: str = "Is heat or cold better?") -> Dict[str, Any]:
    return {
        "next_action": action,
        "sender_id": "test-user",
        "tracker": tracker(slots, text),
        "domain": {"responses": {"utter_faq/heat_or_cold": [{"text": "Heat often helps. Try it."}]}},
        "version": "3.6.2",
    }


def post(
    server: Server, body: bytes, content_type: str = "application/json", token: Optional[str] = TOKEN
) -> Tuple[int, bytes]:
    headers = {"Content-Type": content_type}
    if token is not None:
        headers[HEADER] = token
    return request(f"{server.url}/webhook", body, headers, method="POST")


def post_json(server: Server, payload: Any) -> Tuple[int, bytes]:
    return post(server, json.dumps(payload).encode("utf-8"))


def non_loopback_addresses() -> List[str]:
    """This machine's addresses other than loopback (from the host name and `hostname -I`)."""
    found: List[str] = []
    try:
        found.append(socket.gethostbyname(socket.gethostname()))
    except OSError:
        pass
    try:
        found += subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=10).stdout.split()
    except (OSError, subprocess.SubprocessError):
        pass
    return [a for a in dict.fromkeys(found) if not a.startswith("127.") and a != "::1"]


# --------------------------------------------------------------------------- #


def test_health_needs_no_token(server: Server) -> None:
    status, body = request(f"{server.url}/health")
    assert status == 200 and json.loads(body) == {"status": "ok"}


def test_webhook_without_token_is_unauthorized(server: Server) -> None:
    status, body = post(server, json.dumps(action_call("action_answer_faq", {})).encode(), token=None)
    assert status == 401
    assert json.loads(body) == {"error": "unauthorized"}


def test_wrong_token_is_unauthorized(server: Server) -> None:
    status, body = post(server, json.dumps(action_call("action_answer_faq", {})).encode(), token=TOKEN + "x")
    assert status == 401
    assert json.loads(body) == {"error": "unauthorized"}


def test_action_list_needs_the_token(server: Server) -> None:
    assert request(f"{server.url}/actions")[0] == 401
    status, body = request(f"{server.url}/actions", headers={HEADER: TOKEN})
    assert status == 200
    assert {"name": "action_answer_faq"} in json.loads(body)


def test_text_plain_body_is_refused(server: Server) -> None:
    payload = json.dumps(action_call("action_answer_faq", {})).encode()
    status, body = post(server, payload, content_type="text/plain")
    assert status == 415
    assert json.loads(body) == {"error": "send JSON"}


def test_json_array_body_is_refused_without_echo(server: Server) -> None:
    status, body = post(server, json.dumps([MARKER]).encode())
    assert status == 400
    assert "error" in json.loads(body)
    assert MARKER.encode() not in body


def test_valid_request_runs_the_action(server: Server) -> None:
    status, body = post(
        server,
        json.dumps(action_call("action_answer_faq", {})).encode(),
        content_type="application/json; charset=utf-8",
    )
    assert status == 200, body
    answer = json.loads(body)
    assert answer["events"] == [
        {"event": "slot", "timestamp": None, "name": "faq_answered", "value": ["faq/heat_or_cold"]}
    ]
    assert [message["response"] for message in answer["responses"]] == ["utter_faq/heat_or_cold"]


def test_a_long_conversation_is_not_refused_for_its_size(server: Server) -> None:
    """Rasa sends the whole conversation with each call: about 1 MB after 300 turns."""
    call = action_call("action_answer_faq", {})
    event = call["tracker"]["events"][0]
    call["tracker"]["events"] = [event] * 4000
    body = json.dumps(call).encode("utf-8")
    assert len(body) > 1_000_000
    status, answer = post(server, body)
    assert status == 200, answer[:200]
    assert json.loads(answer)["responses"]


def test_failing_action_does_not_echo(server: Server) -> None:
    # An unknown triage stage makes the action raise ValueError("'<marker>' is not a valid Triage").
    call = action_call("action_answer_faq", {"triage": MARKER}, text=f"my {MARKER} is worse")
    status, body = post_json(server, call)
    assert status == 500
    assert json.loads(body) == {"error": "internal error"}
    assert MARKER.encode() not in body
    log = server.log.read_text()
    assert "ValueError" in log
    assert MARKER not in log


def test_unknown_action_does_not_echo(server: Server) -> None:
    status, body = post_json(server, action_call(f"action_{MARKER}", {}))
    assert status == 404
    assert json.loads(body) == {"error": "action not found"}
    assert MARKER not in server.log.read_text()


def test_not_reachable_on_other_addresses(server: Server) -> None:
    addresses = non_loopback_addresses()
    if not addresses:
        reason = "this machine has no non-loopback address to try"
        print(reason)
        pytest.skip(reason)
    for address in addresses:
        try:
            with socket.create_connection((address, server.port), timeout=3):
                pass
        except OSError:
            continue
        pytest.fail(f"the action server accepted a connection on {address}:{server.port}")
