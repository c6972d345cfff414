"""Crisis support: talk of suicide, self-harm or not wanting to live comes first.

The reply is calm, gives the crisis lines and the emergency number, and asks
nothing about the back. When only the trained model suspects crisis talk, the
bot asks the person directly (asking does not put ideas in anyone's head).
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import findings, latest_intent, red_flags
from actions.warning_signs import advise, flag_events, remember, stop_everything
from bot.languages import ENGLISH, language_of
from bot.safety import safety_table
from bot.safety.wording import alternatives

ASKED_YES = {"affirm", "unsure"}


def crisis_lines(language: Text = ENGLISH) -> Dict[str, Any]:
    """The emergency numbers and crisis lines of the configured countries, as reply text.

    In the person's language, the countries of that language first (a German
    speaker reads the TelefonSeelsorge and 112 before the UK and US lines); in
    English the configured order (BACKCARE_CRISIS_COUNTRIES) stands as it is.
    """
    first = None if language == ENGLISH else language
    countries = [
        (country.emergency, country.worded(language))
        for country in safety_table().crisis_countries(language=first)
    ]
    return {
        "emergency_numbers": alternatives(
            [f"{emergency} ({worded.name})" for emergency, worded in countries], language
        ),
        "crisis_lines": "; ".join(
            f"{worded.name}: {alternatives(worded.lines, language)}" for _, worded in countries
        ),
    }


class ActionCrisisSupport(Action):
    def name(self) -> Text:
        return "action_crisis_support"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        found = findings(tracker)
        intent = latest_intent(tracker)
        language = language_of(tracker)
        asked = bool(tracker.get_slot("crisis_check"))
        if found.crisis or (asked and intent in ASKED_YES):
            dispatcher.utter_message(response="utter_crisis_support", **crisis_lines(language))
            events: List[EventType] = [
                SlotSet("crisis", True),
                SlotSet("crisis_check", False),
                *stop_everything(),
            ]
            if found.signs:
                # A warning sign in the same message still gets its advice, after the support.
                advise(dispatcher, list(dict.fromkeys([*found.signs, *red_flags(tracker)])), language)
                remember(tracker.sender_id, found.signs)
                events += flag_events(tracker, found.signs)
            return events
        if asked and intent == "deny":
            dispatcher.utter_message(response="utter_crisis_check_declined")
            return [SlotSet("crisis_check", False), ActiveLoop(None)]
        dispatcher.utter_message(response="utter_crisis_check")
        return [SlotSet("crisis_check", True), *stop_everything()]
