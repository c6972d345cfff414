"""Each message names its language when it clearly has one; other languages get one clear sentence."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import paths
from bot.nlu.language_detection import LanguageDetector, requested_language, written_language
from bot.nlu.other_languages import is_other_language


def processed(text: str, intent: str = "ask_medication") -> Message:
    message = Message(
        {
            TEXT: text,
            INTENT: {"name": intent, "confidence": 0.8},
            INTENT_RANKING_KEY: [{"name": intent, "confidence": 0.8}],
        }
    )
    LanguageDetector(LanguageDetector.get_default_config()).process([message])
    return message


def language_entity(message: Message) -> Optional[str]:
    values = [item["value"] for item in message.get(ENTITIES) or [] if item["entity"] == "language"]
    assert len(values) <= 1
    return values[0] if values else None


@pytest.mark.parametrize(
    "text, language",
    [
        ("Mein Rücken tut weh", "de"),
        ("Hallo, ich habe seit 3 Tagen starke Rückenschmerzen im unteren Rücken, so 7 von 10", "de"),
        ("ich kann seit heute morgen nicht mehr pinkeln", "de"),
        ("hab seit gestern hexenschuss", "de"),
        ("danke, das hilft", "de"),
        ("weiter", "de"),
        ("Hallo", "de"),
        ("ja bitte", "de"),
        ("danke, tschüss", "de"),
        ("nein", "de"),
        ("hello", "en"),
        ("yes please", "en"),
        ("my back hurts since monday", "en"),
        ("my lower back has been hurting for three days", "en"),
        ("thanks, that helps", "en"),
    ],
)
def test_clear_messages_name_their_language(text: str, language: str) -> None:
    assert written_language(text) == language


@pytest.mark.parametrize(
    "text", ["i wanna die", "ok bye then", "I wet myself", "can i do yoga", "is walking good for it?"]
)
def test_short_english_never_reads_as_german(text: str) -> None:
    # lingua's low-accuracy mode read these as German; unclear is fine, German is not.
    assert written_language(text) in (None, "en")


@pytest.mark.parametrize(
    "text", ["ok", "no", "7", "7/10", "hi", "super", "", "👍", "my back hurts, ich weiss nicht"]
)
def test_short_or_mixed_messages_name_none(text: str) -> None:
    assert written_language(text) is None


@pytest.mark.parametrize(
    "text, language",
    [
        ("English please", "en"),
        ("can we speak english?", "en"),
        ("auf Englisch bitte", "en"),
        ("in english", "en"),
        ("auf Deutsch bitte", "de"),
        ("Sprechen Sie Deutsch?", "de"),
        ("kannst du auch deutsch", "de"),
        ("German please", "de"),
        ("deutsch", "de"),
        ("can you reply in German", "de"),
    ],
)
def test_switch_requests_name_the_language_asked_for(text: str, language: str) -> None:
    assert requested_language(text) == language
    message = processed(text)
    assert message.get(INTENT)["name"] == "switch_language"
    assert language_entity(message) == language


@pytest.mark.parametrize(
    "text",
    [
        "my german shepherd jumped on me",
        "I live in Germany",
        "my english teacher said rest",
        "ich wohne in Deutschland",
    ],
)
def test_mentioning_a_language_or_country_is_not_a_request(text: str) -> None:
    assert requested_language(text) is None


def test_a_long_message_that_also_asks_for_german_keeps_its_intent() -> None:
    message = processed(
        "auf deutsch bitte, ich habe seit drei tagen starke rückenschmerzen und kann kaum sitzen",
        "report_pain",
    )
    assert message.get(INTENT)["name"] == "report_pain"
    assert language_entity(message) == "de"


def test_a_german_message_keeps_its_intent_and_names_german() -> None:
    message = processed("Mein Rücken tut seit gestern weh", "report_pain")
    assert message.get(INTENT)["name"] == "report_pain"
    assert language_entity(message) == "de"


def test_a_short_message_keeps_the_persons_language() -> None:
    message = processed("ok", "affirm")
    assert message.get(INTENT)["name"] == "affirm"
    assert language_entity(message) is None


@pytest.mark.parametrize(
    "text",
    [
        "hola me duele la espalda",
        "j'ai très mal au dos depuis trois jours",
        "ik heb rugpijn sinds drie dagen",
        "gracias",
    ],
)
def test_other_languages_get_other_language(text: str) -> None:
    assert is_other_language(text)
    message = processed(text)
    assert message.get(INTENT)["name"] == "other_language"
    assert language_entity(message) is None


@pytest.mark.parametrize(
    "text",
    ["Mein Rücken tut weh", "danke, tschüss", "weiter", "nein", "my back hurts", "I want to die", "ok", ""],
)
def test_english_and_german_are_not_other_languages(text: str) -> None:
    assert not is_other_language(text)


@pytest.mark.parametrize(
    "text, intent", [("xcvxcv", "out_of_scope"), ("asdasd", "nlu_fallback"), ("qwertz", "nlu_fallback")]
)
def test_gibberish_keeps_the_persons_language(text: str, intent: str) -> None:
    assert language_entity(processed(text, intent)) is None


def test_payloads_are_left_alone() -> None:
    message = processed('/switch_language{"language": "de"}', "switch_language")
    assert language_entity(message) is None


_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\{[^}]*\}|\([^)]*\))")


def _examples(path: Any) -> List[str]:
    texts = []
    for block in yaml.safe_load(path.read_text()).get("nlu", []):
        if block.get("intent") == "other_language":
            continue
        for line in (block.get("examples") or "").splitlines():
            texts.append(_ANNOTATION.sub(r"\1", line.strip()[2:]))
    return [text for text in texts if text]


def _messages(path: Any) -> List[str]:
    data: Dict[str, Any] = yaml.safe_load(path.read_text())
    return [item["text"] for item in data["messages"]]


def test_no_english_message_of_the_data_reads_as_german() -> None:
    root = paths.PROJECT_ROOT
    english_files = sorted(
        set((root / "data" / "nlu").glob("*.yml")) - {root / "data" / "nlu" / "languages.yml"}
    )
    texts = [text for path in english_files for text in _examples(path)]
    texts += _examples(root / "tests" / "nlu" / "holdout.yml")
    texts += _messages(root / "tests" / "clinical" / "corpus.yml")
    assert len(texts) > 2000
    german = [text for text in texts if written_language(text) == "de"]
    assert german == []


def test_no_german_message_of_the_data_reads_as_english() -> None:
    folder = paths.PROJECT_ROOT / "data" / "nlu" / "de"
    texts = [text for path in sorted(folder.glob("*.yml")) for text in _examples(path)]
    assert len(texts) > 500
    english = [text for text in texts if written_language(text) == "en"]
    # A one-word greeting lingua cannot place ("halloo") may read as English; nothing longer.
    assert len(english) <= 2 and all(len(text.split()) == 1 for text in english), english
