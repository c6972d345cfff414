"""Giving the advice for warning signs, and remembering them beyond the session."""

from __future__ import annotations

import logging
from typing import List, Sequence, Text

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import red_flags
from actions.library import warning_sign_records
from bot import clock
from bot.clinical import Triage
from bot.knowledge import DatabaseUnavailable, ReportedSign
from bot.languages import ENGLISH
from bot.safety import flags

logger = logging.getLogger(__name__)


def advise(dispatcher: CollectingDispatcher, codes: Sequence[Text], language: Text = ENGLISH) -> None:
    """The advice of the most urgent flag, naming every flag the person gave (in their language)."""
    top = flags.most_urgent(codes)
    if top is not None:
        dispatcher.utter_message(response=top.advice, signs=flags.names(codes, language))


def remember(sender_id: Text, codes: Sequence[Text]) -> None:
    """Stores the flags so they outlive the session; a failure must not silence the advice."""
    now = clock.now()
    signs = [ReportedSign(code, flags.describe(code).urgency, now) for code in codes]
    try:
        warning_sign_records().record(sender_id, signs)
    except DatabaseUnavailable:
        logger.exception("Could not store a warning sign; the advice was given")


def flag_events(tracker: Tracker, new_codes: Sequence[Text]) -> List[EventType]:
    """Slot events for the person's flags with `new_codes` added, and the urgent stage."""
    codes = list(dict.fromkeys([*red_flags(tracker), *new_codes]))
    top = flags.most_urgent(codes)
    return [
        SlotSet("red_flags", codes),
        SlotSet("red_flag_urgency", top.urgency if top else None),
        SlotSet("triage", Triage.URGENT.value),
    ]


def stop_everything() -> List[EventType]:
    """Ends the form and the exercise: nothing else goes on after a warning sign."""
    return [
        SlotSet("current_exercise", None),
        SlotSet("current_step", None),
        SlotSet("requested_slot", None),
        SlotSet("screening_queue", []),
        ActiveLoop(None),
    ]
