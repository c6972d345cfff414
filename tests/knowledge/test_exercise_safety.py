"""Which exercises a person is offered, by stage, pain and health condition."""

from __future__ import annotations

from itertools import product
from pathlib import Path
from typing import List

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.knowledge import ExerciseRepository, load_exercise_file, seed_exercises
from bot.knowledge.models import ExerciseRow
from bot.knowledge.seed import CONDITIONS, DEFAULT_SEED_FILE, PAIN_BANDS, STAGES
from support.database import seeded_database

PACKAGE_SEATS = {"package_seat_static", "package_seat_dynamic"}
SUPINE = {"pelvic_tilt_lying", "abdominal_strengthening", "hamstring_stretch", "glute_bridge"}
PAIN_OF_BAND = {"none": 0, "mild": 2, "moderate": 5, "severe": 8}


@pytest.fixture
def engine(tmp_path: Path):
    return seeded_database(f"sqlite:///{tmp_path / 'exercises.db'}")


@pytest.fixture
def library(engine) -> ExerciseRepository:
    return ExerciseRepository(engine)


def slugs(library: ExerciseRepository, stage: str, pain: float, conditions=()) -> List[str]:
    return [item.slug for item in library.for_stage(stage, pain, conditions)]


def offered_anywhere(library: ExerciseRepository, conditions=(), stages=STAGES) -> set:
    """Every exercise offered in any of the stages at any pain level."""
    return {
        slug
        for stage, pain in product(stages, PAIN_OF_BAND.values())
        for slug in slugs(library, stage, pain, conditions)
    }


def test_every_exercise_in_the_file_names_its_pain_bands() -> None:
    raw = yaml.safe_load(DEFAULT_SEED_FILE.read_text())["exercises"]
    assert all(set(item["suits_pain"]) <= PAIN_BANDS and item["suits_pain"] for item in raw)


def test_new_fields_are_seeded(engine, library: ExerciseRepository) -> None:
    for exercise in load_exercise_file():
        stored = library.get(exercise.slug)
        assert stored.unsuitable_for == exercise.unsuitable_for
        assert stored.condition_cautions == exercise.condition_cautions
    with Session(engine) as session:
        row = session.execute(select(ExerciseRow).where(ExerciseRow.slug == "knee_to_chest")).scalar_one()
        assert row.unsuitable_for == "pregnancy"
        assert row.condition_cautions.startswith("osteoporosis: Draw the knee in")
    assert seed_exercises(engine).unchanged == len(load_exercise_file())


def test_a_changed_condition_is_updated_in_place(engine, library: ExerciseRepository, tmp_path: Path) -> None:
    document = yaml.safe_load(DEFAULT_SEED_FILE.read_text())
    knee = next(item for item in document["exercises"] if item["slug"] == "knee_to_chest")
    knee["unsuitable_for"] = ["pregnancy", "osteoporosis"]
    del knee["condition_cautions"]
    del knee["translations"]["de"]["condition_cautions"]  # a translation covers the same conditions
    edited = tmp_path / "exercises.yml"
    edited.write_text(yaml.safe_dump(document, sort_keys=False))
    report = seed_exercises(engine, edited)
    assert (report.created, report.updated) == (0, 1)
    knee = library.get("knee_to_chest")
    assert knee.unsuitable_for == ("pregnancy", "osteoporosis") and knee.condition_cautions == ()
    assert seed_exercises(engine, edited).updated == 0


def test_no_package_seat_at_severe_pain(library: ExerciseRepository) -> None:
    for stage in STAGES:
        assert not PACKAGE_SEATS & set(slugs(library, stage, 8))


def test_at_severe_pain_nothing_on_the_floor(library: ExerciseRepository) -> None:
    severe = {item.slug for item in library.all() if "severe" in item.suits_pain}
    assert severe == {"shoulder_circles", "pelvic_tilt_lying"}
    for stage in ("acute", "subacute"):
        assert slugs(library, stage, 8) == ["shoulder_circles", "pelvic_tilt_lying"]


def test_acute_order_follows_the_article(library: ExerciseRepository) -> None:
    assert slugs(library, "acute", 5) == [
        "shoulder_circles",
        "pelvic_tilt_seated",
        "package_seat_static",
        "package_seat_dynamic",
    ]


