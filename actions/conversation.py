"""Small helpers to read what the person said and what we know so far."""

from __future__ import annotations

from typing import Any, List, Optional, Text

from rasa_sdk import Tracker

from bot.clinical import Triage
from bot.safety import Findings, analyse

# Actions that may run between a user message and the form reading it: Rasa's
# own slot extraction, the form itself, and an unclear message handed over to
# the assessment. Any other action answered the message already.
READING_ACTIONS = {
    "action_listen",
    "action_extract_slots",
    "action_unclear_message",
    "assessment_form",
    "reminder_form",
}


def latest_text(tracker: Tracker) -> Text:
    return (tracker.latest_message or {}).get("text") or ""


def latest_intent(tracker: Tracker) -> Optional[Text]:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def fresh_message(tracker: Tracker) -> bool:
    """True when the latest user message has not been answered by another action yet.

    A form that resumes after an interruption (a rule answered a question, or a
    possible warning sign was queued) must not read that message again as an
    answer to its own question.
    """
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return True
        if event.get("event") == "action" and event.get("name") not in READING_ACTIONS:
            return False
    return False


def said_before_the_latest_message(tracker: Tracker, response: Text) -> bool:
    """Whether `response` was among the bot's messages between the two latest user messages."""
    user_messages = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            user_messages += 1
            if user_messages == 2:
                return False
        elif event.get("event") == "bot" and user_messages == 1:
            if (event.get("metadata") or {}).get("utter_action") == response:
                return True
    return False


def findings(tracker: Tracker) -> Findings:
    """What the safety detector reads in the latest message."""
    return analyse(latest_text(tracker))


def entity_texts(tracker: Tracker, entity: Text) -> List[Text]:
    """The surface text of every `entity` the NLU found in the last message."""
    text = latest_text(tracker)
    found: List[Text] = []
    for item in (tracker.latest_message or {}).get("entities") or []:
        if item.get("entity") != entity:
            continue
        start, end = item.get("start"), item.get("end")
        if isinstance(start, int) and isinstance(end, int):
            found.append(text[start:end])
        elif isinstance(item.get("value"), str):
            found.append(item["value"])
    return found


def entity_values(tracker: Tracker, entity: Text) -> List[Any]:
    """The values of every `entity` in the last message (a button payload's, for example)."""
    return [
        item.get("value")
        for item in (tracker.latest_message or {}).get("entities") or []
        if item.get("entity") == entity
    ]


def red_flags(tracker: Tracker) -> List[Text]:
    return list(tracker.get_slot("red_flags") or [])


def triage_stage(tracker: Tracker) -> Optional[Triage]:
    value = tracker.get_slot("triage")
    return Triage(value) if value else None


def exercise_blocked(tracker: Tracker) -> bool:
    """True when a warning sign means no exercise advice may be given at all."""
    return bool(red_flags(tracker)) or triage_stage(tracker) is Triage.URGENT


def slot_value(tracker: Tracker, name: Text, default: Any = None) -> Any:
    value = tracker.get_slot(name)
    return default if value is None else value


def slot_list(tracker: Tracker, name: Text) -> List[Text]:
    return list(tracker.get_slot(name) or [])
