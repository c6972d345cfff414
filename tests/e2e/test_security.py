"""The attacks and bad inputs of the security review, against the running servers."""

from __future__ import annotations

import json
import random
import time
import uuid
from typing import Any, List, Optional

import pytest
import requests
from sqlalchemy import text

from bot.channels.conversation_ids import web_conversation
from bot.knowledge import create_engine_for
from bot.replies import reply_text
from support.client import BackCareClient
from support.conversation import texts
from support.deletion import delete, race_deletion, stored_user_texts
from support.socketio_client import SocketClient
from support.telegram_updates import message as telegram_message
from support.telegram_updates import post as telegram_post

pytestmark = pytest.mark.e2e

TOO_LONG = reply_text("utter_message_too_long")
NO_TEXT = reply_text("utter_no_text")


def rest(
    backcare: BackCareClient,
    body: Any = None,
    raw: Optional[bytes] = None,
    content_type: str = "application/json",
):
    data = raw if raw is not None else json.dumps(body).encode()
    return requests.post(
        f"{backcare.settings.rasa_url}/webhooks/rest/webhook",
        data=data,
        headers={"Content-Type": content_type},
        timeout=60,
    )


def said(backcare: BackCareClient, sender: str) -> List[str]:
    """What `sender` said, as stored in the running BackCare's tracker store."""
    return stored_user_texts(backcare.configuration.tracker_store_url, sender)


def fresh() -> str:
    return f"sec-{uuid.uuid4().hex[:10]}"


# --- limits at the edge -----------------------------------------------------


@pytest.mark.parametrize("length", [2001, 100_000])
def test_a_message_over_the_limit_gets_a_kind_reply_and_is_not_stored(
    backcare: BackCareClient, length: int
) -> None:
    sender = fresh()
    started = time.monotonic()
    reply = rest(backcare, {"sender": sender, "message": "my back hurts " * (length // 13 + 1)})
    assert reply.status_code == 200 and texts(reply.json()) == TOO_LONG
    assert time.monotonic() - started < 5  # answered at the edge, not by the models
    assert said(backcare, sender) == []
    assert "not a doctor" in texts(backcare.say(sender, "hello"))  # the conversation goes on


def test_a_message_at_the_limit_is_read(backcare: BackCareClient) -> None:
    sender = fresh()
    message = ("my lower back hurts, about 6 out of 10. " * 60)[:2000]
    reply = texts(backcare.say(sender, message))
    assert reply and reply != TOO_LONG
    assert said(backcare, sender) == [message.strip()]


def test_oversized_bodies_and_metadata_are_refused(backcare: BackCareClient) -> None:
    sender = fresh()
    huge_body = rest(
        backcare, raw=b'{"sender": "' + sender.encode() + b'", "message": "' + b"x" * 10_000_000 + b'"}'
    )
    assert huge_body.status_code == 413
    big_metadata = rest(backcare, {"sender": sender, "message": "hi", "metadata": {"blob": "x" * 5000}})
    assert big_metadata.status_code == 413 and "metadata" in big_metadata.json()["error"]
    assert rest(backcare, {"sender": sender, "message": "hi", "metadata": "a string"}).status_code == 400
    assert said(backcare, sender) == []
    small = rest(backcare, {"sender": sender, "message": "hi", "metadata": {"source": "test"}})
    assert small.status_code == 200 and said(backcare, sender) == ["hi"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"sender": "x", "message": 7}, '"message" must be a string'),
        ({"sender": "x", "message": None}, '"message" must be a string'),
        ({"sender": "x", "message": ["hi"]}, '"message" must be a string'),
        ({"sender": "x", "message": {"text": "hi"}}, '"message" must be a string'),
        ({"sender": "x", "message": True}, '"message" must be a string'),
        ({"sender": "x"}, '"message" is missing'),
        ({"message": "hi"}, '"sender" must be a non-empty string'),
        ({"sender": None, "message": "hi"}, '"sender" must be a non-empty string'),
        ({"sender": 12345, "message": "hi"}, '"sender" must be a non-empty string'),
        ({"sender": "telegram:12345", "message": "hi"}, "must not start with"),
        ({"sender": "web:abc", "message": "hi"}, "must not start with"),
        (["hi"], "must be a JSON object"),
        ("hi", "must be a JSON object"),
    ],
)
def test_malformed_rest_requests_get_a_clear_400(backcare: BackCareClient, body: Any, reason: str) -> None:
    reply = rest(backcare, body)
    assert reply.status_code == 400 and reason in reply.json()["error"]


