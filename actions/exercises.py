"""Exercise guidance: recommend for the stage, then walk through one exercise.

Every exercise text comes from the database. Each action first checks the
safety gate: no exercise content at all once a warning sign was mentioned.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import exercise_messages as messages
from actions.conversation import exercise_blocked, slot_value, triage_stage
from actions.library import exercise_library
from bot.clinical import Triage
from bot.knowledge import DatabaseUnavailable, ExerciseRepository, ExerciseView

logger = logging.getLogger(__name__)

ASSESS_BUTTON = [{"title": "Check my back pain", "payload": "/report_pain"}]
LIBRARY_DOWN = (
    "Sorry, I can't open the exercise library right now. Please try again in a "
    "few minutes. Until then, keep moving gently and avoid long bed rest."
)


class ExerciseAction(Action, ABC):
    """Shared safety gate and error handling for the exercise actions."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if exercise_blocked(tracker):
            dispatcher.utter_message(response="utter_urgent_no_exercises")
            return []
        stage = triage_stage(tracker)
        if stage is None:
            dispatcher.utter_message(response="utter_assess_first", buttons=ASSESS_BUTTON)
            return []
        try:
            return self.respond(dispatcher, tracker, exercise_library(), stage)
        except DatabaseUnavailable:
            logger.exception("Exercise database unavailable in %s", self.name())
            dispatcher.utter_message(text=LIBRARY_DOWN)
            return []

    @abstractmethod
    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        library: ExerciseRepository,
        stage: Triage,
    ) -> List[EventType]:
        """Replies for a person whose stage allows exercises."""


def start_exercise(
    dispatcher: CollectingDispatcher, tracker: Tracker, exercise: ExerciseView
) -> List[EventType]:
    """Shows an exercise's introduction and its first step."""
    dispatcher.utter_message(text=messages.introduction(exercise), image=messages.position_image(exercise))
    dispatcher.utter_message(text=messages.step(exercise, 1), buttons=messages.STEP_BUTTONS)
    return [SlotSet("current_exercise", exercise.slug), SlotSet("current_step", 1.0)]


def current_exercise(tracker: Tracker, library: ExerciseRepository) -> Optional[ExerciseView]:
    slug = tracker.get_slot("current_exercise")
    return library.get(slug) if slug else None


def pain_level(tracker: Tracker) -> Optional[float]:
    return tracker.get_slot("pain_level")


def done_list(tracker: Tracker) -> List[Text]:
    return list(slot_value(tracker, "exercises_done", []))


def offer_next(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    library: ExerciseRepository,
    stage: Triage,
    exclude: List[Text],
) -> List[EventType]:
    """Starts the next exercise of the stage that the person has not done yet."""
    upcoming = library.next_for_stage(stage.value, pain_level(tracker), exclude=exclude)
    if upcoming is None:
        dispatcher.utter_message(
            text="That's all the exercises for your stage today. Well done! Rest a little, and come back tomorrow."
        )
        return [SlotSet("current_exercise", None), SlotSet("current_step", None)]
    return start_exercise(dispatcher, tracker, upcoming)


class ActionOfferExercises(ExerciseAction):
    """After triage: lists the stage's exercises and starts the first one."""

    def name(self) -> Text:
        return "action_offer_exercises"

    def respond(self, dispatcher, tracker, library, stage) -> List[EventType]:
        exercises = library.for_stage(stage.value, pain_level(tracker))
        if not exercises:
            dispatcher.utter_message(text=LIBRARY_DOWN)
            return []
        wanted = library.get(tracker.get_slot("requested_exercise") or "")
        first = exercises[0]
        if wanted is not None and any(item.slug == wanted.slug for item in exercises):
            first = wanted
        elif wanted is not None:
            dispatcher.utter_message(
                text=f"{wanted.name} isn't right for you at this stage, so let's leave it for later."
            )
        dispatcher.utter_message(
            text=f"These suit you now:\n{messages.exercise_list(exercises)}\nLet's start with {first.name}."
        )
        return [
            SlotSet("requested_exercise", None),
            SlotSet("exercises_done", []),
            *start_exercise(dispatcher, tracker, first),
        ]


