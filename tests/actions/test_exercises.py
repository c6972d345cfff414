"""Exercise actions against the seeded SQLite database.

What the actions should show is read from data/exercises.yml itself (`EXERCISE_FILE`),
never from the repository the actions use.
"""

from __future__ import annotations

import re
from typing import Collection, List

from sqlalchemy import text

from actions.exercises import (
    ActionAnotherExercise,
    ActionEasierVariant,
    ActionExerciseHurts,
    ActionNextStep,
    ActionOfferExercises,
    ActionRepeatStep,
    ActionShowExercise,
)
from actions.library import forget_connections
from bot.knowledge import create_engine_for
from tests.actions.conftest import (
    ACUTE_MODERATE,
    ACUTE_SEVERE,
    EXERCISE_FILE,
    RECOVERY,
    Run,
    make_tracker,
    run_action,
)

# The pain bands of the conftest people (docs/clinical-rules.md: 1-3 mild, 4-6 moderate, 7-10 severe).
SEVERE, MODERATE, MILD = "severe", "moderate", "mild"


def offered_in_file(stage: str, band: str, conditions: Collection[str] = ()) -> List[str]:
    """The slugs the file gives a person, in the file's `order` (then by name, as every list is)."""
    fitting = [
        item
        for item in EXERCISE_FILE.values()
        if stage in item["stages"]
        and band in item["suits_pain"]
        and not set(conditions) & set(item.get("unsuitable_for") or ())
    ]
    return [item["slug"] for item in sorted(fitting, key=lambda item: (item["order"], item["name"]))]


def names(slugs: List[str]) -> List[str]:
    return [EXERCISE_FILE[slug]["name"] for slug in slugs]


def listed(result: Run) -> List[str]:
    """The names of the numbered exercise list the action sent."""
    return re.findall(r"^\d+\. (.+)$", result.messages[0]["text"], flags=re.MULTILINE)


def step_text(slug: str, number: int) -> str:
    """A step as the chat shows it, with the total from the file."""
    steps = EXERCISE_FILE[slug]["steps"]
    return f"Step {number} of {len(steps)}: {steps[number - 1].strip()}"


def test_acute_stage_starts_with_shoulder_circles_as_the_seed_article_does() -> None:
    assert offered_in_file("acute", SEVERE)[0] == "shoulder_circles"
    result = run_action(ActionOfferExercises(), make_tracker(slots=ACUTE_SEVERE))
    assert result.slots["current_exercise"] == "shoulder_circles"
    assert result.slots["current_step"] == 1
    assert step_text("shoulder_circles", 1) in result.text
    assert "/next_step" in result.buttons and "/it_hurts" in result.buttons
    images = [m["image"] for m in result.messages if m.get("image")]
    assert images == ["http://127.0.0.1:8080/static/img/exercise-shoulder_circles.png"]


def test_severe_pain_lists_only_what_needs_no_kneeling_on_the_floor() -> None:
    shown = listed(run_action(ActionOfferExercises(), make_tracker(slots=ACUTE_SEVERE)))
    assert shown == names(offered_in_file("acute", SEVERE))
    assert "Pelvic tilt (lying down)" in shown and "Shoulder circles" in shown
    assert not any("Package seat" in name or "seated" in name for name in shown)


def test_acute_moderate_gets_the_seated_pelvic_tilt_next() -> None:
    shown = listed(run_action(ActionOfferExercises(), make_tracker(slots=ACUTE_MODERATE)))
    assert shown == names(offered_in_file("acute", MODERATE))
    # The seed article's order: shoulder circles, then the pelvic tilt, then the package seat.
    assert shown[:3] == names(["shoulder_circles", "pelvic_tilt_seated", "package_seat_static"])
    assert not any("lying down" in name for name in shown)


def test_pregnancy_rules_out_the_face_down_and_deep_bending_exercises() -> None:
    slots = {**RECOVERY, "conditions": ["pregnancy"]}
    shown = listed(run_action(ActionOfferExercises(), make_tracker(slots=slots)))
    assert shown == names(offered_in_file("recovery", MILD, ["pregnancy"]))
    assert "Back extensor strengthening" not in shown and "Knee to chest" not in shown
    assert "Hamstring stretch" in shown


def test_an_exercise_under_way_is_resumed_not_restarted() -> None:
    slots = {**ACUTE_MODERATE, "current_exercise": "shoulder_circles", "current_step": 3.0}
    result = run_action(ActionOfferExercises(), make_tracker(slots=slots))
    assert result.responses == ["utter_exercise_resume", "utter_exercise_step"]
    assert step_text("shoulder_circles", 3) in result.text and result.slots == {}


def test_acute_stage_never_offers_strengthening() -> None:
    result = run_action(ActionOfferExercises(), make_tracker(slots=ACUTE_MODERATE))
    assert "strengthen" not in result.text.lower()


def test_recovery_offers_the_training_plan() -> None:
    plan = offered_in_file("recovery", MILD)
    assert {"back_extensor_strengthening", "hip_flexor_stretch"} <= set(plan)
    result = run_action(ActionOfferExercises(), make_tracker(slots=RECOVERY))
    assert listed(result) == names(plan)
    assert result.slots["current_exercise"] == plan[0]


