"""Small helpers to read what the person said and what we know so far."""

from __future__ import annotations

from typing import Any, List, Optional, Text

from rasa_sdk import Tracker

from bot.clinical import Triage


def latest_text(tracker: Tracker) -> Text:
    return (tracker.latest_message or {}).get("text") or ""


def latest_intent(tracker: Tracker) -> Optional[Text]:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


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
