"""Random JSON shapes against the REST and socket.io channels (Hypothesis).

Whatever arrives, the answer is a clear status (200 with replies, 400, 413,
415), never a 500 and never silence, and the server keeps serving.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.client import BackCareClient
from support.conversation import texts
from support.socketio_client import SocketClient

pytestmark = pytest.mark.e2e

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
# Mostly the fields the channel reads, with any value, plus stray keys.
rest_bodies = json_values | st.fixed_dictionaries(
    {},
    optional={
        "sender": json_values | st.text(min_size=1, max_size=30),
        "message": json_values | st.text(max_size=200),
        "metadata": json_values,
        "input_channel": json_values,
    },
)


@FUZZ
@given(body=rest_bodies)
def test_rest_answers_any_json_clearly(backcare: BackCareClient, body: Any) -> None:
    reply = requests.post(
        f"{backcare.settings.rasa_url}/webhooks/rest/webhook",
        data=json.dumps(body),
        headers={"Content-Type": "application/json"},
        timeout=60,
    )
    assert reply.status_code in (200, 400, 413), (reply.status_code, reply.text[:200])
    answer = reply.json()
    if reply.status_code != 200:
        assert answer["error"]
        return
    assert isinstance(answer, list) and texts(answer), f"silence for {body!r}"


@pytest.fixture(scope="module")
def socket_client(backcare: BackCareClient):
    client = SocketClient(backcare.settings.rasa_url, backcare.configuration.page_url())
    client.request_session()
    yield client
    client.close()


@FUZZ
@given(data=json_values, session_data=json_values)
def test_socketio_answers_any_payload(socket_client: SocketClient, data: Any, session_data: Any) -> None:
    count = len(socket_client.sessions)
    socket_client.client.emit("session_request", session_data)
    socket_client.wait(lambda: len(socket_client.sessions) > count)
    count = len(socket_client.received)
    socket_client.client.emit("user_uttered", data)
    socket_client.wait(lambda: len(socket_client.received) > count)


def test_the_servers_still_serve_after_the_fuzzing(backcare: BackCareClient) -> None:
    assert "not a doctor" in texts(backcare.say(f"after-fuzz-{uuid.uuid4().hex[:6]}", "hello"))
