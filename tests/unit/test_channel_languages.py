"""The channels carry the person's app or browser language, and answer at the edge in it."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

import pytest

from bot.channels.socketio_output import LanguageTaggedSocketIOOutput, response_language
from bot.channels.telegram import read_update
from bot.replies import hinted_language, reply_text


@pytest.mark.parametrize("language", [None, "en", "en-GB", "fr", "xx"])
def test_edge_replies_are_english_without_a_german_hint(language: Any) -> None:
    assert reply_text("utter_message_too_long", language) == reply_text("utter_message_too_long")
    assert "too long" in reply_text("utter_message_too_long", language)


@pytest.mark.parametrize("language", ["de", "de-DE", "de_AT", "DE"])
def test_edge_replies_follow_a_german_hint(language: str) -> None:
    german = reply_text("utter_technical_trouble", language)
    assert german != reply_text("utter_technical_trouble") and "112" in german


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"language": "de-DE"}, "de"),
        ({"language": "en"}, "en"),
        ({"language": "fr"}, None),
        (None, None),
        ([], None),
    ],
)
def test_the_hint_is_read_from_the_metadata(metadata: Any, expected: Any) -> None:
    assert hinted_language(metadata) == expected


def test_telegram_updates_carry_the_app_language() -> None:
    sender = {"id": 7, "is_bot": False, "first_name": "A", "language_code": "de"}
    text = read_update(
        {"update_id": 1, "message": {"message_id": 1, "chat": {"id": 7}, "from": sender, "text": "hi"}}
    )
    press = read_update({"update_id": 2, "callback_query": {"id": "q", "from": sender, "data": "/deny"}})
    unknown = read_update({"update_id": 3, "message": {"message_id": 1, "chat": {"id": 7}, "text": "hi"}})
    odd = read_update(
        {"update_id": 4, "message": {"chat": {"id": 7}, "from": {"language_code": 42}, "text": "x"}}
    )
    assert (text.language, press.language, unknown.language, odd.language) == ("de", "de", None, None)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ({"text": "Hallo", "condition": [{"type": "slot", "name": "language", "value": "de"}]}, "de"),
        ({"text": "Hi", "condition": [{"type": "slot", "name": "screening_kind", "value": "single"}]}, "en"),
        ({"text": "Hi"}, "en"),
    ],
)
def test_a_messages_language_is_its_variations_condition(message: Dict[str, Any], expected: str) -> None:
    assert response_language(message) == expected


class RecordingServer:
    def __init__(self) -> None:
        self.emitted: List[Dict[str, Any]] = []

    async def emit(self, event: str, data: Dict[str, Any], room: str) -> None:
        self.emitted.append(data)


def test_the_web_page_is_told_the_language_of_each_text() -> None:
    server = RecordingServer()
    output = LanguageTaggedSocketIOOutput(server, "bot_uttered")  # type: ignore[arg-type]
    german = {"text": "Hallo", "condition": [{"type": "slot", "name": "language", "value": "de"}]}
    asyncio.run(output.send_response("room", german))
    asyncio.run(output.send_response("room", {"text": "Hello"}))
    asyncio.run(output.send_response("room", {"image": "http://127.0.0.1/x.png"}))
    assert server.emitted[0] == {"text": "Hallo", "language": "de"}
    assert server.emitted[1] == {"text": "Hello", "language": "en"}
    assert "language" not in server.emitted[2]
