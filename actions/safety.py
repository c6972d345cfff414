"""Triage, warning signs at any point, a doctor's all-clear, and unclear messages."""

from __future__ import annotations

import logging
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.care_record import record_today
from actions.conversation import exercise_blocked, findings, latest_text, red_flags, slot_list
from actions.library import warning_sign_records
from actions.warning_signs import advise, flag_events, remember, stop_everything
from bot.clinical import Triage, needs_gp_for_age, triage
from bot.knowledge import DatabaseUnavailable
from bot.languages import language_of
from bot.parsing import mentions_back_pain, parse_duration_weeks, parse_pain_level
from bot.safety import flags

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
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        flags = red_flags(tracker)
        stage = triage(tracker.get_slot("pain_level"), tracker.get_slot("pain_duration_weeks"), flags)
        if stage is None:
            # Only reachable if the form ended without its answers.
            dispatcher.utter_message(response="utter_default")
            return []
        if stage is Triage.URGENT:
            advise(dispatcher, flags, language_of(tracker))
            remember(tracker.sender_id, flags)
            record_today(tracker, signs_reported=True, stage=stage.value)
            return flag_events(tracker, [])
        events: List[EventType] = [SlotSet("triage", stage.value), SlotSet("safety_check", None)]
        previous = tracker.get_slot("triage")
        if previous != stage.value or tracker.get_slot("returning"):
            record_today(tracker, signs_reported=False, stage=stage.value)
        if previous == stage.value:
            # Asked again (a possible sign answered "no", a corrected answer): the
            # advice stands, so it is not repeated in full.
            answered_a_question = tracker.get_slot("safety_check") == ASK
            dispatcher.utter_message(
                response="utter_screening_all_clear" if answered_a_question else "utter_stage_unchanged"
            )
            return events
        if previous is not None:
            dispatcher.utter_message(response="utter_stage_changed")
        if tracker.get_slot("flare_up"):
            dispatcher.utter_message(response="utter_advice_flare_up")
        dispatcher.utter_message(response=STAGE_ADVICE[stage])
        for response in personal_advice(tracker):
            dispatcher.utter_message(response=response)
        return events


def personal_advice(tracker: Tracker) -> List[Text]:
    """What the person told about themselves adds to the stage's advice."""
    responses = []
    if tracker.get_slot("leg_pain") == "below_knee":
        responses.append("utter_advice_sciatica")
    if "pregnancy" in slot_list(tracker, "conditions"):
        responses.append("utter_advice_pregnancy")
    if needs_gp_for_age(tracker.get_slot("age")):
        responses.append("utter_advice_gp_for_age")
    return responses


class ActionRedFlagAlert(Action):
    """A warning sign stops everything; a possible one is asked about first.

    Sets `safety_check` to "alert" (urgent advice given, everything stopped) or
    "ask" (the assessment form asks the sign's question before anything else).
    """

    def name(self) -> Text:
        return "action_red_flag_alert"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        found = findings(tracker)
        known = red_flags(tracker)
        if found.signs:
            advise(dispatcher, list(dict.fromkeys([*found.signs, *known])), language_of(tracker))
            remember(tracker.sender_id, found.signs)
            record_today(tracker, signs_reported=True, stage=Triage.URGENT.value)
            return [*flag_events(tracker, found.signs), *stop_everything(), SlotSet("safety_check", ALERT)]
        if known:
            # Already sent to a doctor: no more questions, the same advice.
            dispatcher.utter_message(response="utter_urgent_reminder")
            return [*stop_everything(), SlotSet("safety_check", ALERT)]
        answered = set(slot_list(tracker, "screening_done"))
        queue = slot_list(tracker, "screening_queue")
        possible = [
            code for code in dict.fromkeys([*found.questions, *found.mentions]) if code not in answered
        ]
        # The assessment form asks the question: it starts afresh from here, and
        # skips whatever is already answered.
        events: List[EventType] = [SlotSet("safety_check", ASK), ActiveLoop(None)]
        if possible:
            events += [
                SlotSet("screening_queue", [*queue, *(code for code in possible if code not in queue)]),
                SlotSet("red_flags_screened", None),
            ]
        return events


def describes_pain(text: Text) -> bool:
    """A pain level, a duration or back pain: enough to start the assessment."""
    return bool(parse_pain_level(text)) or parse_duration_weeks(text) is not None or mentions_back_pain(text)


class ActionRecheckWarningSign(Action):
    """ "What warning sign? I said none": ask about the signs of this session again.

    Signs remembered from an earlier session stay until a doctor has checked
    the person. Each disputed sign is withdrawn and its own question (or its
    screening group's) is asked before anything else; a "yes" flags it again.
    """

    def name(self) -> Text:
        return "action_recheck_warning_sign"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        remembered = set(slot_list(tracker, "remembered_flags"))
        disputed = [code for code in red_flags(tracker) if code not in remembered]
        if not red_flags(tracker):
            # Nothing to take back: "no fever, no numbness, just a sore back" describes the pain.
            if describes_pain(latest_text(tracker)):
                return [FollowupAction("assessment_form")]
            dispatcher.utter_message(response="utter_anything_else")
            return []
        if not disputed:
            dispatcher.utter_message(response="utter_urgent_reminder")
            return [SlotSet("safety_check", ALERT), ActiveLoop(None)]
        try:
            warning_sign_records().withdraw(tracker.sender_id, disputed)
        except DatabaseUnavailable:
            logger.exception("Could not withdraw a disputed warning sign")
        questions = [flags.question_code(code) for code in disputed]
        kept = [code for code in red_flags(tracker) if code in remembered]
        done = [code for code in slot_list(tracker, "screening_done") if code not in questions]
        dispatcher.utter_message(response="utter_recheck_warning_sign")
        return [
            SlotSet("red_flags", kept),
            SlotSet("red_flag_urgency", None),
            SlotSet("triage", None),
            SlotSet("screening_queue", list(dict.fromkeys(questions))),
            SlotSet("screening_done", done),
            SlotSet("screening_unsure", []),
            SlotSet("red_flags_screened", None),
            SlotSet("safety_check", ASK),
            ActiveLoop(None),
        ]


class ActionDoctorChecked(Action):
    """The person says a doctor has checked them: the warning signs are lifted."""

    def name(self) -> Text:
        return "action_doctor_checked"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
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
    understand" with what the bot can do. After urgent advice an unclear
    message is most likely about going ("hospital now or wait for my GP?"): it
    gets the urgency again, in calm words, never a fallback.
    """

    def name(self) -> Text:
        return "action_unclear_message"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if exercise_blocked(tracker):
            dispatcher.utter_message(response="utter_urgent_follow_up")
            return []
        if describes_pain(latest_text(tracker)):
            return [FollowupAction("assessment_form")]
        dispatcher.utter_message(response="utter_default")
        return []
