"""The assessment form: pain level, duration and the warning-sign screening.

Answers are read in English and German alike (bot.parsing); what the form
says back is a domain response in the person's language.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import screening
from actions.conversation import (
    entity_texts,
    entity_values,
    findings,
    fresh_message,
    latest_intent,
    latest_text,
    red_flags,
    said_before_the_latest_message,
    slot_list,
)
from bot.clinical import PAIN_MAX, PAIN_MIN
from bot.languages import GERMAN, language_of
from bot.parsing import (
    LEG_PAIN_VALUES,
    Duration,
    mentions_leg_pain,
    parse_age,
    parse_conditions,
    parse_duration,
    parse_leg_pain,
    parse_pain_level,
)
from bot.safety import Findings

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
    "ask_self_care",
    "faq",
    "anxious",
    "ask_urgency",
    "other_language",
    "switch_language",
    "doctor_checked",
    "out_of_scope",
    "ask_progress",
    "request_summary",
    "stop_reminders",
}
SCREENING_SLOT = "red_flags_screened"
# Form questions answered in free text; the screening questions explain "not sure" themselves.
ASKED_IN_FREE_TEXT = ("pain_level", "pain_duration_weeks", "leg_pain")
BOTH_LEGS_SIGN = "bilateral_sciatica"


class ValidateAssessmentForm(FormValidationAction):
    """Reads the form's answers from free text, skipping what is already known."""

    def name(self) -> Text:
        return "validate_assessment_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        if red_flags(tracker):
            return []  # a warning sign is known: no exercise, so nothing more to ask
        if slot_list(tracker, "screening_queue"):
            # A possible warning sign was heard: ask about it before anything else.
            return [SCREENING_SLOT, *(slot for slot in domain_slots if slot != SCREENING_SLOT)]
        return domain_slots

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        fresh = fresh_message(tracker)
        found = findings(tracker) if fresh else Findings()
        intent = latest_intent(tracker)
        if fresh and (found.signs or found.crisis or intent == "crisis"):
            # Read nothing: the form is rejected and the warning-sign or crisis rule takes over.
            return []
        requested = tracker.get_slot("requested_slot")
        events: List[EventType] = []
        if fresh:
            if requested == SCREENING_SLOT:
                interrupting = intent in INTERRUPTING_INTENTS
                answered = screening.answer_events(
                    dispatcher, tracker, intent, latest_text(tracker), interrupting
                )
                tracker.add_slots(answered)  # the queue below builds on the answer
                events += answered
            noticed = _possible_signs(found, intent, tracker)
            age = parse_age(latest_text(tracker))
            if age is not None:
                noticed.append(SlotSet("age", age))
            duration = _duration_said(tracker)
            if duration is not None and duration.flare_up:
                noticed.append(SlotSet("flare_up", True))
            new_conditions = [
                c for c in parse_conditions(latest_text(tracker)) if c not in slot_list(tracker, "conditions")
            ]
            if new_conditions:
                noticed.append(SlotSet("conditions", [*slot_list(tracker, "conditions"), *new_conditions]))
            tracker.add_slots(noticed)
            events += noticed
        validated = await super().run(dispatcher, tracker, domain)
        filled = {event["name"] for event in [*events, *validated] if event.get("event") == "slot"}
        if fresh and requested in ASKED_IN_FREE_TEXT and not filled and intent not in INTERRUPTING_INTENTS:
            # Nonsense, an unreadable answer or "not sure": explain and ask the same question.
            unsure = intent == "unsure" and requested == "leg_pain"
            dispatcher.utter_message(
                response="utter_leg_pain_unsure" if unsure else f"utter_invalid_{requested}"
            )
            validated.append(SlotSet(requested, None))
        tracker.add_slots(validated)
        if tracker.get_slot("leg_pain") == "both":
            # Pain in both legs may be nerve pain in both: an emergency sign, asked at once.
            both = _possible_signs(Findings(questions=(BOTH_LEGS_SIGN,)), intent, tracker)
            tracker.add_slots(both)
            validated += both
        # A fresh message that filled nothing must leave the form rejected, so
        # the rule for it can answer (a question in the middle of the form).
        if not red_flags(tracker) and (events or validated or not fresh):
            validated += screening.question_events(tracker)
        return [*events, *validated]

    async def extract_pain_level(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if not fresh_message(tracker):
            return {}
        # A bare number counts when the pain question is pending, or right
        # after a pain word was noted with "if that's not right, just tell me
        # a number" (the next question is already asked by then). Otherwise
        # only an explicit pain statement counts, which also lets a person
        # correct an earlier answer ("actually 6/10").
        expecting = tracker.get_slot("requested_slot") == "pain_level" or said_before_the_latest_message(
            tracker, "utter_pain_word_noted"
        )
        reading = parse_pain_level(latest_text(tracker), expecting=expecting)
        if reading is None:
            return {}
        level = level_text(reading.level, language_of(tracker))
        earlier = tracker.get_slot("pain_level")
        if reading.word:
            dispatcher.utter_message(response="utter_pain_word_noted", word=reading.word, level=level)
        elif earlier is not None and float(earlier) != reading.level:
            dispatcher.utter_message(response="utter_pain_level_corrected", level=level)
        return {"pain_level": reading.level}

    async def extract_pain_duration_weeks(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        duration = _duration_said(tracker)
        return {"pain_duration_weeks": duration.weeks} if duration is not None else {}

    async def extract_leg_pain(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if not fresh_message(tracker):
            return {}
        button = next(iter(entity_values(tracker, "leg_pain")), None)
        if button in LEG_PAIN_VALUES:
            return {"leg_pain": button}
        # Without the question pending only a clear statement counts ("it goes down my leg").
        asked = tracker.get_slot("requested_slot") == "leg_pain"
        value = parse_leg_pain(latest_text(tracker))
        if (
            value is None
            or (not asked and value == "none")
            or (not asked and not mentions_leg_pain(latest_text(tracker)))
        ):
            return {}
        return {"leg_pain": value}

    def validate_leg_pain(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return {"leg_pain": value if value in LEG_PAIN_VALUES else None}

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
        return {SCREENING_SLOT: True if value else None}


def level_text(level: float, language: Text) -> str:
    """A pain level as the person writes it: "6.5", or "6,5" in German."""
    text = f"{level:g}"
    return text.replace(".", ",") if language == GERMAN else text


def _duration_said(tracker: Tracker) -> Optional[Duration]:
    """How long the pain has lasted, from a fresh message.

    Without the duration question pending, a bare "today" ("it hurts today")
    says nothing about when the pain began. spaCy's DATE entities isolate a
    duration the phrases miss.
    """
    if not fresh_message(tracker):
        return None
    strict = tracker.get_slot("requested_slot") != "pain_duration_weeks"
    for candidate in [latest_text(tracker), *entity_texts(tracker, "DATE")]:
        duration = parse_duration(candidate, strict=strict)
        if duration is not None:
            return duration
    return None


def _possible_signs(found: Findings, intent: Text | None, tracker: Tracker) -> List[EventType]:
    """Queues a question about each sign that may be present, asked before anything else.

    Phrases that may be a sign ("I can hardly walk") are always asked about;
    signs only named in passing are asked about when the model suspected one.
    """
    possible = list(found.questions)
    if intent == "report_red_flag":
        possible += found.mentions
    queue = slot_list(tracker, "screening_queue")
    answered = set(slot_list(tracker, "screening_done"))
    new = [code for code in dict.fromkeys(possible) if code not in queue and code not in answered]
    return [SlotSet("screening_queue", [*queue, *new])] if new else []