def test_requested_exercise_is_started_first_when_it_suits() -> None:
    plan = offered_in_file("recovery", MILD)
    assert "hamstring_stretch" in plan[1:]  # suits, and would not come first by itself
    slots = {**RECOVERY, "requested_exercise": "hamstring_stretch"}
    result = run_action(ActionOfferExercises(), make_tracker(slots=slots))
    assert result.slots["current_exercise"] == "hamstring_stretch"
    assert result.slots["requested_exercise"] is None


def test_unsuitable_exercise_is_explained_not_shown() -> None:
    acute = offered_in_file("acute", MODERATE)
    assert "back_extensor_strengthening" not in acute
    slots = {**ACUTE_MODERATE, "requested_exercise": "back_extensor_strengthening"}
    result = run_action(ActionShowExercise(), make_tracker(slots=slots))
    assert "isn't right for you at this stage" in result.text
    assert result.slots["current_exercise"] == acute[0]


def test_walk_through_every_step_then_finish() -> None:
    exercise = EXERCISE_FILE["shoulder_circles"]
    slots = {**ACUTE_MODERATE, "current_exercise": "shoulder_circles", "current_step": 1.0}
    for number in range(2, len(exercise["steps"]) + 1):
        result = run_action(ActionNextStep(), make_tracker(slots=slots))
        assert result.slots == {"current_step": number}
        assert step_text("shoulder_circles", number) in result.text
        slots["current_step"] = float(number)
    finished = run_action(ActionNextStep(), make_tracker(slots=slots))
    assert str(exercise["dose"]) in finished.text
    assert all(caution in finished.text for caution in exercise["cautions"])
    assert finished.slots["exercises_done"] == ["shoulder_circles"]
    assert finished.slots["current_exercise"] is None


def test_repeat_shows_the_same_step() -> None:
    slots = {**ACUTE_MODERATE, "current_exercise": "shoulder_circles", "current_step": 2.0}
    result = run_action(ActionRepeatStep(), make_tracker(slots=slots))
    assert step_text("shoulder_circles", 2) in result.text and result.slots == {}


def test_easier_variant_switches_exercise() -> None:
    plan = [EXERCISE_FILE[slug] for slug in offered_in_file("recovery", MILD)]
    # The first exercise of the plan whose easier variant is itself a recovery exercise.
    harder = next(
        item for item in plan if item.get("easier") and "recovery" in EXERCISE_FILE[item["easier"]]["stages"]
    )
    slots = {**RECOVERY, "current_exercise": harder["slug"], "current_step": 2.0}
    result = run_action(ActionEasierVariant(), make_tracker(slots=slots))
    assert result.slots["current_exercise"] == harder["easier"]
    assert result.slots["current_step"] == 1


def test_another_exercise_never_repeats_one_already_done() -> None:
    expected = [slug for slug in offered_in_file("acute", MODERATE) if slug != "pelvic_tilt_seated"]
    assert expected, "the file has no other acute exercise to offer"
    slots = {**ACUTE_MODERATE, "current_exercise": "pelvic_tilt_seated", "exercises_done": []}
    seen = []
    for _ in range(len(expected) + 1):  # every other acute exercise once, then the end of the list
        result = run_action(ActionAnotherExercise(), make_tracker(slots=slots))
        current = result.slots.get("current_exercise")
        if current is None:
            break
        seen.append(current)
        slots = {**slots, "current_exercise": current, "exercises_done": result.slots["exercises_done"]}
    assert seen == expected
    assert "That's all the exercises" in result.text


def test_it_hurts_stops_records_and_offers_rest(exercise_database: str) -> None:
    slots = {**ACUTE_MODERATE, "current_exercise": "package_seat_dynamic", "current_step": 2.0}
    result = run_action(ActionExerciseHurts(), make_tracker(slots=slots))
    assert "Stop" in result.text and "doctor" in result.text
    assert "/another_exercise" in result.buttons
    assert result.slots["exercises_hurt"] == ["package_seat_dynamic"]
    assert result.slots["current_exercise"] is None
    with create_engine_for(exercise_database).connect() as connection:
        kinds = connection.execute(text("select kind from exercise_feedback")).scalars().all()
    assert kinds == ["hurt"]


def test_no_exercise_content_after_a_red_flag() -> None:
    slots = {**ACUTE_MODERATE, "red_flags": ["fever"], "current_exercise": "shoulder_circles"}
    for action in (ActionOfferExercises(), ActionShowExercise(), ActionNextStep(), ActionEasierVariant()):
        result = run_action(action, make_tracker(slots=slots))
        assert result.responses == ["utter_urgent_no_exercises"]
        assert result.slots == {}


def test_no_exercise_before_the_assessment() -> None:
    result = run_action(ActionNextStep(), make_tracker())
    assert result.responses == ["utter_exercise_needs_assessment"]
    assert "/report_pain" in result.buttons


def test_missing_tables_give_a_clear_message(use_settings, tmp_path) -> None:
    use_settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}")
    forget_connections()
    result = run_action(ActionOfferExercises(), make_tracker(slots=ACUTE_MODERATE))
    assert "can't open the exercise library" in result.text
