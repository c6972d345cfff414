"""Exercise guidance: recommend for the stage, then walk through one exercise.

Every exercise text comes from the database, in the person's language (the
`language` slot; English when unset). Each action first checks the safety
gate: no exercise content at all once a warning sign was mentioned.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import exercise_messages as messages
from actions.care_plan import apply_plan
from actions.conversation import exercise_blocked, red_flags, slot_list, slot_value, triage_stage
from actions.library import exercise_library
from bot import clock
from bot.clinical import Triage
from bot.knowledge import DatabaseUnavailable, Exercise, ExerciseRepository
from bot.languages import language_of
from bot.safety import flags

logger = logging.getLogger(__name__)


class ExerciseAction(Action, ABC):
    """Shared safety gate and error handling for the exercise actions."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if exercise_blocked(tracker):
            dispatcher.utter_message(
                response="utter_urgent_no_exercises",
                signs=flags.names(red_flags(tracker), language_of(tracker))
                or flags.UNKNOWN_NAMES[language_of(tracker)],
            )
            return []
        stage = triage_stage(tracker)
        if stage is None:
            dispatcher.utter_message(response="utter_exercise_needs_assessment")
            return []
        try:
            return self.respond(dispatcher, tracker, exercise_library(), stage)
        except DatabaseUnavailable:
            logger.exception("Exercise database unavailable in %s", self.name())
            dispatcher.utter_message(response="utter_library_down")
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


# Leg pain that may be sciatica: the nerve-stretching exercises get their caution.
SCIATICA_LEG_PAIN = {"below_knee", "one_leg"}


def conditions(tracker: Tracker) -> List[Text]:
    """Conditions that rule exercises out or add cautions (pregnancy, osteoporosis, sciatica)."""
    found = slot_list(tracker, "conditions")
    if tracker.get_slot("leg_pain") in SCIATICA_LEG_PAIN:
        found.append("sciatica")
    return found


def start_exercise(dispatcher: CollectingDispatcher, tracker: Tracker, exercise: Exercise) -> List[EventType]:
    """Shows an exercise's introduction and its first step."""
    messages.show_introduction(dispatcher, exercise)
    messages.show_step(dispatcher, exercise, 1)
    return [SlotSet("current_exercise", exercise.slug), SlotSet("current_step", 1.0)]


def current_exercise(tracker: Tracker, library: ExerciseRepository) -> Optional[Exercise]:
    slug = tracker.get_slot("current_exercise")
    return library.get(slug, language_of(tracker)) if slug else None


def pain_level(tracker: Tracker) -> Optional[float]:
    return tracker.get_slot("pain_level")


def done_list(tracker: Tracker) -> List[Text]:
    return slot_list(tracker, "exercises_done")


def not_again(tracker: Tracker) -> List[Text]:
    """Exercises not to offer now: those done, and those that hurt in this session."""
    return list(dict.fromkeys([*done_list(tracker), *slot_list(tracker, "exercises_hurt")]))


def suitable(tracker: Tracker, library: ExerciseRepository, stage: Triage) -> List[Exercise]:
    return library.for_stage(stage.value, pain_level(tracker), conditions(tracker), language_of(tracker))


def offer_next(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    library: ExerciseRepository,
    stage: Triage,
    exclude: List[Text],
) -> List[EventType]:
    """Starts the next exercise of the stage that the person has not done yet."""
    upcoming = library.next_for_stage(
        stage.value,
        pain_level(tracker),
        exclude=exclude,
        conditions=conditions(tracker),
        language=language_of(tracker),
    )
    if upcoming is None:
        dispatcher.utter_message(response="utter_exercises_all_done")
        return [SlotSet("current_exercise", None), SlotSet("current_step", None)]
    return start_exercise(dispatcher, tracker, upcoming)


def gentler_than_what_hurt(
    tracker: Tracker, library: ExerciseRepository, stage: Triage, exclude: List[Text]
) -> Optional[Exercise]:
    """The easier variant of the exercise that just hurt, if it suits and has not hurt too."""
    hurt = slot_list(tracker, "exercises_hurt")
    easier = library.easier_variant(hurt[-1], language_of(tracker)) if hurt else None
    if easier is None or easier.slug in exclude or not easier.suits(stage.value, None, conditions(tracker)):
        return None
    return easier


class ActionOfferExercises(ExerciseAction):
    """After triage: lists the stage's exercises and starts the first one.

    If an exercise is already under way (the person answered a safety question
    in the middle of it), it carries on where it was.
    """

    def name(self) -> Text:
        return "action_offer_exercises"

    def respond(self, dispatcher, tracker, library, stage) -> List[EventType]:
        exercises = suitable(tracker, library, stage)
        under_way = current_exercise(tracker, library)
        if under_way is not None and any(item.slug == under_way.slug for item in exercises):
            dispatcher.utter_message(response="utter_exercise_resume", name=under_way.name)
            messages.show_step(dispatcher, under_way, max(1, int(slot_value(tracker, "current_step", 1))))
            return []
        if not exercises:
            dispatcher.utter_message(response="utter_library_down")
            return []
        returning = bool(tracker.get_slot("returning"))
        plan = apply_plan(
            dispatcher,
            tracker.sender_id,
            library,
            stage.value,
            exercises,
            announce=returning,
            now=clock.now(),
            language=language_of(tracker),
        )
        leave_out = plan.leave_out
        exercises = [item for item in exercises if item.slug not in leave_out] or exercises
        allowed = exercises
        if returning and plan.session_size:
            # A returning person gets this week's session: its size, the planned exercise first.
            ordered = (
                [plan.first, *(item for item in exercises if item != plan.first)] if plan.first else exercises
            )
            exercises = ordered[: plan.session_size]
        wanted = library.find(tracker.get_slot("requested_exercise"), language_of(tracker))
        first = plan.first or exercises[0]
        if wanted is not None and any(item.slug == wanted.slug for item in allowed):
            first = wanted
        elif wanted is not None:
            dispatcher.utter_message(response="utter_exercise_not_for_stage", name=wanted.name)
        dispatcher.utter_message(
            response="utter_exercise_list", exercises=messages.exercise_list(exercises), first=first.name
        )
        hurt = list(dict.fromkeys([*slot_list(tracker, "exercises_hurt"), *leave_out]))
        return [
            SlotSet("requested_exercise", None),
            SlotSet("exercises_done", []),
            *([SlotSet("exercises_hurt", hurt)] if leave_out else []),
            *start_exercise(dispatcher, tracker, first),
        ]


