"""Messages in a language BackCare does not speak yet get one clear sentence."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.language_guard import LanguageGuard, is_other_language


@pytest.mark.parametrize(
    "text",
    [
        "weiter",
        "danke, tschüss",
        "Mein Rücken tut weh",
        "Hallo, ich habe seit 3 Tagen starke Rückenschmerzen",
        "hola me duele la espalda",
        "j'ai très mal au dos depuis trois jours",
        "nein",
    ],
)
def test_other_languages_are_recognised(text: str) -> None:
    assert is_other_language(text)


@pytest.mark.parametrize(
    "text",
    [
        "my back hurts",
        "hallo",
        "die",
        "I want to die",
        "ja",
        "ok",
        "my back hurts, ich weiss nicht",
        "no",
        "Hi!",
        "",
    ],
)
def test_english_and_ambiguous_words_are_not(text: str) -> None:
    assert not is_other_language(text)


def test_the_guard_sets_the_intent() -> None:
    message = Message(
        {
            TEXT: "Mein Rücken tut weh",
            INTENT: {"name": "ask_medication", "confidence": 0.8},
            INTENT_RANKING_KEY: [{"name": "ask_medication", "confidence": 0.8}],
        }
    )
    LanguageGuard(LanguageGuard.get_default_config()).process([message])
    assert message.get(INTENT)["name"] == "other_language"
