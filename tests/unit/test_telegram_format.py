"""Formatting replies for the Telegram Bot API."""

from __future__ import annotations

from bot.channels.telegram import EDITED_REPLY, TEXT_ONLY_REPLY, read_update
from bot.channels.telegram_format import (
    MAX_MESSAGE_LENGTH,
    callback_data,
    inline_keyboard,
    split_message,
    to_html,
)


def test_long_text_is_split_under_the_limit_without_losing_words() -> None:
    text = "\n\n".join(f"Paragraph {n}: " + "word " * 300 for n in range(10))
    parts = split_message(text)
    assert len(parts) > 1
    assert all(len(part) <= MAX_MESSAGE_LENGTH for part in parts)
    assert " ".join(" ".join(parts).split()) == " ".join(text.split())


def test_unbroken_text_is_still_split() -> None:
    parts = split_message("x" * 10000)
    assert [len(p) for p in parts] == [4096, 4096, 1808]


def test_markdown_becomes_safe_html() -> None:
    assert to_html("**Pelvic tilt** <script>") == "<b>Pelvic tilt</b> &lt;script&gt;"
    assert to_html("a * b * c") == "a * b * c"


def test_buttons_keep_short_payloads_and_fall_back_to_titles() -> None:
    assert callback_data({"title": "Next", "payload": "/next_step"}) == "/next_step"
    long_payload = {"title": "Yes", "payload": '/inform{"text": "' + "x" * 80 + '"}'}
    assert callback_data(long_payload) == "Yes"
    keyboard = inline_keyboard([{"title": str(n), "payload": str(n)} for n in range(3)])
    assert [len(row) for row in keyboard["inline_keyboard"]] == [2, 1]


def test_update_kinds() -> None:
    chat = {"chat": {"id": 7}}
    assert read_update({"message": {**chat, "text": "hi"}}).text == "hi"
    assert read_update({"message": {**chat, "sticker": {}}}).notice == TEXT_ONLY_REPLY
    assert read_update({"edited_message": {**chat, "text": "hi"}}).notice == EDITED_REPLY
    press = read_update({"callback_query": {"id": "1", "data": "/deny", "message": chat}})
    assert (press.chat_id, press.text, press.callback_query_id) == ("7", "/deny", "1")
    assert read_update({"poll": {}}).chat_id is None
    assert read_update([]).chat_id is None
