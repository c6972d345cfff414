"""The assessment form: pain level, duration and the red-flag check."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.conversation import entity_texts, latest_intent, latest_text, red_flags
from bot.clinical import PAIN_MAX, PAIN_MIN
from bot.parsing import parse_duration_weeks, parse_pain_level

SCREEN_POSITIVE = "screen_positive"

# Intents answered by their own rule in the middle of the form (the form is
# rejected, the rule replies, then the form asks its question again).
INTERRUPTING_INTENTS = {
    "greet",
    "goodbye",
    "thank",
    "bot_challenge",
    "help",
    "ask_medication",
    "ask_diagnosis",
    "ask_exercise",
    "out_of_scope",
}

_YES = re.compile(r"^\s*(yes|yeah|yep|yup|y|i do|i have|one of them|some of them)\b", re.I)
_NO = re.compile(r"^\s*(no|nope|nah|n|none|nothing|not really|i don'?t)\b", re.I)


class ValidateAssessmentForm(FormValidationAction):
    """Reads the form's answers from free text, skipping what is already known."""

    def name(self) -> Text:
        return "validate_assessment_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        intent = latest_intent(tracker)
        if intent == "report_red_flag":
            # Extract nothing: the form is rejected and the red-flag rule takes over.
            return []
        requested = tracker.get_slot("requested_slot")
        positive_screen = screening_answer(tracker) is True
        events = await super().run(dispatcher, tracker, domain)
        if positive_screen:
            # A "yes" without details still counts as a warning sign: when
            # unsure, the bot refers to a professional.
            flags = sorted({*red_flags(tracker), SCREEN_POSITIVE})
            events.append(SlotSet("red_flags", flags))
        filled = {event["name"] for event in events if event.get("event") == "slot"}
        if requested and not filled and intent not in INTERRUPTING_INTENTS:
            # Nonsense or an unreadable answer: explain and ask the same question.
            dispatcher.utter_message(response=f"utter_invalid_{requested}")
            events.append(SlotSet(requested, None))
        return events

    async def extract_pain_level(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        expecting = tracker.get_slot("requested_slot") == "pain_level"
        # Without a question pending, only an explicit pain statement counts,
        # which also lets a person correct an earlier answer ("actually 6/10").
        reading = parse_pain_level(latest_text(tracker), expecting=expecting)
        if reading is None:
            return {}
        if reading.word:
            dispatcher.utter_message(
                text=(
                    f'I\'ll note "{reading.word}" as about {reading.level:g} out of 10. '
                    "If that's not right, just tell me a number."
                )
            )
        return {"pain_level": reading.level}

    async def extract_pain_duration_weeks(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        expecting = tracker.get_slot("requested_slot") == "pain_duration_weeks"
        # spaCy's DATE entities isolate the duration in long messages; the whole
        # text is the fallback for phrasings the NER does not tag.
        for candidate in [*entity_texts(tracker, "DATE"), latest_text(tracker)]:
            weeks = parse_duration_weeks(candidate, expecting=expecting)
            if weeks is not None:
                return {"pain_duration_weeks": weeks}
        return {}

    def validate_pain_level(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        in_range = isinstance(value, (int, float)) and PAIN_MIN <= value <= PAIN_MAX
        return {"pain_level": float(value) if in_range else None}

    def validate_pain_duration_weeks(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        valid = isinstance(value, (int, float)) and value >= 0
        return {"pain_duration_weeks": float(value) if valid else None}

    def validate_red_flags_screened(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return {"red_flags_screened": True if value else None}

    async def extract_red_flags_screened(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if screening_answer(tracker) is None:
            return {}
        return {"red_flags_screened": True}


def screening_answer(tracker: Tracker) -> Optional[bool]:
    """The answer to the red-flag question: True (yes), False (no) or None."""
    if tracker.get_slot("requested_slot") != "red_flags_screened":
        return None
    intent, text = latest_intent(tracker), latest_text(tracker)
    if intent == "affirm" or (intent != "deny" and _YES.match(text)):
        return True
    if intent == "deny" or _NO.match(text):
        return False
    return None
