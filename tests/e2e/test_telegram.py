"""The Telegram channel over real HTTP: Rasa's webhook in, a Bot API stand-in out."""

from __future__ import annotations

import json
from typing import List, Optional

import pytest
import requests

from bot.channels.conversation_ids import telegram_conversation
from bot.channels.telegram import EDITED_REPLY, SECRET_HEADER, TEXT_ONLY_REPLY
from bot.replies import reply_text
from support.client import BackCareClient
from support.telegram_standin import TELEGRAM_TEST_SECRET, TELEGRAM_TEST_TOKEN
from support.telegram_updates import chat, message, post, update_id

pytestmark = pytest.mark.e2e


def sent_texts(backcare: BackCareClient, chat_id: int) -> List[str]:
    return [
        call.data["text"]
        for call in backcare.telegram_api.take()
        if call.method == "sendMessage" and str(call.data["chat_id"]) == str(chat_id)
    ]


def test_text_message_gets_the_greeting(backcare: BackCareClient) -> None:
    chat_id = chat()
    backcare.telegram_api.take()
    assert post(backcare, message(chat_id, text="hello")).status_code == 200
    calls = backcare.telegram_api.take()
    assert {call.token for call in calls} == {TELEGRAM_TEST_TOKEN}
    assert not [call for call in calls if call.method == "getMe"]  # no Bot API call per update
    texts = [call.data["text"] for call in calls if call.method == "sendMessage"]
    assert any("not a doctor" in text for text in texts)
    assert all(str(call.data["chat_id"]) == str(chat_id) for call in calls)


def test_buttons_become_an_inline_keyboard_and_a_press_is_answered(backcare: BackCareClient) -> None:
    chat_id = chat()
    post(backcare, message(chat_id, text="my lower back hurts"))
    calls = [c for c in backcare.telegram_api.take() if c.method == "sendMessage"]
    keyboards = [c.data["reply_markup"] for c in calls if "reply_markup" in c.data]
    assert keyboards, "the pain question should come with buttons"
    keyboard = json.loads(keyboards[-1])
    buttons = [button for row in keyboard["inline_keyboard"] for button in row]
    assert {"text": "8 - severe", "callback_data": "8"} in buttons

    press = {
        "update_id": update_id(),
        "callback_query": {
            "id": "cbq-42",
            "from": {"id": chat_id, "is_bot": False, "first_name": "Test"},
            "message": {"message_id": 1, "date": 0, "chat": {"id": chat_id, "type": "private"}},
            "chat_instance": "x",
            "data": "8",
        },
    }
    assert post(backcare, press).status_code == 200
    calls = backcare.telegram_api.take()
    assert [c.data for c in calls if c.method == "answerCallbackQuery"] == [{"callback_query_id": "cbq-42"}]
    assert any("How long" in c.data.get("text", "") for c in calls if c.method == "sendMessage")
    assert backcare.slots(telegram_conversation(str(chat_id)))["pain_level"] == 8


@pytest.mark.parametrize(
    ("content", "reply"),
    [
        (
            {
                "sticker": {
                    "file_id": "s",
                    "file_unique_id": "s",
                    "width": 1,
                    "height": 1,
                    "is_animated": False,
                }
            },
            TEXT_ONLY_REPLY,
        ),
        ({"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]}, TEXT_ONLY_REPLY),
        ({"voice": {"file_id": "v", "file_unique_id": "v", "duration": 2}}, TEXT_ONLY_REPLY),
        ({"document": {"file_id": "d", "file_unique_id": "d"}}, TEXT_ONLY_REPLY),
    ],
    ids=["sticker", "photo", "voice", "document"],
)
def test_non_text_messages_get_a_kind_reply(backcare: BackCareClient, content, reply) -> None:
    chat_id = chat()
    assert post(backcare, message(chat_id, **content)).status_code == 200
    assert sent_texts(backcare, chat_id) == [reply_text(reply)]


def test_edited_message_gets_a_kind_reply(backcare: BackCareClient) -> None:
    chat_id = chat()
    update = message(chat_id, text="8/10")
    update["edited_message"] = update.pop("message")
    assert post(backcare, update).status_code == 200
    assert sent_texts(backcare, chat_id) == [reply_text(EDITED_REPLY)]


def test_unknown_update_kind_is_acknowledged_quietly(backcare: BackCareClient) -> None:
    backcare.telegram_api.take()
    update = {"update_id": update_id(), "my_chat_member": {"chat": {"id": 1}, "date": 0}}
    assert post(backcare, update).status_code == 200
    assert backcare.telegram_api.take() == []


def test_start_begins_a_fresh_conversation(backcare: BackCareClient) -> None:
    chat_id = chat()
    post(backcare, message(chat_id, text="my back hurts, 7/10"))
    assert backcare.slots(telegram_conversation(str(chat_id)))["pain_level"] == 7
    backcare.telegram_api.take()
    assert post(backcare, message(chat_id, text="/start")).status_code == 200
    assert any("not a doctor" in text for text in sent_texts(backcare, chat_id))
    slots = backcare.slots(telegram_conversation(str(chat_id)))
    assert slots["pain_level"] is None and slots["triage"] is None


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", TELEGRAM_TEST_SECRET + "x"])
def test_forged_requests_are_refused(backcare: BackCareClient, secret: Optional[str]) -> None:
    chat_id = chat()
    backcare.telegram_api.take()
    assert post(backcare, message(chat_id, text="hello"), secret=secret).status_code == 403
    assert backcare.telegram_api.take() == []
    tracker = requests.get(
        f"{backcare.settings.rasa_url}/conversations/telegram:{chat_id}/tracker",
        params={"token": backcare.settings.api_token},
        timeout=10,
    ).json()
    assert not [event for event in tracker["events"] if event["event"] == "user"]


def test_malformed_body_is_rejected(backcare: BackCareClient) -> None:
    response = requests.post(
        f"{backcare.settings.rasa_url}/webhooks/telegram/webhook",
        data="{not json",
        headers={SECRET_HEADER: TELEGRAM_TEST_SECRET, "Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 400


def test_long_and_disguised_texts_are_handled_at_the_edge(backcare: BackCareClient) -> None:
    chat_id = chat()
    backcare.telegram_api.take()
    assert post(backcare, message(chat_id, text="my back hurts " * 300)).status_code == 200
    assert sent_texts(backcare, chat_id) == [reply_text("utter_message_too_long")]
    assert not [e for e in backcare.tracker(f"telegram:{chat_id}")["events"] if e["event"] == "user"]
    post(backcare, message(chat_id, text="my back hurts and I w\u200bet myself"))
    assert any("emergency" in text.lower() for text in sent_texts(backcare, chat_id))
