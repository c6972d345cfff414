"""How an exercise is shown in the chat, one step at a time.

The frames of the messages are domain responses; what fills them (names,
steps, doses, cautions) comes from the exercise database.
"""

from __future__ import annotations

from typing import Collection, Sequence, Text

from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge import Exercise
from bot.web import image_url


def exercise_list(exercises: Sequence[Exercise]) -> Text:
    return "\n".join(f"{number}. {item.name}" for number, item in enumerate(exercises, 1))


def exercise_image(exercise: Exercise) -> Text:
    """The exercise's own illustration (its starting position), served with the chat page."""
    return image_url(f"exercise-{exercise.slug}.png")


def show_introduction(dispatcher: CollectingDispatcher, exercise: Exercise) -> None:
    dispatcher.utter_message(
        response="utter_exercise_intro",
        image=exercise_image(exercise),
        name=exercise.name,
        position=exercise.position_name,
        purpose=exercise.purpose,
        dose=exercise.dose,
    )


def show_step(dispatcher: CollectingDispatcher, exercise: Exercise, number: int) -> None:
    dispatcher.utter_message(
        response="utter_exercise_step",
        number=number,
        total=len(exercise.steps),
        step=exercise.steps[number - 1],
    )


def show_finished(dispatcher: CollectingDispatcher, exercise: Exercise, conditions: Collection[str]) -> None:
    cautions = "\n".join(f"- {caution}" for caution in exercise.cautions_for(conditions))
    dispatcher.utter_message(
        response="utter_exercise_finished", name=exercise.name, dose=exercise.dose, cautions=cautions
    )