class ActionShowExercise(ExerciseAction):
    """Shows the exercise the person asked for, if it suits their stage."""

    def name(self) -> Text:
        return "action_show_exercise"

    def respond(self, dispatcher, tracker, library, stage) -> List[EventType]:
        wanted = library.find(tracker.get_slot("requested_exercise"), language_of(tracker))
        events: List[EventType] = [SlotSet("requested_exercise", None)]
        if wanted is None:
            return events + offer_next(dispatcher, tracker, library, stage, not_again(tracker))
        if wanted.slug not in {item.slug for item in suitable(tracker, library, stage)}:
            dispatcher.utter_message(response="utter_exercise_not_for_stage_offer_other", name=wanted.name)
            return events + offer_next(dispatcher, tracker, library, stage, not_again(tracker))
        return events + start_exercise(dispatcher, tracker, wanted)


class ActionNextStep(ExerciseAction):
    def name(self) -> Text:
        return "action_next_step"

    def respond(self, dispatcher, tracker, library, stage) -> List[EventType]:
        exercise = current_exercise(tracker, library)
        if exercise is None:
            return offer_next(dispatcher, tracker, library, stage, not_again(tracker))
        number = int(slot_value(tracker, "current_step", 0)) + 1
        if number <= len(exercise.steps):
            messages.show_step(dispatcher, exercise, number)
            return [SlotSet("current_step", float(number))]
        messages.show_finished(dispatcher, exercise, conditions(tracker))
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
            return offer_next(dispatcher, tracker, library, stage, not_again(tracker))
        messages.show_step(dispatcher, exercise, max(1, int(slot_value(tracker, "current_step", 1))))
        return []


class ActionEasierVariant(ExerciseAction):
    def name(self) -> Text:
        return "action_easier_variant"

    def respond(self, dispatcher, tracker, library, stage) -> List[EventType]:
        exercise = current_exercise(tracker, library)
        if exercise is None:
            return offer_next(dispatcher, tracker, library, stage, not_again(tracker))
        library.record_feedback(tracker.sender_id, exercise.slug, "easier_requested")
        easier = library.easier_variant(exercise.slug, language_of(tracker))
        # A gentler variant may suit a lower pain band than the person's: the stage and conditions decide.
        if easier is None or not easier.suits(stage.value, None, conditions(tracker)):
            dispatcher.utter_message(response="utter_exercise_already_gentlest", name=exercise.name)
            return []
        dispatcher.utter_message(response="utter_exercise_gentler", name=easier.name)
        return start_exercise(dispatcher, tracker, easier)


class ActionAnotherExercise(ExerciseAction):
    def name(self) -> Text:
        return "action_another_exercise"

    def respond(self, dispatcher, tracker, library, stage) -> List[EventType]:
        current = tracker.get_slot("current_exercise")
        exclude = [*not_again(tracker), current] if current else not_again(tracker)
        gentler = gentler_than_what_hurt(tracker, library, stage, exclude) if not current else None
        if gentler is not None:
            dispatcher.utter_message(response="utter_exercise_gentler", name=gentler.name)
            return start_exercise(dispatcher, tracker, gentler)
        events = offer_next(dispatcher, tracker, library, stage, exclude)
        if current:
            events.insert(0, SlotSet("exercises_done", list(dict.fromkeys([*done_list(tracker), current]))))
        return events


class ActionExerciseHurts(ExerciseAction):
    """Pain during an exercise: stop, reassure, offer a different gentler one or rest.

    The exercise that hurt is not offered again in this session.
    """

    def name(self) -> Text:
        return "action_exercise_hurts"

    def respond(self, dispatcher, tracker, library, stage) -> List[EventType]:
        exercise = current_exercise(tracker, library)
        dispatcher.utter_message(response="utter_exercise_hurts_stop")
        events: List[EventType] = [SlotSet("current_exercise", None), SlotSet("current_step", None)]
        if exercise is None:
            dispatcher.utter_message(response="utter_exercise_hurts_rest")
            return events
        library.record_feedback(tracker.sender_id, exercise.slug, "hurt")
        hurt = list(dict.fromkeys([*slot_list(tracker, "exercises_hurt"), exercise.slug]))
        others = [item for item in suitable(tracker, library, stage) if item.slug not in hurt]
        dispatcher.utter_message(
            response="utter_exercise_hurts_offer_easier" if others else "utter_exercise_hurts_rest"
        )
        return [*events, SlotSet("exercises_hurt", hurt)]
