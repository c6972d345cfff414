"""The warning-sign screening: short yes / no / not sure questions from data/red_flags.yml.

Everyone answers the screening groups before any exercise. A sign heard in
passing ("I can hardly walk") is asked about first, on its own. "Not sure" is
never a "no": the bot explains what to look for and asks again; still not
sure means a doctor's check before any exercise. Questions and explanations
are in the person's language; answers are read in English and German alike
("nein", "ja, ein bisschen", "weiß nicht", "nur Schmerzen").
"""

from __future__ import annotations

import re
from typing import List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import red_flags, slot_list
from bot.languages import language_of
from bot.safety import Question, normalise, safety_table
from bot.safety.flags import unsure_code

YES, NO, UNSURE = "yes", "no", "unsure"
# The answer is read in its normalised form: umlauts spelled out ("weiß" reads
# "weiss", "nö" reads "noe"), as bot.safety.normalise writes them.
_UNSURE = re.compile(
    r"\b(?:not (?:sure|certain|too sure)|unsure|dont know|do not know|dunno|no idea|maybe|possibly|perhaps|"
    r"cant tell|cannot tell|hard to say|idk|might be|could be|"
    r"weiss (?:ich |es |ich es )?(?:nicht|nich)|weis nicht|keine ahnung|nicht (?:so |ganz )?sicher|unsicher|"
    r"vielleicht|eventuell|evtl|moeglicherweise|kann sein|koennte sein|schwer zu sagen|jein|"
    r"kann ich (?:nicht|nich) (?:sagen|beurteilen)|(?:nicht|nie) (?:so )?(?:drauf|darauf) geachtet)\b|🤷"
)
_GERMAN_FILLER = r"(?:(?:naja|na ja|aeh+m?|tja|hm+ naja)[ ,]+)?"
_YES = re.compile(
    r"^(?:yes|yeah|yep|yup|ya|yea|y|aye|i do|i have|i did|i am|one of them|some of them|a bit|a little|"
    r"kind of|sort of|i think so|correct|true)\b|"
    rf"^{_GERMAN_FILLER}(?:ja|jap|jo|jep|jawohl|genau|stimmt|leider ja|leider schon|schon|doch|klar|"
    r"ein bisschen|ein wenig|bisschen|etwas|ich glaube schon|glaub schon|glaube schon|trifft zu|"
    r"hab ich|habe ich|bin ich|tut es|ist so)\b|^(?:👍|✅)"
)
_NO = re.compile(
    r"^(?:no|nope|nah|n|none|nothing|not really|not at all|i dont|i do not|i havent|i have not|neither|never|"
    r"none of (?:them|those|these|that))\b|"
    rf"^{_GERMAN_FILLER}(?:nein|nee|ne|noe|nix|nichts|keine|keins|keinen|nicht|gar nicht|ueberhaupt nicht|"
    r"eher nicht|auf keinen fall|niemals|nie|nichts davon|keins davon|keines davon)\b|^(?:👎|❌)"
)
ANSWER_INTENTS = {"affirm": YES, "deny": NO, "unsure": UNSURE}


def current_question(tracker: Tracker) -> Optional[Question]:
    """The question to ask now: a queued one first, then the next group not yet answered."""
    table = safety_table()
    for code in slot_list(tracker, "screening_queue"):
        question = table.question(code)
        if question is not None:
            return question
    done = set(slot_list(tracker, "screening_done"))
    return next((group for group in table.screening if group.code not in done), None)


def read_answer(question: Question, intent: Optional[Text], text: Text) -> Optional[str]:
    """ "yes", "no" or "unsure" for an answer to `question`, or None if it says none of these."""
    said = normalise(text)
    if _UNSURE.search(said) or intent == "unsure":
        return UNSURE
    if any(pattern.search(said) for pattern in question.no):
        return NO
    if any(pattern.search(said) for pattern in question.yes):
        return YES
    if intent in ANSWER_INTENTS:
        return ANSWER_INTENTS[intent]
    if _NO.search(said):
        return NO
    if _YES.search(said):
        return YES
    return None


def screening_complete(done: List[Text], queue: List[Text]) -> bool:
    """True when nothing is queued and every screening group was answered "no"."""
    return not queue and all(group.code in done for group in safety_table().screening)


def answer_events(
    dispatcher: CollectingDispatcher, tracker: Tracker, intent: Optional[Text], text: Text, interrupting: bool
) -> List[EventType]:
    """Slot events for the person's answer to the current screening question.

    An unreadable answer is asked again, unless the message is something the
    rules answer on their own (`interrupting`): then nothing is read from it.
    """
    question = current_question(tracker)
    if question is None:
        return [SlotSet("red_flags_screened", True)]
    answer = read_answer(question, intent, text)
    queue = [code for code in slot_list(tracker, "screening_queue") if code != question.code]
    if answer == YES:
        flags = list(dict.fromkeys([*red_flags(tracker), question.code]))
        return [
            SlotSet("red_flags", flags),
            SlotSet("screening_queue", []),
            SlotSet("red_flags_screened", True),
        ]
    if answer == NO:
        done = list(dict.fromkeys([*slot_list(tracker, "screening_done"), question.code]))
        complete = screening_complete(done, queue)
        return [
            SlotSet("screening_queue", queue),
            SlotSet("screening_done", done),
            SlotSet("red_flags_screened", True if complete else None),
        ]
    if answer == UNSURE:
        unsure = slot_list(tracker, "screening_unsure")
        if question.code not in unsure:
            look_for = question.worded(language_of(tracker)).look_for
            dispatcher.utter_message(response="utter_screening_look_for", look_for=look_for)
            return [
                SlotSet("screening_unsure", [*unsure, question.code]),
                SlotSet("red_flags_screened", None),
            ]
        flags = list(dict.fromkeys([*red_flags(tracker), unsure_code(question.code)]))
        return [
            SlotSet("red_flags", flags),
            SlotSet("screening_queue", []),
            SlotSet("red_flags_screened", True),
        ]
    if interrupting:
        return []
    dispatcher.utter_message(response="utter_invalid_red_flags_screened")
    return [SlotSet("red_flags_screened", None)]


def question_events(tracker: Tracker) -> List[EventType]:
    """Slot events that put the current question into the form's ask response.

    Only what changed is set, so a conversation does not store the same text
    again and again.
    """
    question = current_question(tracker)
    if question is None:
        return []
    groups = [group.code for group in safety_table().screening]
    wanted = {
        "screening_kind": "group" if question.code in groups else "single",
        "screening_question": question.worded(language_of(tracker)).text,
        "screening_number": str(groups.index(question.code) + 1) if question.code in groups else None,
        "screening_total": str(len(groups)),
    }
    return [SlotSet(name, value) for name, value in wanted.items() if tracker.get_slot(name) != value]
