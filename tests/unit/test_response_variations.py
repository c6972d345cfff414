"""The most specific matching response variation wins: German twins of conditional variations are chosen."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional

import pytest
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot import paths
from bot.rasa_overrides import response_variations
from bot.rasa_overrides.response_variations import MostSpecificVariationFilter


def _condition(**slots: Any) -> List[Dict[str, Any]]:
    return [{"type": "slot", "name": name, "value": value} for name, value in slots.items()]


RESPONSES: Dict[str, List[Dict[str, Any]]] = {
    "utter_question": [
        {"text": "en default"},
        {"text": "en single", "condition": _condition(kind="single")},
        {"text": "de default", "condition": _condition(language="de")},
        {"text": "de single", "condition": _condition(kind="single", language="de")},
    ]
}


@pytest.mark.parametrize(
    "slots, expected",
    [
        ({}, ["en default"]),
        ({"language": "en"}, ["en default"]),
        ({"kind": "single"}, ["en single"]),
        ({"language": "de"}, ["de default"]),
        ({"language": "de", "kind": "single"}, ["de single"]),
        ({"language": "de", "kind": "group"}, ["de default"]),
    ],
)
def test_only_the_most_specific_matching_variation_is_eligible(
    slots: Dict[str, Optional[str]], expected: List[str]
) -> None:
    chosen = MostSpecificVariationFilter(RESPONSES).responses_for_utter_action(
        "utter_question", "rest", slots
    )
    assert [variation["text"] for variation in chosen] == expected


def test_stock_rasa_would_choose_at_random_between_english_and_german() -> None:
    stock = ResponseVariationFilter(RESPONSES).responses_for_utter_action(
        "utter_question", "rest", {"language": "de", "kind": "single"}
    )
    assert sorted(variation["text"] for variation in stock) == ["de default", "de single", "en single"]


def test_where_conditions_never_overlap_the_result_is_stock_rasas() -> None:
    domain = Domain.load(str(paths.PROJECT_ROOT / "domain.yml"))
    english_only = {
        name: [variation for variation in variations if "language" not in str(variation.get("condition"))]
        for name, variations in domain.responses.items()
    }
    slot_values: List[Dict[str, Any]] = [
        {},
        {"screening_kind": "single"},
        {"screening_kind": "group", "doctor_checked": True},
        {"red_flag_urgency": "emergency"},
        {"red_flag_urgency": "same_day"},
        {"triage": "acute"},
        {"returning": True},
    ]
    for name in english_only:
        for slots in slot_values:
            for channel in ("rest", "telegram", "socketio"):
                ours = MostSpecificVariationFilter(english_only).responses_for_utter_action(
                    name, channel, slots
                )
                stock = ResponseVariationFilter(english_only).responses_for_utter_action(name, channel, slots)
                assert ours == stock, (name, slots, channel)


def test_install_makes_the_templated_generator_choose_the_german_twin() -> None:
    response_variations.install()
    domain = Domain.from_dict(
        {
            "slots": {
                "language": {"type": "categorical", "values": ["en", "de"], "mappings": [{"type": "custom"}]},
                "kind": {
                    "type": "categorical",
                    "values": ["single", "group"],
                    "mappings": [{"type": "custom"}],
                },
            },
            "responses": RESPONSES,
        }
    )
    tracker = DialogueStateTracker("someone", domain.slots)
    tracker.update(SlotSet("language", "de"))
    tracker.update(SlotSet("kind", "single"))
    generator = TemplatedNaturalLanguageGenerator(domain.responses)
    texts = {asyncio.run(generator.generate("utter_question", tracker, "rest"))["text"] for _ in range(20)}
    assert texts == {"de single"}
