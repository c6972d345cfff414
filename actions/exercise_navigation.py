"""Moving around an exercise the way people ask: back, harder, how many, stop, the list.

"ok" during an exercise also counts as "next" (`ActionAcknowledge`). Exercise
texts are in the person's language; step numbers are understood in English and German.
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import exercise_messages as messages
from actions.conversation import exercise_blocked, latest_text, slot_value
from actions.exercises import (
    ActionNextStep,
    ActionRepeatStep,
    ExerciseAction,
    current_exercise,
    start_exercise,
    suitable,
)
from bot.languages import language_of


def _counted(words: str) -> Dict[str, int]:
    """ "one two three" -> {"one": 1, "two": 2, "three": 3}; "fünf/fuenf" gives both spellings 5."""
    return {spelling: number for number, word in enumerate(words.split(), 1) for spelling in word.split("/")}


# "step 2", "step two", "Schritt 2", "Schritt Nummer zwei" ...
_NUMBERS = {
    **_counted("one two three four five six seven eight nine ten"),
    **_counted("eins zwei drei vier fünf/fuenf/funf sechs sieben acht neun zehn"),
}
# ... and "the second step", "2nd step", "den zweiten Schritt", "2. Schritt" (German
# ordinals are stems: they take an ending, ersten, zweiter, dritte).
_ORDINALS = {
    **_counted("first second third fourth fifth sixth seventh eighth ninth tenth"),
    **_counted("erst zweit dritt viert fünft/fuenft/funft sechst siebt/siebent acht neunt zehnt"),
}
_STEP_WORD = r"\b(?:step|schritt)"
_STEP_AFTER = re.compile(
    _STEP_WORD + r"\s*(?:number|no\.?|nr\.?|nummer)?\s*(\d{1,2}|" + "|".join(_NUMBERS) + r")\b",
    re.IGNORECASE,
)
# German ordinals take an ending (ersten, zweiter, dritte); "acht" + "en" is "achten".
_STEP_BEFORE = re.compile(
    r"\b(\d{1,2})(?:\.|st|nd|rd|th)\s*"
    + _STEP_WORD
    + r"|\b("
    + "|".join(_ORDINALS)
    + r")(?:e[nmrs]?)?\s+"
    + _STEP_WORD,
    re.IGNORECASE,
)


def step_asked_for(text: Text) -> Optional[int]:
    """The step number in "what was step 2 again?" or "was war nochmal Schritt zwei?", or None."""
    after = _STEP_AFTER.search(text)
    if after:
        value = after.group(1).lower()
        return int(value) if value.isdigit() else _NUMBERS[value]
    before = _STEP_BEFORE.search(text)
    if before:
        digits, word = before.groups()
        return int(digits) if digits else _ORDINALS[word.lower()]
    return None


class ActionPreviousStep(ExerciseAction):
    """The step before this one, or the step the person names ("what was step 2?")."""

    def name(self) -> Text:
        return "action_previous_step"

    def respond(self, dispatcher, tracker, library, stage) -> List[EventType]:
        exercise = current_exercise(tracker, library)
        if exercise is None:
            return ActionNextStep().respond(dispatcher, tracker, library, stage)
        current = int(slot_value(tracker, "current_step", 1))
        wanted = step_asked_for(latest_text(tracker)) or current - 1
        if wanted < 1:
            dispatcher.utter_message(response="utter_exercise_first_step")
            wanted = 1
        wanted = min(wanted, len(exercise.steps))
        messages.show_step(dispatcher, exercise, wanted)
        return [SlotSet("current_step", float(wanted))]


class ActionHarderVariant(ExerciseAction):
    def name(self) -> Text:
        return "action_harder_variant"

    def respond(self, dispatcher, tracker, library, stage) -> List[EventType]:
        exercise = current_exercise(tracker, library)
        if exercise is None:
            return ActionNextStep().respond(dispatcher, tracker, library, stage)
        library.record_feedback(tracker.sender_id, exercise.slug, "harder_requested")
        harder = library.get(exercise.harder, language_of(tracker)) if exercise.harder else None
        allowed = {item.slug for item in suitable(tracker, library, stage)}
        if harder is None or harder.slug not in allowed:
            dispatcher.utter_message(response="utter_exercise_already_hardest", name=exercise.name)
            return []
        dispatcher.utter_message(response="utter_exercise_harder", name=harder.name)
        return start_exercise(dispatcher, tracker, harder)


class ActionExerciseDose(ExerciseAction):
    """How many, how long, how often: the current exercise's dose."""

    def name(self) -> Text:
        return "action_exercise_dose"

    def respond(self, dispatcher, tracker, library, stage) -> List[EventType]:
        exercise = current_exercise(tracker, library)
        if exercise is None:
            dispatcher.utter_message(response="utter_faq/how_often")
            return []
        dispatcher.utter_message(response="utter_exercise_dose", name=exercise.name, dose=exercise.dose)
        return []


class ActionStopExercise(ExerciseAction):
    def name(self) -> Text:
        return "action_stop_exercise"

    def respond(self, dispatcher, tracker, library, stage) -> List[EventType]:
        exercise = current_exercise(tracker, library)
        if exercise is None:
            dispatcher.utter_message(response="utter_anything_else")
            return []
        dispatcher.utter_message(response="utter_exercise_stopped", name=exercise.name)
        return [SlotSet("current_exercise", None), SlotSet("current_step", None)]


class ActionBackToList(ExerciseAction):
    """ "Go back": the list of exercises for the stage, with a button for each."""

    def name(self) -> Text:
        return "action_back_to_list"

    def respond(self, dispatcher, tracker, library, stage) -> List[EventType]:
        exercises = suitable(tracker, library, stage)
        # Exercise names come from the exercise data, like everything else shown of them.
        buttons = [
            {"title": item.name, "payload": f'/ask_exercise{{"exercise": "{item.slug}"}}'}
            for item in exercises
        ]
        dispatcher.utter_message(
            response="utter_exercise_list_again", exercises=messages.exercise_list(exercises), buttons=buttons
        )
        return [SlotSet("current_exercise", None), SlotSet("current_step", None)]


def last_bot_utterance(tracker: Tracker) -> Optional[Text]:
    """The response name of the bot's latest message, as Rasa records it."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action")
    return None


class ActionAcknowledge(Action):
    """ "Ok", "yes" outside a question: the next step of an exercise under way, else what next."""

    def name(self) -> Text:
        return "action_acknowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if exercise_blocked(tracker):
            dispatcher.utter_message(response="utter_urgent_reminder")
            return []
        if tracker.get_slot("current_exercise") and tracker.get_slot("current_step"):
            if last_bot_utterance(tracker) == "utter_back_to_exercise":
                # "Yes" to "Shall we go back to step 3?" is step 3 again, not step 4.
                return await ActionRepeatStep().run(dispatcher, tracker, domain)
            return await ActionNextStep().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_anything_else")
        return []
