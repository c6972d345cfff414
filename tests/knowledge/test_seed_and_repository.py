"""Seeding `data/exercises.yml` into a real SQLite file, and reading it back."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.knowledge import (
    DatabaseUnavailable,
    ExerciseRepository,
    SeedFileError,
    create_engine_for,
    create_schema,
    database_url,
    load_exercise_file,
    seed_exercises,
)
from bot.knowledge.models import ExerciseFeedback, ExerciseStepRow
from bot.knowledge.seed import DEFAULT_SEED_FILE
from bot.settings import Settings
from tests.knowledge.conftest import SEED_ARTICLE_EXERCISES


@pytest.fixture
def library(engine) -> ExerciseRepository:
    seed_exercises(engine)
    return ExerciseRepository(engine)


def write_variant(tmp_path: Path, change) -> Path:
    """A copy of the real exercise file with `change` applied to its data."""
    document = yaml.safe_load(DEFAULT_SEED_FILE.read_text())
    change(document["exercises"])
    path = tmp_path / "exercises.yml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def test_every_exercise_of_the_seed_article_is_there(library: ExerciseRepository) -> None:
    by_slug = {item.slug: item for item in library.all()}
    assert SEED_ARTICLE_EXERCISES <= set(by_slug)
    assert all(by_slug[slug].source == "seed_article" for slug in SEED_ARTICLE_EXERCISES)
    for item in by_slug.values():
        assert item.steps and item.dose and item.cautions and item.purpose
        for target in (item.easier, item.harder):
            assert target is None or target in by_slug


def test_an_exercise_reads_back_as_the_file_gave_it(library: ExerciseRepository) -> None:
    in_file = sorted(load_exercise_file(), key=lambda exercise: (exercise.order, exercise.name))
    assert library.all() == in_file


def test_seeding_twice_changes_nothing(engine) -> None:
    first = seed_exercises(engine)
    second = seed_exercises(engine)
    assert first.created == len(load_exercise_file()) and first.updated == 0
    assert (second.created, second.updated, second.deactivated) == (0, 0, 0)
    assert second.unchanged == first.created
    with Session(engine) as session:
        steps = session.execute(select(func.count()).select_from(ExerciseStepRow)).scalar_one()
    assert steps == sum(len(exercise.steps) for exercise in load_exercise_file())


def test_an_edited_step_is_updated_in_place(engine, tmp_path: Path) -> None:
    seed_exercises(engine)

    def edit(exercises):
        exercises[0]["steps"][0] = "A reworded first step."

    report = seed_exercises(engine, write_variant(tmp_path, edit))
    assert report.updated == 1 and report.created == 0
    first = load_exercise_file()[0]
    stored = ExerciseRepository(engine).get(first.slug)
    assert stored.steps[0] == "A reworded first step." and len(stored.steps) == len(first.steps)


def test_removed_exercise_is_deactivated_and_feedback_survives(engine, tmp_path: Path) -> None:
    seed_exercises(engine)
    library = ExerciseRepository(engine)
    library.record_feedback("someone", "bird_dog", "completed")

    def remove_bird_dog(exercises):
        exercises[:] = [e for e in exercises if e["slug"] != "bird_dog"]
        for exercise in exercises:
            for field in ("easier", "harder"):
                if exercise.get(field) == "bird_dog":
                    exercise[field] = None

    report = seed_exercises(engine, write_variant(tmp_path, remove_bird_dog))
    assert report.deactivated == 1
    assert library.get("bird_dog") is None
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(ExerciseFeedback)).scalar_one() == 1
    # Back in the file: bird_dog is active again, and so is the link to it.
    assert seed_exercises(engine).updated == 2
    assert library.get("bird_dog") is not None
    assert library.get("back_extensor_strengthening").easier == "bird_dog"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda ex: ex[0].update(stages=["someday"]), "stages"),
        (lambda ex: ex[0].update(easier="no_such_exercise"), "unknown"),
        (lambda ex: ex.append(dict(ex[0])), "duplicate"),
        (lambda ex: ex[0].update(steps=[]), "steps"),
        (lambda ex: ex[0].update(position="upside down"), "position"),
        (lambda ex: ex[0].pop("suits_pain"), "missing suits_pain"),
        (lambda ex: ex[0].update(suits_pain=[]), "missing suits_pain"),
        (lambda ex: ex[0].update(suits_pain=["unbearable"]), "suits_pain"),
        (lambda ex: ex[0].update(unsuitable_for=["diabetes"]), "unknown condition"),
        (lambda ex: ex[0].update(condition_cautions={"diabetes": "Take care."}), "unknown condition"),
        (lambda ex: ex[0].update(condition_cautions=["pregnancy"]), "condition_cautions"),
        (lambda ex: ex[0].update(condition_cautions={"pregnancy": ""}), "one sentence"),
        (
            lambda ex: ex[0].update(unsuitable_for=["pregnancy"], condition_cautions={"pregnancy": "Mind."}),
            "unsuitable for",
        ),
    ],
)
def test_invalid_seed_files_are_refused_with_a_clear_reason(tmp_path: Path, change, message: str) -> None:
    with pytest.raises(SeedFileError, match=message):
        load_exercise_file(write_variant(tmp_path, change))


def test_acute_selection_depends_on_pain(library: ExerciseRepository) -> None:
    severe = [item.slug for item in library.for_stage("acute", 8)]
    moderate = [item.slug for item in library.for_stage("acute", 5)]
    assert severe == ["shoulder_circles", "pelvic_tilt_lying"]
    assert moderate == [
        "shoulder_circles",
        "pelvic_tilt_seated",
        "package_seat_static",
        "package_seat_dynamic",
    ]


def test_training_plan_for_recovery(library: ExerciseRepository) -> None:
    plan = {item.slug for item in library.for_stage("recovery", 2)}
    assert {
        "back_extensor_strengthening",
        "abdominal_strengthening",
        "hamstring_stretch",
        "hip_flexor_stretch",
    } <= plan


def test_lookups(library: ExerciseRepository) -> None:
    assert library.easier_variant("package_seat_dynamic").slug == "package_seat_static"
    assert library.next_for_stage("acute", 5, exclude=["shoulder_circles"]).slug == "pelvic_tilt_seated"


def test_empty_or_missing_database_says_how_to_fix_it(tmp_path: Path) -> None:
    empty = ExerciseRepository(create_engine_for(f"sqlite:///{tmp_path / 'empty.db'}"))
    with pytest.raises(DatabaseUnavailable, match="backcare db seed"):
        empty.check()
    engine = create_engine_for(f"sqlite:///{tmp_path / 'tables.db'}")
    create_schema(engine)
    with pytest.raises(DatabaseUnavailable, match="empty"):
        ExerciseRepository(engine).check()


def test_database_url_comes_from_the_settings(use_settings, tmp_path: Path) -> None:
    use_settings()
    assert database_url().startswith("sqlite:///") and database_url().endswith("var/backcare.db")
    use_settings(database_url=f"sqlite:///{tmp_path / 'other.db'}")
    assert database_url() == f"sqlite:///{tmp_path / 'other.db'}"
    given = Settings.from_environment({"BACKCARE_DATABASE_URL": "postgresql://backcare@db/backcare"})
    assert database_url(given) == "postgresql://backcare@db/backcare"