def test_bodies_that_are_not_json_are_refused(backcare: BackCareClient) -> None:
    sender = fresh()
    assert rest(backcare, raw=b"").status_code == 400
    assert rest(backcare, raw=b"{not json").status_code == 400
    # A page on another site can send text/plain without asking (no CORS
    # preflight): such a post must never reach a conversation.
    cross_site = rest(backcare, {"sender": sender, "message": "I have cancer"}, content_type="text/plain")
    assert cross_site.status_code == 415
    assert said(backcare, sender) == []
    assert "default" not in stored_conversations(backcare.configuration.tracker_store_url)


def stored_conversations(tracker_url: str) -> List[str]:
    engine = create_engine_for(tracker_url)
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(text("select distinct sender_id from events"))]


def test_empty_messages_get_a_kind_reply(backcare: BackCareClient) -> None:
    sender = fresh()
    for message in ("", "   ", "\u200b\u200b", "/"):
        assert texts(backcare.say(sender, message)) == NO_TEXT
    assert said(backcare, sender) == []


# --- the detector sees what the person wrote ---------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "I w\u200bet myself",
        "I we\u200dt my\u2060self",
        "I ｗｅｔ myself",  # full-width letters
        '/inform{"exercise": "cat camel"} I wet myself',
        "/ask_exercise I wet myself and my back hurts",
    ],
    ids=["zero-width-space", "joiners", "full-width", "typed-payload", "typed-intent"],
)
def test_hidden_or_disguised_warning_signs_are_still_caught(backcare: BackCareClient, message: str) -> None:
    reply = texts(backcare.say(fresh(), message))
    assert "emergency" in reply.lower(), reply
    assert "Step 1 of" not in reply


def test_our_own_button_payloads_still_work(backcare: BackCareClient) -> None:
    sender = fresh()
    assert "not a doctor" in texts(backcare.say(sender, "/greet"))
    backcare.say(sender, "/report_pain")
    assert backcare.slots(sender)["requested_slot"] == "pain_level"


# --- channels cannot reach each other's conversations ------------------------


def test_rest_sender_and_telegram_chat_with_one_number_are_two_conversations(
    backcare: BackCareClient,
) -> None:

    number = random.randint(10**8, 10**9)
    backcare.say(str(number), "my back hurts 3/10")
    assert telegram_post(backcare, telegram_message(number, text="my back hurts 9/10")).status_code == 200
    assert backcare.slots(str(number))["pain_level"] == 3
    assert backcare.slots(f"telegram:{number}")["pain_level"] == 9


def test_web_sessions_are_issued_by_the_server_and_cannot_be_taken_over(backcare: BackCareClient) -> None:
    victim, attacker = (
        SocketClient(backcare.settings.rasa_url, backcare.configuration.page_url()),
        SocketClient(backcare.settings.rasa_url, backcare.configuration.page_url()),
    )
    try:
        made_up = uuid.uuid4().hex
        victim_session = victim.request_session(made_up)
        assert victim_session != made_up and len(victim_session.split(".")[0]) == 32
        assert "How long" in victim.say("my back hurts 6/10")

        # Guessing ids of the old kind, or reusing the conversation id, gets a new session.
        for guess in (
            made_up,
            victim_session.split(".")[0],
            web_conversation(victim_session),
            victim_session + "0",
        ):
            assert attacker.request_session(guess) != victim_session
        # A message that names the victim's session is filed under the sender's own.
        victim_count = len(victim.received)
        attacker.say("yes I have one of these", session_id=victim_session)
        time.sleep(0.5)
        assert len(victim.received) == victim_count
        assert backcare.slots(web_conversation(victim_session))["pain_level"] == 6
        assert not [t for t in said(backcare, web_conversation(victim_session)) if "one of these" in t]

        # The victim's own reload resumes the same conversation.
        assert victim.request_session(victim_session) == victim_session
    finally:
        victim.close()
        attacker.close()


