"""Triage, warning signs at any point, a doctor's all-clear, and unclear messages."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import findings, latest_text, red_flags, slot_list
from actions.library import warning_sign_records
from actions.warning_signs import advise, flag_events, remember, stop_everything
from bot.clinical import Triage, needs_gp_for_age, triage
from bot.knowledge import DatabaseUnavailable
from bot.parsing import mentions_back_pain, parse_duration_weeks, parse_pain_level

logger = logging.getLogger(__name__)

STAGE_ADVICE = {
    Triage.ACUTE: "utter_advice_acute",
    Triage.SUBACUTE: "utter_advice_subacute",
    Triage.RECOVERY: "utter_advice_recovery",
    Triage.CHRONIC: "utter_advice_chronic",
}
ALERT, ASK = "alert", "ask"


class ActionTriage(Action):
    """Sorts the person into a stage (bot/clinical.py) and gives its advice."""

    def name(self) -> Text:
        return "action_triage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        flags = red_flags(tracker)
        stage = triage(tracker.get_slot("pain_level"), tracker.get_slot("pain_duration_weeks"), flags)
        if stage is None:
            # Only reachable if the form ended without its answers.
            dispatcher.utter_message(response="utter_default")
            return []
        if stage is Triage.URGENT:
            advise(dispatcher, flags)
            remember(tracker.sender_id, flags)
            return flag_events(tracker, [])
        if tracker.get_slot("safety_check") == ASK and tracker.get_slot("triage") == stage.value:
            # A question about a possible sign, answered "no": the advice stands.
            dispatcher.utter_message(response="utter_screening_all_clear")
            return [SlotSet("triage", stage.value), SlotSet("safety_check", None)]
        if tracker.get_slot("flare_up"):
            dispatcher.utter_message(response="utter_advice_flare_up")
        dispatcher.utter_message(response=STAGE_ADVICE[stage])
        if needs_gp_for_age(tracker.get_slot("age")):
            dispatcher.utter_message(response="utter_advice_gp_for_age")
        return [SlotSet("triage", stage.value), SlotSet("safety_check", None)]


class ActionRedFlagAlert(Action):
    """A warning sign stops everything; a possible one is asked about first.

    Sets `safety_check` to "alert" (urgent advice given, everything stopped) or
    "ask" (the assessment form asks the sign's question before anything else).
    """

    def name(self) -> Text:
        return "action_red_flag_alert"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        found = findings(tracker)
        known = red_flags(tracker)
        if found.signs:
            advise(dispatcher, list(dict.fromkeys([*found.signs, *known])))
            remember(tracker.sender_id, found.signs)
            return [*flag_events(tracker, found.signs), *stop_everything(), SlotSet("safety_check", ALERT)]
        if known:
            # Already sent to a doctor: no more questions, the same advice.
            dispatcher.utter_message(response="utter_urgent_reminder")
            return [*stop_everything(), SlotSet("safety_check", ALERT)]
        answered = set(slot_list(tracker, "screening_done"))
        queue = slot_list(tracker, "screening_queue")
        possible = [code for code in dict.fromkeys([*found.questions, *found.mentions]) if code not in answered]
        # The assessment form asks the question: it starts afresh from here, and
        # skips whatever is already answered.
        events: List[EventType] = [SlotSet("safety_check", ASK), ActiveLoop(None)]
        if possible:
            events += [
                SlotSet("screening_queue", [*queue, *(code for code in possible if code not in queue)]),
                SlotSet("red_flags_screened", None),
            ]
        return events


class ActionDoctorChecked(Action):
    """The person says a doctor has checked them: the warning signs are lifted."""

    def name(self) -> Text:
        return "action_doctor_checked"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        try:
            cleared = warning_sign_records().clear(tracker.sender_id)
        except DatabaseUnavailable:
            logger.exception("Could not clear warning signs")
            cleared = 0
        if not (cleared or red_flags(tracker)):
            dispatcher.utter_message(response="utter_doctor_checked_nothing_on_record")
            return []
        dispatcher.utter_message(response="utter_doctor_checked")
        # Screened again from the start: new signs may have appeared since.
        return [
            SlotSet("red_flags", []),
            SlotSet("red_flag_urgency", None),
            SlotSet("triage", None),
            SlotSet("red_flags_screened", None),
            SlotSet("screening_done", []),
            SlotSet("screening_unsure", []),
            SlotSet("screening_queue", []),
            SlotSet("safety_check", None),
            SlotSet("doctor_checked", True),
        ]


class ActionUnclearMessage(Action):
    """Low NLU confidence: never silent, and never lose a pain description.

    A message the classifier is unsure about ("back pain 5/10 since 3 days"
    sits between describing pain and answering a question; "no fever, no
    numbness, just a sore back") still starts the assessment when it holds a
    pain level, a duration or back pain; anything else gets a kind "I didn't
    understand" with what the bot can do.
    """

    def name(self) -> Text:
        return "action_unclear_message"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        text = latest_text(tracker)
        if parse_pain_level(text) or parse_duration_weeks(text) is not None or mentions_back_pain(text):
            return [FollowupAction("assessment_form")]
        dispatcher.utter_message(response="utter_default")
        return []
