"""Loads `data/exercises.yml` into the database, idempotently.

Re-seeding updates what changed, never duplicates, and never deletes: an
exercise removed from the file is only deactivated, and people's feedback
rows are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Mapping, Tuple

import yaml
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.knowledge.database import DatabaseUnavailable
from bot.knowledge.exercise import Exercise
from bot.knowledge.models import ExerciseRow, ExerciseStepRow
from bot.paths import PROJECT_ROOT

DEFAULT_SEED_FILE = PROJECT_ROOT / "data" / "exercises.yml"

STAGES = {"acute", "subacute", "recovery", "chronic"}
POSITIONS = {"sitting", "lying", "kneeling", "standing"}
PAIN_BANDS = {"none", "mild", "moderate", "severe"}
# sciatica: leg pain below the knee (or down one leg), from the assessment.
CONDITIONS = {"pregnancy", "osteoporosis", "sciatica"}
SOURCES = {"seed_article", "own_words"}
REQUIRED = (
    "slug",
    "name",
    "purpose",
    "stages",
    "suits_pain",
    "position",
    "steps",
    "dose",
    "cautions",
    "source",
)


class SeedFileError(ValueError):
    """The exercise file is invalid; the message names the exercise and field."""


@dataclass(frozen=True)
class SeedReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0


def _check_subset(slug: str, field: str, values: Any, allowed: set) -> Tuple[str, ...]:
    if not isinstance(values, list) or not values or not set(values) <= allowed:
        raise SeedFileError(f"exercise {slug!r}: {field} must be a non-empty list of {sorted(allowed)}")
    return tuple(values)


def _unsuitable_for(slug: str, raw: Dict[str, Any]) -> Tuple[str, ...]:
    values = raw.get("unsuitable_for")
    if values in (None, []):
        return ()
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise SeedFileError(f"exercise {slug!r}: unsuitable_for must be a list of {sorted(CONDITIONS)}")
    unknown = sorted(set(values) - CONDITIONS)
    if unknown:
        raise SeedFileError(
            f"exercise {slug!r}: unsuitable_for names unknown condition {unknown}; "
            f"known: {sorted(CONDITIONS)}"
        )
    return tuple(dict.fromkeys(values))


def _condition_cautions(
    slug: str, raw: Dict[str, Any], unsuitable: Tuple[str, ...]
) -> Tuple[Tuple[str, str], ...]:
    """(condition, sentence) pairs, in the order of the file."""
    cautions = raw.get("condition_cautions")
    if cautions in (None, {}):
        return ()
    if not isinstance(cautions, Mapping):
        raise SeedFileError(f"exercise {slug!r}: condition_cautions must map a condition to one sentence")
    pairs = []
    for condition, text in cautions.items():
        if condition not in CONDITIONS:
            raise SeedFileError(
                f"exercise {slug!r}: condition_cautions names unknown condition {condition!r}; "
                f"known: {sorted(CONDITIONS)}"
            )
        if condition in unsuitable:
            # A caution nobody would see: the exercise is never offered to that person.
            raise SeedFileError(
                f"exercise {slug!r}: condition_cautions for {condition!r}, which it is unsuitable for"
            )
        if not isinstance(text, str) or not text.strip() or "\n" in text.strip():
            raise SeedFileError(f"exercise {slug!r}: condition_cautions[{condition!r}] must be one sentence")
        pairs.append((condition, text.strip()))
    return tuple(pairs)


def _exercise(raw: Dict[str, Any], index: int) -> Exercise:
    slug = raw.get("slug") or f"#{index + 1}"
    for field in REQUIRED:
        if raw.get(field) in (None, "", []):
            raise SeedFileError(f"exercise {slug!r}: missing {field}")
    if raw["position"] not in POSITIONS:
        raise SeedFileError(f"exercise {slug!r}: position must be one of {sorted(POSITIONS)}")
    if raw["source"] not in SOURCES:
        raise SeedFileError(f"exercise {slug!r}: source must be one of {sorted(SOURCES)}")
    steps = raw["steps"]
    if not isinstance(steps, list) or not all(isinstance(step, str) and step.strip() for step in steps):
        raise SeedFileError(f"exercise {slug!r}: steps must be a list of texts")
    unsuitable = _unsuitable_for(slug, raw)
    return Exercise(
        slug=slug,
        name=raw["name"],
        purpose=raw["purpose"],
        stages=_check_subset(slug, "stages", raw["stages"], STAGES),
        suits_pain=_check_subset(slug, "suits_pain", raw["suits_pain"], PAIN_BANDS),
        position=raw["position"],
        order=int(raw.get("order", 100)),
        steps=tuple(step.strip() for step in steps),
        dose=str(raw["dose"]),
        cautions=tuple(raw["cautions"]),
        easier=raw.get("easier"),
        harder=raw.get("harder"),
        source=raw["source"],
        unsuitable_for=unsuitable,
        condition_cautions=_condition_cautions(slug, raw, unsuitable),
    )


def load_exercise_file(path: Path = DEFAULT_SEED_FILE) -> List[Exercise]:
    """Reads and validates the exercise file."""
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise SeedFileError(f"cannot read {path}: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("exercises"), list):
        raise SeedFileError(f"{path}: expected a top-level 'exercises:' list")
    exercises = [_exercise(raw, index) for index, raw in enumerate(document["exercises"])]
    slugs = [exercise.slug for exercise in exercises]
    duplicates = {slug for slug in slugs if slugs.count(slug) > 1}
    if duplicates:
        raise SeedFileError(f"duplicate slugs: {sorted(duplicates)}")
    for exercise in exercises:
        for field in ("easier", "harder"):
            target = getattr(exercise, field)
            if target is not None and target not in slugs:
                raise SeedFileError(f"exercise {exercise.slug!r}: {field} points to unknown {target!r}")
    return exercises


def _apply(session: Session, exercise: Exercise) -> str:
    """Creates or updates one exercise; returns "created", "updated" or "unchanged"."""
    row = session.execute(select(ExerciseRow).where(ExerciseRow.slug == exercise.slug)).scalar_one_or_none()
    if row is None:
        row = ExerciseRow(slug=exercise.slug, **exercise.columns())
        row.steps = [ExerciseStepRow(number=n, text=t) for n, t in enumerate(exercise.steps, 1)]
        session.add(row)
        return "created"
    changed = False
    for column, value in exercise.columns().items():
        if getattr(row, column) != value:
            setattr(row, column, value)
            changed = True
    if tuple(step.text for step in row.steps) != exercise.steps:
        row.steps.clear()
        session.flush()  # delete the old steps before numbers are reused
        row.steps.extend(ExerciseStepRow(number=n, text=t) for n, t in enumerate(exercise.steps, 1))
        changed = True
    return "updated" if changed else "unchanged"


def seed_exercises(engine: Engine, path: Path = DEFAULT_SEED_FILE) -> SeedReport:
    exercises = load_exercise_file(path)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "deactivated": 0}
    try:
        with Session(engine, future=True) as session, session.begin():
            for exercise in exercises:
                counts[_apply(session, exercise)] += 1
            in_file = {exercise.slug for exercise in exercises}
            for row in session.execute(select(ExerciseRow).where(ExerciseRow.active.is_(True))).scalars():
                if row.slug not in in_file:
                    row.active = False
                    counts["deactivated"] += 1
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(f"seeding failed ({error.__class__.__name__}): {error}") from error
    return SeedReport(**counts)
