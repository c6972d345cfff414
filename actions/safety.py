"""Triage, the red-flag interruption at any point, and unclear messages."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_text, red_flags
from bot.clinical import Triage, triage
from bot.parsing import parse_duration_weeks, parse_pain_level
from bot.red_flags import detect_red_flags, is_emergency

# When the model recognises a warning sign that the keyword detector cannot
# name, it is still treated as one.
UNSPECIFIED_FLAG = "unspecified"

STAGE_ADVICE = {
    Triage.ACUTE: "utter_advice_acute",
    Triage.RECOVERY: "utter_advice_recovery",
    Triage.CHRONIC: "utter_advice_chronic",
}


def urgent_response(flags: List[Text]) -> Text:
    return "utter_urgent_emergency" if is_emergency(flags) else "utter_urgent_prompt"


class ActionTriage(Action):
    """Sorts the person into a stage (PRODUCT.md rules) and gives its advice."""

    def name(self) -> Text:
        return "action_triage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        flags = red_flags(tracker)
        stage = triage(
            tracker.get_slot("pain_level"), tracker.get_slot("pain_duration_weeks"), flags
        )
        if stage is None:
            # Only reachable if the form ended without its answers.
            dispatcher.utter_message(response="utter_default")
            return []
        if stage is Triage.URGENT:
            dispatcher.utter_message(response=urgent_response(flags))
        else:
            dispatcher.utter_message(response=STAGE_ADVICE[stage])
        return [SlotSet("triage", stage.value)]


class ActionRedFlagAlert(Action):
    """Stops everything and sends the person to medical care."""

    def name(self) -> Text:
        return "action_red_flag_alert"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        found = detect_red_flags(latest_text(tracker)) or [UNSPECIFIED_FLAG]
        flags = list(dict.fromkeys([*red_flags(tracker), *found]))
        dispatcher.utter_message(response=urgent_response(flags))
        return [
            SlotSet("red_flags", flags),
            SlotSet("triage", Triage.URGENT.value),
            SlotSet("current_exercise", None),
            SlotSet("current_step", None),
            SlotSet("requested_slot", None),
            ActiveLoop(None),
        ]


class ActionUnclearMessage(Action):
    """Low NLU confidence: never silent, and never lose a pain description.

    A message the classifier is unsure about ("back pain 5/10 since 3 days"
    sits between describing pain and answering a question) still starts the
    assessment when it holds a pain level or a duration; anything else gets a
    kind "I didn't understand" with what the bot can do.
    """

    def name(self) -> Text:
        return "action_unclear_message"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        text = latest_text(tracker)
        if parse_pain_level(text) or parse_duration_weeks(text) is not None:
            return [FollowupAction("assessment_form")]
        dispatcher.utter_message(response="utter_default")
        return []
