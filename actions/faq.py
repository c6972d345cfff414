"""Self-care questions, answered from the ResponseSelector's choice of topic.

The answers are the `utter_faq/<topic>` responses in the domain. A question in
the middle of an exercise does not lose the place: the answer offers the way
back to the step. A person with a warning sign is reminded that a doctor comes
first, whatever the answer says about activity. A question asked again in the
same session gets a one-sentence reminder (the answer's first sentence), not the
whole answer a second time. A statement about the person's own back before any
assessment ("woke with a stiff lower back") is not a question: it starts the
assessment, as it would had the classifier read it as a description of pain.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import exercise_blocked, latest_text, triage_stage
from actions.library import exercise_library
from actions.safety import describes_pain
from bot.knowledge import DatabaseUnavailable
from bot.languages import ENGLISH, LANGUAGE_SLOT, language_of

RETRIEVAL_INTENT = "faq"
ANSWERED_SLOT = "faq_answered"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Words that open a question, English and German ("was hilft", "darf ich").
QUESTION_WORDS = (
    "what|how|why|when|which|who|where|should|shall|can|could|would|will|is|are|am|do|does|did|"
    "may|might|must|any|anything|"
    "was|wie|warum|wieso|weshalb|wann|welche[rsmn]?|wer|wo|woher|soll|sollte|sollen|kann|könnte|koennte|darf|"
    "dürfte|muss|müsste|ist|sind|hilft|helfen|bringt|gibt|macht|lohnt"
)
# After a comma these are mostly statements ("..., ist ne 7").
_CLAUSE_QUESTION_WORDS = "|".join(
    word for word in QUESTION_WORDS.split("|") if word not in {"ist", "sind", "is", "are", "am"}
)
_SUBJECT = (
    r"(?:ich|es|das|man|sie|er|der|die|den|dem|ein\w*|mein\w*|so\w*|diese\w*|rücken\w*|kreuz\w*|bandscheib\w*"
    r"|hexenschuss|ischias)"
)
# German yes/no questions open with the verb ("heilt ein bandscheibenvorfall von alleine",
# "krieg ich das wieder"); "hab seit gestern rücken" (no subject) stays a statement.
_GERMAN_VERB_FIRST = (
    r"können|könnt|brauch\w*|heilt|lohnen|schadet|schaden|zahlt|reicht|stimmt|woran|wodurch|wozu|ab wann"
    r"|erklär\w*|tipps"
    r"|(?:hab|habe|hat|hatten?)\s+(?:ich|man)"
    rf"|(?:krieg\w*|bekomm\w*|tut|tun|geht|gehen|kommt|kommen|liegt|bleibt|wird|werde|werden|springt|heißt)\s+{_SUBJECT}"
)
QUESTION = re.compile(
    rf"\?|^\s*(?:{QUESTION_WORDS}|{_GERMAN_VERB_FIRST})\b(?!['’])"
    rf"|[,;:]\s*(?:{_CLAUSE_QUESTION_WORDS}|{_GERMAN_VERB_FIRST})\b(?!['’])"
    r"|(?:,|\s)(?:ja oder nein|was tun|geht das|lohnt sich das|bringt das was|sinnvoll|ok|okay)\s*$",
    re.IGNORECASE,
)


def states_own_pain(tracker: Tracker) -> bool:
    """A statement (not a question) describing back pain, before the person was assessed."""
    text = latest_text(tracker)
    return triage_stage(tracker) is None and not QUESTION.search(text) and describes_pain(text)


def chosen_topic(tracker: Tracker) -> Optional[Text]:
    """ "faq/heat_or_cold" as the ResponseSelector chose it for the latest message."""
    selector = (tracker.latest_message or {}).get("response_selector") or {}
    response = (selector.get(RETRIEVAL_INTENT) or selector.get("default") or {}).get("response") or {}
    return response.get("intent_response_key")


def _variation_language(variation: Dict[Text, Any]) -> Text:
    for condition in variation.get("condition") or []:
        if condition.get("name") == LANGUAGE_SLOT:
            return str(condition.get("value"))
    return ENGLISH


def first_sentence(domain: DomainDict, response_name: Text, language: Text = ENGLISH) -> Optional[Text]:
    """The opening sentence of a response's first text in `language`: the gist of a FAQ answer."""
    variations = (domain.get("responses") or {}).get(response_name) or []
    in_language = [variation for variation in variations if _variation_language(variation) == language]
    chosen = in_language or variations
    text = " ".join(str(chosen[0].get("text") or "").split()) if chosen else ""
    return SENTENCE_END.split(text, maxsplit=1)[0] or None


class ActionAnswerFaq(Action):
    def name(self) -> Text:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if states_own_pain(tracker) and not tracker.active_loop:
            return [FollowupAction("assessment_form")]
        topic = chosen_topic(tracker)
        if topic is None or f"utter_{topic}" not in (domain.get("responses") or {}):
            dispatcher.utter_message(response="utter_default")
            return []
        answered = list(tracker.get_slot(ANSWERED_SLOT) or [])
        gist = first_sentence(domain, f"utter_{topic}", language_of(tracker)) if topic in answered else None
        if gist:
            dispatcher.utter_message(response="utter_faq_repeat", gist=gist)
        else:
            dispatcher.utter_message(response=f"utter_{topic}")
        events: List[EventType] = [] if topic in answered else [SlotSet(ANSWERED_SLOT, answered + [topic])]
        if exercise_blocked(tracker):
            dispatcher.utter_message(response="utter_urgent_reminder")
            return events
        slug, step = tracker.get_slot("current_exercise"), tracker.get_slot("current_step")
        if slug and step:
            try:
                exercise = exercise_library().get(slug, language_of(tracker))
            except DatabaseUnavailable:
                exercise = None
            if exercise is not None:
                dispatcher.utter_message(
                    response="utter_back_to_exercise", name=exercise.name, step=int(step)
                )
        return events
