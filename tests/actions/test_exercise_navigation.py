"""Moving around an exercise the way people ask (a real SQLite exercise database)."""

from __future__ import annotations

import pytest

from actions.exercise_navigation import (
    ActionAcknowledge,
    ActionBackToList,
    ActionExerciseDose,
    ActionHarderVariant,
    ActionPreviousStep,
    ActionStopExercise,
    step_asked_for,
)
from actions.exercises import ActionAnotherExercise, ActionExerciseHurts, ActionNextStep
from tests.actions.conftest import ACUTE_MODERATE as ACUTE
from tests.actions.conftest import EXERCISE_FILE, RECOVERY, make_tracker, run_action

SHOULDER_CIRCLE_STEPS = EXERCISE_FILE["shoulder_circles"]["steps"]


def under_way(slug: str, step: float, stage=ACUTE, **slots):
    return {**stage, "current_exercise": slug, "current_step": step, **slots}


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("what was step 2 again?", 2),
        ("step three please", 3),
        ("previous step", None),
        ("go back to the second step", 2),
        ("the 4th step again", 4),
        ("Step number 5", 5),
        ("was war nochmal Schritt 2?", 2),
        ("Schritt drei bitte", 3),
        ("noch mal den zweiten Schritt", 2),
        ("zurück zum ersten Schritt", 1),
        ("den 3. Schritt bitte", 3),
        ("Schritt Nr. 4", 4),
        ("schritt fünf", 5),
        ("einen Schritt zurück", None),
        ("Schritt zurück", None),
        ("ein Fortschritt 2 mal", None),
    ],
)
def test_the_step_asked_for(text: str, number) -> None:
    assert step_asked_for(text) == number


def test_previous_step_goes_back_one() -> None:
    result = run_action(
        ActionPreviousStep(),
        make_tracker("previous step", "previous_step", slots=under_way("shoulder_circles", 3.0)),
    )
    assert result.slots == {"current_step": 2} and f"Step 2 of {len(SHOULDER_CIRCLE_STEPS)}" in result.text


def test_a_named_step_is_shown() -> None:
    tracker = make_tracker(
        "what was step 2 again?", "previous_step", slots=under_way("shoulder_circles", 4.0)
    )
    result = run_action(ActionPreviousStep(), tracker)
    assert result.slots == {"current_step": 2}
    assert SHOULDER_CIRCLE_STEPS[1].strip() in result.text


def test_before_the_first_step_there_is_nothing() -> None:
    result = run_action(
        ActionPreviousStep(),
        make_tracker("previous", "previous_step", slots=under_way("shoulder_circles", 1.0)),
    )
    assert result.responses[0] == "utter_exercise_first_step"
    assert f"Step 1 of {len(SHOULDER_CIRCLE_STEPS)}" in result.text


def test_harder_uses_the_harder_variant() -> None:
    tracker = make_tracker("too easy", "harder_variant", slots=under_way("knee_to_chest", 2.0, RECOVERY))
    result = run_action(ActionHarderVariant(), tracker)
    assert result.slots["current_exercise"] == "hamstring_stretch" and result.slots["current_step"] == 1
    assert "more demanding" in result.text


def test_harder_never_goes_beyond_what_suits_the_stage() -> None:
    tracker = make_tracker("harder", "harder_variant", slots=under_way("package_seat_static", 2.0))
    result = run_action(ActionHarderVariant(), tracker)
    assert result.slots.get("current_exercise") in (None, "package_seat_dynamic")


def test_how_many_gives_the_dose_of_this_exercise() -> None:
    result = run_action(
        ActionExerciseDose(),
        make_tracker("how many times?", "ask_dose", slots=under_way("shoulder_circles", 2.0)),
    )
    assert result.text == "Shoulder circles: 10 circles backwards and 10 forwards."


def test_stop_ends_the_exercise_and_offers_another() -> None:
    result = run_action(
        ActionStopExercise(), make_tracker("stop", "stop_exercise", slots=under_way("shoulder_circles", 2.0))
    )
    assert result.slots == {"current_exercise": None, "current_step": None}
    assert "/another_exercise" in result.buttons


def test_go_back_shows_the_list_not_the_triage() -> None:
    result = run_action(
        ActionBackToList(),
        make_tracker(
            "go back",
            "back_to_list",
            slots=under_way("shoulder_circles", 2.0, exercises_done=["pelvic_tilt_seated"]),
        ),
    )
    assert "Shoulder circles" in result.text and "Package seat" in result.text
    assert '/ask_exercise{"exercise": "shoulder_circles"}' in result.buttons
    assert "triage" not in result.slots and "exercises_done" not in result.slots


def test_ok_during_an_exercise_is_next() -> None:
    result = run_action(
        ActionAcknowledge(), make_tracker("ok", "affirm", slots=under_way("shoulder_circles", 1.0))
    )
    assert result.slots == {"current_step": 2}


def test_ok_with_nothing_under_way_asks_what_next() -> None:
    assert run_action(ActionAcknowledge(), make_tracker("ok", "affirm", slots=ACUTE)).responses == [
        "utter_anything_else"
    ]


def test_what_hurt_is_never_offered_again_and_a_gentler_one_comes_next() -> None:
    slots = under_way("package_seat_dynamic", 2.0)
    hurt = run_action(ActionExerciseHurts(), make_tracker("ouch", "it_hurts", slots=slots))
    slots = {**ACUTE, **hurt.slots}
    after = run_action(ActionNextStep(), make_tracker("whats next", "next_step", slots=slots))
    assert after.slots["current_exercise"] != "package_seat_dynamic"
    gentler = run_action(
        ActionAnotherExercise(), make_tracker("a different one", "another_exercise", slots=slots)
    )
    assert (
        gentler.slots["current_exercise"] == "package_seat_static"
    )  # the easier variant of the one that hurt
    assert "gentler" in gentler.text


def test_yes_to_going_back_to_the_exercise_shows_the_same_step() -> None:
    tracker = make_tracker("yes, back to it", "affirm", slots=under_way("shoulder_circles", 2.0))
    offer = {
        "event": "bot",
        "text": "Shall we go back?",
        "metadata": {"utter_action": "utter_back_to_exercise"},
    }
    tracker.events.insert(0, offer)
    result = run_action(ActionAcknowledge(), tracker)
    assert "Step 2 of" in result.text and "current_step" not in result.slots
