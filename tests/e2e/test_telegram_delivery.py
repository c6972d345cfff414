"""Telegram errors never cost a turn; an update sent twice is answered once.

The Bot API stand-in fails the way Telegram does (429 with retry_after, 500, a
dropped connection); the conversation in Rasa's tracker store shows what was kept.
"""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from bot.channels.conversation_ids import telegram_conversation
from support.client import BackCareClient
from support.telegram_standin import RecordedCall
from support.telegram_updates import chat, message, post

pytestmark = pytest.mark.e2e


def user_texts(backcare: BackCareClient, chat_id: int) -> List[str]:
    events = backcare.tracker(telegram_conversation(str(chat_id)))["events"]
    return [event["text"] for event in events if event["event"] == "user"]


def messages_to(calls: List[RecordedCall], chat_id: int) -> List[RecordedCall]:
    return [c for c in calls if c.method == "sendMessage" and str(c.data["chat_id"]) == str(chat_id)]


def delivered_texts(calls: List[RecordedCall], chat_id: int) -> List[str]:
    return [c.data["text"] for c in messages_to(calls, chat_id) if c.status == 200]


@pytest.mark.parametrize("failure", ["429", "500", "drop"])
def test_a_failed_send_is_retried_and_the_turn_is_kept(backcare: BackCareClient, failure: str) -> None:
    chat_id = chat()
    backcare.telegram_api.take()
    backcare.telegram_api.fail_next(failure)
    assert post(backcare, message(chat_id, text="hello")).status_code == 200
    calls = messages_to(backcare.telegram_api.take(), chat_id)
    assert calls[0].status != 200  # the first attempt failed ...
    assert calls[1].status == 200 and calls[1].data == calls[0].data  # ... and was sent again, once
    assert any("not a doctor" in text for text in delivered_texts(calls, chat_id))
    assert user_texts(backcare, chat_id) == ["hello"]


def test_telegram_down_loses_the_replies_not_the_turn(backcare: BackCareClient) -> None:
    chat_id = chat()
    post(backcare, message(chat_id, text="hi"))
    backcare.telegram_api.take()
    backcare.telegram_api.fail_next("500", "500", "500", "500")  # every attempt of one call
    assert post(backcare, message(chat_id, text="my lower back hurts, about 6 out of 10")).status_code == 200
    failed = messages_to(backcare.telegram_api.take(), chat_id)
    assert [call.status for call in failed] == [500, 500, 500, 500]  # bounded: four attempts, then no more
    # Rasa saved the turn: the person's message and what it learnt are kept ...
    assert user_texts(backcare, chat_id)[-1] == "my lower back hurts, about 6 out of 10"
    assert backcare.slots(telegram_conversation(str(chat_id)))["pain_level"] == 6
    # ... the log says what happened without the text ...
    assert backcare.log_file is not None
    log = backcare.log_file.read_text(errors="replace")
    gave_up = [line for line in log.splitlines() if "Telegram delivery gave up" in line]
    assert gave_up and not any("6 out of 10" in line or str(chat_id) in line for line in gave_up)
    # ... and the conversation goes on where it was once Telegram is back.
    assert post(backcare, message(chat_id, text="since yesterday")).status_code == 200
    assert any("leg" in text for text in delivered_texts(backcare.telegram_api.take(), chat_id))


def test_an_update_sent_twice_is_answered_once(backcare: BackCareClient) -> None:
    chat_id = chat()
    update: Dict[str, Any] = message(chat_id, text="hello there")
    backcare.telegram_api.take()
    first = post(backcare, update)
    again = post(backcare, update)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == {"status": "duplicate"}
    assert user_texts(backcare, chat_id) == ["hello there"]
    texts = delivered_texts(backcare.telegram_api.take(), chat_id)
    assert texts and len(texts) == len(set(texts))  # the greeting once, not twice
