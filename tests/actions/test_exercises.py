"""Exercise actions against the seeded SQLite database."""

from __future__ import annotations

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
from actions.library import exercise_library, forget_connections
from bot.knowledge import create_engine_for
from tests.actions.conftest import ACUTE_MODERATE, ACUTE_SEVERE, RECOVERY, make_tracker, run_action


def test_acute_stage_starts_with_shoulder_circles_as_the_seed_article_does() -> None:
    result = run_action(ActionOfferExercises(), make_tracker(slots=ACUTE_SEVERE))
    assert result.slots["current_exercise"] == "shoulder_circles"
    assert result.slots["current_step"] == 1
    assert "Step 1 of" in result.text
    assert "/next_step" in result.buttons and "/it_hurts" in result.buttons
    images = [m["image"] for m in result.messages if m.get("image")]
    assert images == ["http://127.0.0.1:8080/static/img/exercise-shoulder_circles.png"]


def test_severe_pain_lists_only_what_needs_no_kneeling_on_the_floor() -> None:
    listed = run_action(ActionOfferExercises(), make_tracker(slots=ACUTE_SEVERE)).messages[0]["text"]
    assert "Pelvic tilt (lying down)" in listed and "Shoulder circles" in listed
    assert "Package seat" not in listed and "seated" not in listed


def test_acute_moderate_gets_the_seated_pelvic_tilt_next() -> None:
    listed = run_action(ActionOfferExercises(), make_tracker(slots=ACUTE_MODERATE)).messages[0]["text"]
    assert listed.index("Shoulder circles") < listed.index("Pelvic tilt (seated)") < listed.index("Package seat")
    assert "lying down" not in listed


def test_pregnancy_rules_out_the_face_down_and_deep_bending_exercises() -> None:
    listed = run_action(ActionOfferExercises(), make_tracker(slots={**RECOVERY, "conditions": ["pregnancy"]})).text
    assert "Back extensor strengthening" not in listed and "Knee to chest" not in listed
    assert "Hamstring stretch" in listed


def test_an_exercise_under_way_is_resumed_not_restarted() -> None:
    slots = {**ACUTE_MODERATE, "current_exercise": "shoulder_circles", "current_step": 3.0}
    result = run_action(ActionOfferExercises(), make_tracker(slots=slots))
    assert result.responses == ["utter_exercise_resume", "utter_exercise_step"]
    assert "Step 3 of" in result.text and result.slots == {}


def test_acute_stage_never_offers_strengthening() -> None:
    result = run_action(ActionOfferExercises(), make_tracker(slots=ACUTE_MODERATE))
    assert "strengthen" not in result.text.lower()


def test_recovery_offers_the_training_plan() -> None:
    result = run_action(ActionOfferExercises(), make_tracker(slots=RECOVERY))
    library = exercise_library()
    stage_slugs = {item.slug for item in library.for_stage("recovery", 2.0)}
    assert result.slots["current_exercise"] in stage_slugs
    assert "back_extensor_strengthening" in stage_slugs and "hip_flexor_stretch" in stage_slugs


def test_requested_exercise_is_started_first_when_it_suits() -> None:
    slots = {**RECOVERY, "requested_exercise": "hamstring_stretch"}
    result = run_action(ActionOfferExercises(), make_tracker(slots=slots))
    assert result.slots["current_exercise"] == "hamstring_stretch"
    assert result.slots["requested_exercise"] is None


def test_unsuitable_exercise_is_explained_not_shown() -> None:
    slots = {**ACUTE_MODERATE, "requested_exercise": "back_extensor_strengthening"}
    result = run_action(ActionShowExercise(), make_tracker(slots=slots))
    assert "isn't right for you at this stage" in result.text
    assert result.slots["current_exercise"] != "back_extensor_strengthening"


def test_walk_through_every_step_then_finish() -> None:
    exercise = exercise_library().get("shoulder_circles")
    slots = {**ACUTE_MODERATE, "current_exercise": "shoulder_circles", "current_step": 1.0}
    for number in range(2, len(exercise.steps) + 1):
        result = run_action(ActionNextStep(), make_tracker(slots=slots))
        assert result.slots == {"current_step": number}
        assert exercise.steps[number - 1] in result.text
        slots["current_step"] = float(number)
    finished = run_action(ActionNextStep(), make_tracker(slots=slots))
    assert exercise.dose in finished.text
    assert finished.slots["exercises_done"] == ["shoulder_circles"]
    assert finished.slots["current_exercise"] is None


def test_repeat_shows_the_same_step() -> None:
    slots = {**ACUTE_MODERATE, "current_exercise": "shoulder_circles", "current_step": 2.0}
    result = run_action(ActionRepeatStep(), make_tracker(slots=slots))
    assert "Step 2 of" in result.text and result.slots == {}


def test_easier_variant_switches_exercise() -> None:
    library = exercise_library()
    harder = next(item for item in library.for_stage("recovery", 2.0) if item.easier)
    slots = {**RECOVERY, "current_exercise": harder.slug, "current_step": 2.0}
    result = run_action(ActionEasierVariant(), make_tracker(slots=slots))
    assert result.slots["current_exercise"] == harder.easier
    assert result.slots["current_step"] == 1


def test_another_exercise_never_repeats_one_already_done() -> None:
    slots = {**ACUTE_MODERATE, "current_exercise": "pelvic_tilt_seated", "exercises_done": []}
    seen = []
    for _ in range(10):
        result = run_action(ActionAnotherExercise(), make_tracker(slots=slots))
        current = result.slots.get("current_exercise")
        if current is None:
            assert "That's all the exercises" in result.text
            break
        assert current not in seen and current != "pelvic_tilt_seated"
        seen.append(current)
        slots = {**slots, "current_exercise": current, "exercises_done": result.slots["exercises_done"]}
    else:
        raise AssertionError("the acute list never ended")
    assert seen, "no other acute exercise was offered"


def test_it_hurts_stops_records_and_offers_rest(exercise_database: str) -> None:
    slots = {**ACUTE_MODERATE, "current_exercise": "package_seat_dynamic", "current_step": 2.0}
    result = run_action(ActionExerciseHurts(), make_tracker(slots=slots))
    assert "Stop" in result.text and "doctor" in result.text
    assert "/another_exercise" in result.buttons
    assert result.slots["exercises_hurt"] == ["package_seat_dynamic"] and result.slots["current_exercise"] is None
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


def test_missing_tables_give_a_clear_message(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("BACKCARE_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    forget_connections()
    result = run_action(ActionOfferExercises(), make_tracker(slots=ACUTE_MODERATE))
    assert "can't open the exercise library" in result.text
