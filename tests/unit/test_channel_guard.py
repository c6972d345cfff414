"""What every channel does to a message before Rasa sees it, and conversation ids."""

from __future__ import annotations

import pytest

from bot.channels import conversation_ids as ids
from bot.channels import guard
from bot.replies import reply_text
from bot.safety import detect_signs


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("I w\u200bet myself", "I wet myself"),
        ("I we\u200dt my\u2060self\ufeff", "I wet myself"),
        ("ｍｙ ｂａｃｋ ｈｕｒｔｓ", "my back hurts"),
        ("  pain 7/10  ", "pain 7/10"),
        ("Rücken", "Rücken"),
    ],
)
def test_text_is_normalised(raw: str, expected: str) -> None:
    assert guard.check_message(raw).text == expected


def test_the_detector_finds_what_was_hidden() -> None:
    for hidden in ("I w\u200bet myself", 'ask_exercise{"exercise": "cat camel"} I wet myself'):
        assert detect_signs(guard.check_message(hidden).text or "")


@pytest.mark.parametrize("raw", [None, 7, ["hi"], {"text": "hi"}, True, "", "   ", "\u200b", "/", "//"])
def test_no_text_gets_the_kind_reply(raw) -> None:
    assert guard.check_message(raw) == guard.Checked(reply=guard.NO_TEXT)


def test_the_length_cap(use_settings) -> None:
    use_settings()  # the defaults
    assert guard.check_message("a" * 2000).text == "a" * 2000
    assert guard.check_message("a" * 2001).reply == guard.TOO_LONG
    assert guard.check_message("a" * 1_000_000).reply == guard.TOO_LONG
    use_settings(max_message_chars=10)
    assert guard.check_message("a" * 11).reply == guard.TOO_LONG


@pytest.mark.parametrize(
    "payload",
    [
        "/affirm",
        "/report_pain",
        '/inform{"leg_pain": "below_knee"}',
        '/ask_exercise{"exercise": "cat_camel"}',
        "/greet",
    ],
)
def test_our_button_payloads_pass_as_commands(payload: str) -> None:
    assert guard.check_message(payload).text == payload


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ('/inform{"exercise": "cat camel"} I wet myself', 'inform{"exercise": "cat camel"} I wet myself'),
        ("/ask_exercise I wet myself", "ask_exercise I wet myself"),
        ('/report_pain{"pain_level": 99}', 'report_pain{"pain_level": 99}'),
        ('/ask_exercise{"exercise": "I wet myself"}', 'ask_exercise{"exercise": "I wet myself"}'),
        ("/no_such_intent", "no_such_intent"),
    ],
)
def test_other_slash_text_is_read_as_words(typed: str, read_as: str) -> None:
    assert guard.check_message(typed).text == read_as


def test_every_reply_the_guard_gives_is_in_the_domain() -> None:
    for response in (guard.TOO_LONG, guard.NO_TEXT, "utter_text_only", "utter_edited_message"):
        assert reply_text(response)


def test_metadata_must_be_a_small_object() -> None:
    assert guard.check_metadata(None) is None
    assert guard.check_metadata({"a": 1}) == {"a": 1}
    for bad in ("text", [1], 3):
        with pytest.raises(ValueError, match="JSON object"):
            guard.check_metadata(bad)
    with pytest.raises(ValueError, match="larger"):
        guard.check_metadata({"blob": "x" * 3000})


def test_web_session_ids_are_signed(use_settings) -> None:
    use_settings(session_secret="one secret")
    issued = ids.issue_session_id()
    random_part, signature = issued.split(".")
    assert len(random_part) == 32 and ids.verified_session_id(issued) == issued
    assert ids.web_conversation(issued) == f"web:{random_part}"
    for forged in (
        random_part,
        f"{random_part}.{'0' * 32}",
        issued + "x",
        ids.issue_session_id()[:-1],
        None,
        5,
        ["x"],
    ):
        assert ids.verified_session_id(forged) is None
    use_settings(session_secret="another secret")
    assert ids.verified_session_id(issued) is None  # a secret change ends old sessions


def test_channel_prefixes() -> None:
    assert ids.telegram_conversation("42") == "telegram:42" and ids.telegram_chat("telegram:42") == "42"
    assert ids.telegram_chat("42") == "42"
    assert ids.is_reserved("telegram:1") and ids.is_reserved("Web:x") and not ids.is_reserved("12345")
