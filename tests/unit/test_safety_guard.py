"""The NLU component that lets the safety detector decide over the trained model."""

from __future__ import annotations

from typing import List, Tuple

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.safety_guard import SafetyGuard


def parsed(text: str, ranking: List[Tuple[str, float]]) -> Message:
    """A message as the classifiers before the guard leave it."""
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    return Message({TEXT: text, INTENT: entries[0], INTENT_RANKING_KEY: entries})


def intent_after_guard(text: str, ranking: List[Tuple[str, float]]) -> str:
    message = parsed(text, ranking)
    SafetyGuard(SafetyGuard.get_default_config()).process([message])
    return message.get(INTENT)["name"]


@pytest.mark.parametrize(
    ("text", "ranking", "expected"),
    [
        # The detector wins over the model.
        ("I wet myself this morning", [("report_pain", 0.9), ("report_red_flag", 0.1)], "report_red_flag"),
        ("I want to kill myself", [("report_pain", 0.8), ("crisis", 0.2)], "crisis"),
        ("I can hardly walk because of the pain", [("report_pain", 0.9)], "report_red_flag"),
        # The model alone never raises an alarm without a named sign...
        ("is walking good for it?", [("report_red_flag", 0.7), ("ask_exercise", 0.6)], "ask_exercise"),
        ("what do you think it is", [("report_red_flag", 0.6), ("ask_diagnosis", 0.2)], "nlu_fallback"),
        # ... but keeps its suspicion when a sign is named, so the bot asks about it.
        ("is this numbness normal", [("report_red_flag", 0.7), ("ask_diagnosis", 0.3)], "report_red_flag"),
        # The model alone suspecting crisis talk needs words of it to ask about it.
        ("ok im done with that", [("crisis", 0.75), ("next_step", 0.21)], "nlu_fallback"),
        ("I just can't cope with any of it", [("crisis", 0.8), ("report_pain", 0.1)], "crisis"),
        ("sometimes i think about ending it", [("crisis", 0.6), ("report_pain", 0.1)], "crisis"),
        ("done with this one", [("crisis", 0.3), ("next_step", 0.6)], "next_step"),
        # Button payloads name their intent.
        ("/affirm", [("affirm", 1.0)], "affirm"),
        # Nothing to do.
        ("my back hurts, 6/10", [("report_pain", 0.95)], "report_pain"),
    ],
)
def test_the_guard_decides(text: str, ranking, expected: str) -> None:
    assert intent_after_guard(text, ranking) == expected


def test_the_forced_intent_leads_the_ranking_once() -> None:
    message = parsed("fever of 39", [("report_pain", 0.9), ("report_red_flag", 0.1)])
    SafetyGuard(SafetyGuard.get_default_config()).process([message])
    names = [entry["name"] for entry in message.get(INTENT_RANKING_KEY)]
    assert names == ["report_red_flag", "report_pain"]


def in_german(text: str, ranking: List[Tuple[str, float]]) -> str:
    """The guard's decision for a message the language detector read as German."""
    message = parsed(text, ranking)
    message.set(ENTITIES, [{"entity": "language", "value": "de", "extractor": "LanguageDetector"}])
    SafetyGuard(SafetyGuard.get_default_config()).process([message])
    return message.get(INTENT)["name"]


@pytest.mark.parametrize(
    ("text", "ranking", "expected"),
    [
        # German signs and crisis talk win over the model, as in English.
        ("kann seit heute früh nicht mehr pinkeln", [("report_pain", 0.9)], "report_red_flag"),
        ("ich will nicht mehr leben", [("report_pain", 0.6), ("crisis", 0.3)], "crisis"),
        # "die" is an English crisis word and the German article: a German
        # message keeps a model-only crisis suspicion only with German words of it.
        ("die Schmerzen sind heute wieder da", [("crisis", 0.7), ("report_pain", 0.6)], "report_pain"),
        ("ich bin so verzweifelt, ich kann nicht mehr", [("crisis", 0.7), ("report_pain", 0.2)], "crisis"),
        # A sign named in passing keeps the model's suspicion, in German words.
        (
            "ist Taubheit normal bei Rückenschmerzen",
            [("report_red_flag", 0.7), ("ask_diagnosis", 0.3)],
            "report_red_flag",
        ),
    ],
)
def test_the_guard_decides_in_german(text: str, ranking, expected: str) -> None:
    assert in_german(text, ranking) == expected


def test_an_english_crisis_word_still_counts_without_a_language() -> None:
    # Without the detector's language every language's words count, as before.
    assert (
        intent_after_guard("die Schmerzen sind heute wieder da", [("crisis", 0.7), ("report_pain", 0.6)])
        == "crisis"
    )
