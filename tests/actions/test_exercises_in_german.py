"""The exercise actions speak the person's language: a German person gets every exercise text in German.

Expected texts are read from data/exercises.yml (`translations: de:`), never from
the repository the actions use. Rendering uses the domain's first variation, so
the assertions look at the values the actions fill in.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Iterator, List

import pytest

from actions.exercise_navigation import (
    ActionBackToList,
    ActionExerciseDose,
    ActionHarderVariant,
    ActionPreviousStep,
    ActionStopExercise,
)
from actions.exercises import (
    ActionAnotherExercise,
    ActionEasierVariant,
    ActionExerciseHurts,
    ActionNextStep,
    ActionOfferExercises,
    ActionRepeatStep,
    ActionShowExercise,
)
from actions.library import care_records, exercise_library
from bot import clock
from tests.actions.conftest import ACUTE_MODERATE, EXERCISE_FILE, RECOVERY, Run, make_tracker, run_action

GERMAN: Dict[str, Dict[str, Any]] = {slug: item["translations"]["de"] for slug, item in EXERCISE_FILE.items()}


def german(**slots: Any) -> Dict[str, Any]:
    return {"language": "de", **slots}


def under_way(slug: str, step: float, stage=ACUTE_MODERATE, **slots: Any) -> Dict[str, Any]:
    return german(**stage, current_exercise=slug, current_step=step, **slots)


def filled(run: Run, response: str) -> List[Dict[str, Any]]:
    """The messages of one domain response, with the values the action put in."""
    return [message for message in run.messages if message.get("response") == response]


def test_the_list_the_card_and_the_first_step_are_in_german() -> None:
    run = run_action(ActionOfferExercises(), make_tracker(slots=german(**ACUTE_MODERATE)))
    (listing,) = filled(run, "utter_exercise_list")
    assert listing["exercises"].splitlines()[:3] == [
        f"1. {GERMAN['shoulder_circles']['name']}",
        f"2. {GERMAN['pelvic_tilt_seated']['name']}",
        f"3. {GERMAN['package_seat_static']['name']}",
    ]
    assert listing["first"] == "Schulterkreisen"
    (card,) = filled(run, "utter_exercise_intro")
    circles = GERMAN["shoulder_circles"]
    assert (card["name"], card["purpose"], card["dose"]) == (
        circles["name"],
        circles["purpose"],
        circles["dose"],
    )
    (step,) = filled(run, "utter_exercise_step")
    assert (step["number"], step["total"], step["step"]) == (1, 4, circles["steps"][0])
    assert "Shoulder" not in run.text and "Sit or stand" not in run.text


@pytest.mark.parametrize("language", [None, "en", "fr"])
def test_english_or_no_language_gets_the_english_texts(language) -> None:
    run = run_action(ActionOfferExercises(), make_tracker(slots={**ACUTE_MODERATE, "language": language}))
    (card,) = filled(run, "utter_exercise_intro")
    assert card["name"] == EXERCISE_FILE["shoulder_circles"]["name"]
    assert filled(run, "utter_exercise_step")[0]["step"] == EXERCISE_FILE["shoulder_circles"]["steps"][0]


def test_every_step_then_the_cautions_come_in_german() -> None:
    circles = GERMAN["shoulder_circles"]
    for number in range(2, len(circles["steps"]) + 1):
        run = run_action(ActionNextStep(), make_tracker(slots=under_way("shoulder_circles", number - 1.0)))
        assert filled(run, "utter_exercise_step")[0]["step"] == circles["steps"][number - 1]
    run = run_action(ActionNextStep(), make_tracker(slots=under_way("shoulder_circles", 4.0)))
    (finished,) = filled(run, "utter_exercise_finished")
    assert finished["name"] == circles["name"] and finished["dose"] == circles["dose"]
    assert finished["cautions"] == "\n".join(f"- {caution}" for caution in circles["cautions"])


def test_a_condition_caution_is_in_german_too() -> None:
    bridge = GERMAN["glute_bridge"]
    slots = under_way("glute_bridge", 4.0, RECOVERY, conditions=["pregnancy"])
    (finished,) = filled(run_action(ActionNextStep(), make_tracker(slots=slots)), "utter_exercise_finished")
    assert finished["cautions"].splitlines()[-1] == f"- {bridge['condition_cautions']['pregnancy']}"


def test_repeat_and_a_step_named_in_german() -> None:
    run = run_action(ActionRepeatStep(), make_tracker(slots=under_way("pelvic_tilt_seated", 3.0)))
    assert filled(run, "utter_exercise_step")[0]["step"] == GERMAN["pelvic_tilt_seated"]["steps"][2]
    tracker = make_tracker(
        "was war nochmal Schritt zwei?", "previous_step", slots=under_way("pelvic_tilt_seated", 4.0)
    )
    run = run_action(ActionPreviousStep(), tracker)
    assert run.slots == {"current_step": 2}
    assert filled(run, "utter_exercise_step")[0]["step"] == GERMAN["pelvic_tilt_seated"]["steps"][1]


def test_easier_and_harder_variants_are_named_in_german() -> None:
    run = run_action(ActionEasierVariant(), make_tracker(slots=under_way("bird_dog", 2.0, RECOVERY)))
    assert filled(run, "utter_exercise_gentler")[0]["name"] == GERMAN["cat_camel"]["name"]
    assert filled(run, "utter_exercise_intro")[0]["purpose"] == GERMAN["cat_camel"]["purpose"]
    run = run_action(ActionHarderVariant(), make_tracker(slots=under_way("knee_to_chest", 2.0, RECOVERY)))
    assert filled(run, "utter_exercise_harder")[0]["name"] == GERMAN["hamstring_stretch"]["name"]
    assert filled(run, "utter_exercise_step")[0]["step"] == GERMAN["hamstring_stretch"]["steps"][0]
    run = run_action(ActionEasierVariant(), make_tracker(slots=under_way("shoulder_circles", 2.0)))
    assert filled(run, "utter_exercise_already_gentlest")[0]["name"] == "Schulterkreisen"


def test_dose_stop_and_the_list_again_in_german() -> None:
    run = run_action(ActionExerciseDose(), make_tracker(slots=under_way("package_seat_static", 2.0)))
    (dose,) = filled(run, "utter_exercise_dose")
    assert (dose["name"], dose["dose"]) == (
        GERMAN["package_seat_static"]["name"],
        "20 bis 30 Sekunden halten, 3-mal",
    )
    run = run_action(ActionStopExercise(), make_tracker(slots=under_way("package_seat_static", 2.0)))
    assert filled(run, "utter_exercise_stopped")[0]["name"] == "Päckchensitz (ruhend)"
    run = run_action(ActionBackToList(), make_tracker(slots=under_way("package_seat_static", 2.0)))
    titles = [button["title"] for message in run.messages for button in message.get("buttons") or []]
    assert "Päckchensitz (ruhend)" in titles and "Schulterkreisen" in titles
    assert not {item["name"] for item in EXERCISE_FILE.values()} & set(titles)


def test_an_exercise_asked_for_by_its_german_name_is_shown() -> None:
    slots = german(**RECOVERY, requested_exercise="Dehnung der Hüftbeuger")
    run = run_action(ActionShowExercise(), make_tracker(slots=slots))
    assert run.slots["current_exercise"] == "hip_flexor_stretch"
    assert filled(run, "utter_exercise_intro")[0]["name"] == GERMAN["hip_flexor_stretch"]["name"]
    # Not for this stage: said with the German name.
    slots = german(**ACUTE_MODERATE, requested_exercise="back_extensor_strengthening")
    run = run_action(ActionShowExercise(), make_tracker(slots=slots))
    assert (
        filled(run, "utter_exercise_not_for_stage_offer_other")[0]["name"] == "Kräftigung der Rückenstrecker"
    )


def test_after_it_hurts_the_gentler_one_is_offered_in_german() -> None:
    run = run_action(ActionExerciseHurts(), make_tracker(slots=under_way("bird_dog", 2.0, RECOVERY)))
    assert run.slots["exercises_hurt"] == ["bird_dog"]
    slots = german(**RECOVERY, exercises_hurt=["bird_dog"])
    run = run_action(ActionAnotherExercise(), make_tracker(slots=slots))
    assert filled(run, "utter_exercise_gentler")[0]["name"] == GERMAN["cat_camel"]["name"]


@pytest.fixture
def pinned_clock() -> Iterator[datetime]:
    start = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
    clock.use_clock(start)
    yield start
    clock.use_clock(None)


def test_the_plan_names_the_harder_variant_in_german(pinned_clock: datetime) -> None:
    person = "telegram:4711"

    def at(days: float) -> None:
        clock.use_clock(pinned_clock + timedelta(days=days))

    def check_in(days: float, pain: int, duration=None) -> None:
        at(days)
        care_records().record_check_in(
            person,
            pain=pain,
            warning_signs="none",
            source="assessment" if duration is not None else "check_in",
            stage="acute",
            duration_weeks=duration,
            leg_pain="none",
        )

    def offer(days: float, pain: float) -> Run:
        at(days)
        slots = german(triage="acute", pain_level=pain, pain_duration_weeks=1.0, returning=True)
        return run_action(ActionOfferExercises(), make_tracker("2", "inform", slots=slots, sender_id=person))

    check_in(0, 4, duration=0.3)
    offer(0, 4)
    for day in (0.1, 1.1):
        at(day)
        exercise_library().record_feedback(person, "package_seat_static", "completed")
    check_in(1, 3)
    check_in(2, 2)
    run = offer(2, 2)
    (up,) = filled(run, "utter_plan_up")
    assert (up["harder"], up["exercise"]) == (GERMAN["package_seat_dynamic"]["name"], "Päckchensitz (ruhend)")
    assert run.slots["current_exercise"] == "package_seat_dynamic"
