"""Daily check-in reminders: the form that asks the time (and time zone once), set and stop.

The reminders themselves are sent by `backcare reminders` (bot/care/reminder_process.py).
Times and places are read in English and German alike ("at 7pm", "abends um
halb acht", "Wien"), whatever the `language` slot says: a person may answer
in German before BackCare has noticed. The replies are domain responses,
which pick the person's language themselves; the values put into them (a
24-hour time, an IANA zone name) read the same in both languages.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.conversation import fresh_message, latest_intent, latest_text
from actions.library import care_records, reminders
from bot.care.records import person_key
from bot.care.reminder_times import parse_reminder_time, parse_time_zone
from bot.knowledge import DatabaseUnavailable

logger = logging.getLogger(__name__)

# Channels that can deliver a reminder: Telegram sends it, the web page shows it when opened.
REMINDER_CHANNELS = {"telegram", "web"}
# Said instead of an answer: the form is left to the rules (cancel, stop).
LEAVING_INTENTS = {"deny", "stop_reminders", "goodbye"}


def channel_of(tracker: Tracker) -> str:
    return person_key(tracker.sender_id)[0]


def recorded_time_zone(tracker: Tracker) -> Optional[str]:
    """The time zone the person gave before (asked once, kept in their record)."""
    try:
        history = care_records().history(tracker.sender_id)
    except DatabaseUnavailable:
        return None
    return history.time_zone if history else None


def known_time_zone(tracker: Tracker) -> Optional[str]:
    return tracker.get_slot("time_zone") or recorded_time_zone(tracker)


class ValidateReminderForm(FormValidationAction):
    """Reads the time ("at 8", "18:30", "um 8 Uhr") and, once per person, the time zone ("Berlin", "Wien")."""

    def name(self) -> Text:
        return "validate_reminder_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        if channel_of(tracker) not in REMINDER_CHANNELS:
            return []  # action_set_reminder explains that this channel has no reminders
        # Only the record counts here: rasa-sdk asks again after extraction, and
        # a zone read from this very message must stay a required (validated) slot.
        if recorded_time_zone(tracker):
            return [slot for slot in domain_slots if slot != "time_zone"]
        return domain_slots

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        requested = tracker.get_slot("requested_slot")
        events = await super().run(dispatcher, tracker, domain)
        filled = {event["name"] for event in events if event.get("event") == "slot"}
        if (
            requested in ("reminder_time", "time_zone")
            and requested not in filled
            and fresh_message(tracker)
            and latest_intent(tracker) not in LEAVING_INTENTS
        ):
            dispatcher.utter_message(response=f"utter_invalid_{requested}")
            events.append(SlotSet(requested, None))
        return events

    async def extract_reminder_time(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if not fresh_message(tracker) or tracker.get_slot("reminder_time"):
            return {}
        asked = tracker.get_slot("requested_slot") == "reminder_time"
        if not asked and latest_intent(tracker) != "set_reminder":
            return {}
        moment = parse_reminder_time(latest_text(tracker))
        return {"reminder_time": f"{moment:%H:%M}"} if moment else {}

    async def extract_time_zone(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if not fresh_message(tracker) or tracker.get_slot("requested_slot") != "time_zone":
            return {}
        zone = parse_time_zone(latest_text(tracker))
        return {"time_zone": zone} if zone else {}


class ActionSetReminder(Action):
    def name(self) -> Text:
        return "action_set_reminder"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        channel = channel_of(tracker)
        if channel not in REMINDER_CHANNELS:
            dispatcher.utter_message(response="utter_reminder_not_here")
            return [SlotSet("reminder_time", None)]
        zone = known_time_zone(tracker)
        when = tracker.get_slot("reminder_time")
        if not zone or not when:
            dispatcher.utter_message(response="utter_ask_reminder_time")
            return [SlotSet("reminder_time", None)]
        hour, minute = (int(part) for part in str(when).split(":"))
        try:
            reminders().set(tracker.sender_id, hour, minute, zone)
        except DatabaseUnavailable:
            logger.exception("Could not store a reminder")
            dispatcher.utter_message(response="utter_care_records_down")
            return [SlotSet("reminder_time", None)]
        dispatcher.utter_message(
            response="utter_reminder_set_web" if channel == "web" else "utter_reminder_set",
            time=when,
            time_zone=zone,
        )
        # The time is asked afresh next time; the zone is kept in the person's record.
        return [SlotSet("reminder_time", None), SlotSet("time_zone", zone)]


class ActionStopReminders(Action):
    def name(self) -> Text:
        return "action_stop_reminders"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        try:
            stopped = reminders().stop(tracker.sender_id)
        except DatabaseUnavailable:
            logger.exception("Could not stop reminders")
            dispatcher.utter_message(response="utter_care_records_down")
            return []
        dispatcher.utter_message(response="utter_reminders_stopped" if stopped else "utter_no_reminders")
        return []