def test_training_plan_order_is_kept(library: ExerciseRepository) -> None:
    assert (
        slugs(library, "recovery", 2)[:4]
        == slugs(library, "chronic", 5)[:4]
        == [
            "back_extensor_strengthening",
            "abdominal_strengthening",
            "hamstring_stretch",
            "hip_flexor_stretch",
        ]
    )


def test_subacute_is_the_gentlest_training_plus_mobilisation(library: ExerciseRepository) -> None:
    subacute = slugs(library, "subacute", 5)
    assert subacute[:4] == slugs(library, "acute", 5)
    assert subacute[4:] == ["abdominal_strengthening", "knee_to_chest", "cat_camel", "glute_bridge"]
    harder = {"back_extensor_strengthening", "bird_dog", "hamstring_stretch", "hip_flexor_stretch"}
    assert not harder & offered_anywhere(library, stages=["subacute"])


def test_pregnancy_excludes_lying_face_down_and_deep_flexion(library: ExerciseRepository) -> None:
    excluded = {"back_extensor_strengthening", "knee_to_chest"} | PACKAGE_SEATS
    assert excluded <= offered_anywhere(library, ())
    assert not excluded & offered_anywhere(library, ["pregnancy"])
    assert slugs(library, "acute", 5, ["pregnancy"]) == ["shoulder_circles", "pelvic_tilt_seated"]


def test_pregnancy_cautions_the_exercises_on_the_back(library: ExerciseRepository) -> None:
    for slug in SUPINE:
        exercise = library.get(slug)
        assert exercise.slug in offered_anywhere(library, ["pregnancy"])
        extra = exercise.cautions_for(["pregnancy"])[len(exercise.cautions) :]
        assert len(extra) == 1 and "midwife or GP" in extra[0] and "on your back" in extra[0]


def test_osteoporosis_excludes_package_seats_and_cautions_knee_to_chest(library: ExerciseRepository) -> None:
    offered = offered_anywhere(library, ["osteoporosis"])
    assert not PACKAGE_SEATS & offered
    assert "knee_to_chest" in offered
    knee = library.get("knee_to_chest")
    assert "both knees" in knee.cautions_for(["osteoporosis"])[-1]
    assert slugs(library, "subacute", 5, ["osteoporosis"]) == [
        "shoulder_circles",
        "pelvic_tilt_seated",
        "abdominal_strengthening",
        "knee_to_chest",
        "cat_camel",
        "glute_bridge",
    ]


def test_cautions_for_adds_only_the_persons_conditions(library: ExerciseRepository) -> None:
    cat = library.get("cat_camel")
    assert cat.cautions_for() == cat.cautions
    by_condition = dict(cat.condition_cautions)
    pregnancy, osteoporosis = by_condition["pregnancy"], by_condition["osteoporosis"]
    assert cat.cautions_for(["pregnancy"]) == cat.cautions + (pregnancy,)
    assert cat.cautions_for("osteoporosis") == cat.cautions + (osteoporosis,)
    assert cat.cautions_for(["osteoporosis", "pregnancy"]) == cat.cautions + (pregnancy, osteoporosis)


def test_one_condition_given_as_text_still_excludes(library: ExerciseRepository) -> None:
    assert "knee_to_chest" not in slugs(library, "subacute", 5, "pregnancy")
    done = ["shoulder_circles", "pelvic_tilt_seated"]
    assert library.next_for_stage("acute", 5, exclude=done).slug == "package_seat_static"
    assert library.next_for_stage("acute", 5, exclude=done, conditions="osteoporosis") is None


def test_every_stage_pain_band_and_condition_has_something(library: ExerciseRepository) -> None:
    for stage, pain, condition in product(STAGES, PAIN_OF_BAND.values(), [(), *[(c,) for c in CONDITIONS]]):
        assert slugs(library, stage, pain, condition), (stage, pain, condition)


def test_a_row_without_pain_bands_is_not_offered_at_a_known_pain_level(engine, library) -> None:
    with Session(engine) as session, session.begin():
        session.execute(
            select(ExerciseRow).where(ExerciseRow.slug == "cat_camel")
        ).scalar_one().suits_pain = ""
    assert "cat_camel" not in offered_anywhere(library, stages=["recovery"])
    assert "cat_camel" in {item.slug for item in library.for_stage("recovery")}