class ActionShowExercise(ExerciseAction):
    """Shows the exercise the person asked for, if it suits their stage."""

    def name(self) -> Text:
        return "action_show_exercise"

    def respond(self, dispatcher, tracker, library, stage) -> List[EventType]:
        slug = tracker.get_slot("requested_exercise")
        wanted = library.get(slug) if slug else None
        events: List[EventType] = [SlotSet("requested_exercise", None)]
        if wanted is None:
            return events + offer_next(dispatcher, tracker, library, stage, done_list(tracker))
        suitable = {item.slug for item in library.for_stage(stage.value, pain_level(tracker))}
        if wanted.slug not in suitable:
            dispatcher.utter_message(
                text=f"{wanted.name} isn't right for you at this stage. Here is one that is."
            )
            return events + offer_next(dispatcher, tracker, library, stage, done_list(tracker))
        return events + start_exercise(dispatcher, tracker, wanted)


class ActionNextStep(ExerciseAction):
    def name(self) -> Text:
        return "action_next_step"

    def respond(self, dispatcher, tracker, library, stage) -> List[EventType]:
        exercise = current_exercise(tracker, library)
        if exercise is None:
            return offer_next(dispatcher, tracker, library, stage, done_list(tracker))
        number = int(slot_value(tracker, "current_step", 0)) + 1
        if number <= len(exercise.steps):
            dispatcher.utter_message(
                text=messages.step(exercise, number), buttons=messages.STEP_BUTTONS
            )
            return [SlotSet("current_step", float(number))]
        dispatcher.utter_message(
            text=messages.finished(exercise), buttons=messages.FINISHED_BUTTONS
        )
        library.record_feedback(tracker.sender_id, exercise.slug, "completed")
        done = list(dict.fromkeys([*done_list(tracker), exercise.slug]))
        return [
            SlotSet("exercises_done", done),
            SlotSet("current_exercise", None),
            SlotSet("current_step", None),
        ]


class ActionRepeatStep(ExerciseAction):
    def name(self) -> Text:
        return "action_repeat_step"

    def respond(self, dispatcher, tracker, library, stage) -> List[EventType]:
        exercise = current_exercise(tracker, library)
        if exercise is None:
            return offer_next(dispatcher, tracker, library, stage, done_list(tracker))
        number = max(1, int(slot_value(tracker, "current_step", 1)))
        dispatcher.utter_message(text=messages.step(exercise, number), buttons=messages.STEP_BUTTONS)
        return []


class ActionEasierVariant(ExerciseAction):
    def name(self) -> Text:
        return "action_easier_variant"

    def respond(self, dispatcher, tracker, library, stage) -> List[EventType]:
        exercise = current_exercise(tracker, library)
        if exercise is None:
            return offer_next(dispatcher, tracker, library, stage, done_list(tracker))
        library.record_feedback(tracker.sender_id, exercise.slug, "easier_requested")
        easier = library.easier_variant(exercise.slug)
        if easier is None:
            dispatcher.utter_message(
                text=(
                    f"{exercise.name} is already the gentlest version I have. Do fewer "
                    "repetitions, move less far, or simply rest and try again later."
                ),
                buttons=messages.FINISHED_BUTTONS,
            )
            return []
        dispatcher.utter_message(text=f"Let's try something gentler: {easier.name}.")
        return start_exercise(dispatcher, tracker, easier)


class ActionAnotherExercise(ExerciseAction):
    def name(self) -> Text:
        return "action_another_exercise"

    def respond(self, dispatcher, tracker, library, stage) -> List[EventType]:
        seen = done_list(tracker)
        current = tracker.get_slot("current_exercise")
        exclude = seen + [current] if current else seen
        events = offer_next(dispatcher, tracker, library, stage, exclude)
        if current:
            events.insert(0, SlotSet("exercises_done", list(dict.fromkeys(exclude))))
        return events


class ActionExerciseHurts(ExerciseAction):
    """Pain during an exercise: stop, reassure, offer something gentler or rest."""

    def name(self) -> Text:
        return "action_exercise_hurts"

    def respond(self, dispatcher, tracker, library, stage) -> List[EventType]:
        exercise = current_exercise(tracker, library)
        dispatcher.utter_message(
            text=(
                "Stop the exercise now and rest in a comfortable position. Some "
                "discomfort can happen when moving a sore back, and it usually settles."
            )
        )
        buttons = [{"title": "Rest for now", "payload": "/goodbye"}]
        if exercise is not None:
            library.record_feedback(tracker.sender_id, exercise.slug, "hurt")
            if library.easier_variant(exercise.slug) is not None:
                buttons.insert(0, {"title": "Try an easier one", "payload": "/easier_variant"})
        dispatcher.utter_message(
            text=(
                "If the pain keeps getting worse, spreads into a leg, or you notice "
                "numbness or weakness, please see a doctor. Would you like a gentler "
                "exercise, or rest for now?"
            ),
            buttons=buttons,
        )
        return [SlotSet("current_step", None)]