@pytest.mark.parametrize("session_id", [{"a": 1}, ["x"], 42, None, True])
def test_odd_session_ids_get_a_fresh_session(backcare: BackCareClient, session_id: Any) -> None:
    client = SocketClient(backcare.settings.rasa_url, backcare.configuration.page_url())
    try:
        assert len(client.request_session(session_id).split(".")[0]) == 32
    finally:
        client.close()


@pytest.mark.parametrize("message", [None, 42, ["hi"], {"text": "hi"}, "", "x" * 2001])
def test_odd_socketio_messages_get_a_kind_reply(backcare: BackCareClient, message: Any) -> None:
    client = SocketClient(backcare.settings.rasa_url, backcare.configuration.page_url())
    try:
        client.request_session()
        assert client.say(message) in (NO_TEXT, TOO_LONG)
        assert "not a doctor" in client.say("hello")
    finally:
        client.close()


def test_a_message_before_any_session_request_starts_a_session(backcare: BackCareClient) -> None:
    client = SocketClient(backcare.settings.rasa_url, backcare.configuration.page_url())
    try:
        assert "not a doctor" in client.say("hello")
        assert len(client.sessions) == 1
    finally:
        client.close()


# --- deletion holds ----------------------------------------------------------


def test_ids_that_need_url_encoding_are_deleted(backcare: BackCareClient) -> None:
    sender = f"sec space é/{uuid.uuid4().hex[:6]}"
    backcare.say(sender, "hello")
    reply = delete(backcare, sender)
    assert (
        reply.status_code == 200 and reply.json()["conversation_id"] == sender and reply.json()["events"] > 0
    )
    assert said(backcare, sender) == []


def test_a_deletion_during_a_turn_is_never_undone_on_sqlite(backcare: BackCareClient) -> None:
    assert race_deletion(backcare, backcare, 100, backcare.configuration.tracker_store_url) == []


# --- logs ----------------------------------------------------------------------


def test_logs_hold_no_health_data(backcare: BackCareClient) -> None:

    markers = ["zanzibarpain", "quokkacancer", "marmotweight", "ocelotmeta"]
    sender = fresh()
    backcare.say(sender, f"my back hurts {markers[0]}, 7/10 since yesterday")
    backcare.say(sender, f"/inform{{broken {markers[1]}")
    backcare.say(sender, f'/report_pain{{"pain_level": "{markers[2]}"}}')
    rest(backcare, {"sender": sender, "message": "hi", "metadata": {"note": markers[3]}})
    backcare.say(sender, "I have cancer and lost weight " + markers[1])
    telegram_post(backcare, telegram_message(random.randint(10**8, 10**9), text=f"back pain {markers[2]}"))
    client = SocketClient(backcare.settings.rasa_url, backcare.configuration.page_url())
    try:
        client.say(f"my back {markers[0]} hurts")
    finally:
        client.close()
    backcare.tracker(sender)  # a URL with ?token=
    time.sleep(1)  # let the servers flush their logs
    assert backcare.log_file is not None
    log = backcare.log_file.read_text(errors="replace")
    assert "rasa" in log.lower()  # the logs are there at all
    leaked = [marker for marker in [*markers, backcare.settings.api_token] if marker in log]
    assert leaked == [], f"found in the server logs: {leaked}"
