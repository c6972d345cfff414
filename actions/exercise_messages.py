"""How an exercise is shown in the chat, one step at a time."""

from __future__ import annotations

from typing import Dict, List, Sequence, Text

from bot.knowledge import ExerciseView
from bot.web import image_url

STEP_BUTTONS: List[Dict[Text, Text]] = [
    {"title": "Next step", "payload": "/next_step"},
    {"title": "Repeat", "payload": "/repeat_step"},
    {"title": "Easier, please", "payload": "/easier_variant"},
    {"title": "It hurts", "payload": "/it_hurts"},
]
FINISHED_BUTTONS: List[Dict[Text, Text]] = [
    {"title": "Another exercise", "payload": "/another_exercise"},
    {"title": "I'm done", "payload": "/goodbye"},
]


def exercise_list(exercises: Sequence[ExerciseView]) -> Text:
    return "\n".join(f"{number}. {item.name}" for number, item in enumerate(exercises, 1))


def introduction(exercise: ExerciseView) -> Text:
    return (
        f"**{exercise.name}** ({exercise.position})\n"
        f"What it is for: {exercise.purpose}\n"
        f"How much: {exercise.dose}\n"
        "I'll guide you one step at a time. Stop at once if it hurts."
    )


def position_image(exercise: ExerciseView) -> Text:
    """An illustration of the starting position, served with the chat page."""
    return image_url(f"position-{exercise.position}.png")


def step(exercise: ExerciseView, number: int) -> Text:
    total = len(exercise.steps)
    return f"Step {number} of {total}: {exercise.steps[number - 1]}"


def finished(exercise: ExerciseView) -> Text:
    cautions = "\n".join(f"- {caution}" for caution in exercise.cautions)
    return (
        f"That's the whole of **{exercise.name}**. Repeat it: {exercise.dose}.\n"
        f"Stop when:\n{cautions}"
    )
