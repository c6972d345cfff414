"""A new session remembers the warning signs of the last 14 days (bot/clinical.py).

Rasa starts a fresh session after an hour of silence and forgets the slots;
a warning sign must not be forgotten with them, so it is kept in the
database per channel sender id until a doctor has checked the person.
"""

from __future__ import annotations

import logging
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.library import warning_sign_records
from bot.clinical import CUTOFFS, Triage
from bot.knowledge import DatabaseUnavailable
from bot.safety import flags

logger = logging.getLogger(__name__)


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        events: List[EventType] = [SessionStarted()]
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
                date=f"{recent[-1].reported_at:%d %B}".lstrip("0"),
                signs=flags.names(codes),
            )
            events += [
                SlotSet("red_flags", codes),
                SlotSet("remembered_flags", codes),
                SlotSet("red_flag_urgency", top.urgency if top else None),
                SlotSet("triage", Triage.URGENT.value),
            ]
        events.append(ActionExecuted("action_listen"))
        return events
