"""A new session remembers the person's language and the warning signs of the last 14 days.

Rasa starts a fresh session after an hour of silence and forgets the slots;
a warning sign must not be forgotten with them, so it is kept in the
database per channel sender id until a doctor has checked the person
(bot/clinical.py). The language is carried over from the session before;
a person new to BackCare starts in the language their Telegram app or
browser is set to (the `language` hint in the message metadata), until
they write a message that is clearly in English or German.
"""

from __future__ import annotations

import logging
from typing import Any, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.library import warning_sign_records
from bot.care.wording import wording
from bot.clinical import CUTOFFS, Triage
from bot.knowledge import DatabaseUnavailable
from bot.languages import ENGLISH, LANGUAGE_SLOT, normalise
from bot.safety import flags

logger = logging.getLogger(__name__)

# Where the channels put the language of the person's app or browser
# (bot/channels/telegram.py: Telegram's `language_code`; the web widget:
# `navigator.language`).
LANGUAGE_HINT_KEY = "language"


def session_language(tracker: Tracker) -> Optional[Text]:
    """The language of the session before, else the channel's hint, else None (English)."""
    earlier = normalise(tracker.get_slot(LANGUAGE_SLOT))
    if earlier:
        return earlier
    metadata: Any = tracker.get_slot("session_started_metadata") or {}
    return normalise(metadata.get(LANGUAGE_HINT_KEY)) if isinstance(metadata, dict) else None


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        events: List[EventType] = [SessionStarted()]
        language = session_language(tracker)
        if language:
            events.append(SlotSet(LANGUAGE_SLOT, language))
        days = CUTOFFS.warning_sign_memory_days
        try:
            records = warning_sign_records()
            recent = records.recent(tracker.sender_id, days)
            checked = not recent and records.cleared_recently(tracker.sender_id, days)
        except DatabaseUnavailable:
            # Without the record the screening still runs before any exercise.
            logger.exception("Could not read earlier warning signs at session start")
            recent, checked = [], False
        if checked:
            # The screening then asks about what is new since the doctor's check.
            events.append(SlotSet("doctor_checked", True))
        if recent:
            codes = list(dict.fromkeys(sign.code for sign in recent))
            top = flags.most_urgent(codes)
            dispatcher.utter_message(
                response="utter_remembered_warning_signs",
                date=wording(language or ENGLISH).day_month(recent[-1].reported_at.date()),
                signs=flags.names(codes, language or ENGLISH),
            )
            events += [
                SlotSet("red_flags", codes),
                SlotSet("remembered_flags", codes),
                SlotSet("red_flag_urgency", top.urgency if top else None),
                SlotSet("triage", Triage.URGENT.value),
            ]
        events.append(ActionExecuted("action_listen"))
        return events
