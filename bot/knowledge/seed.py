"""Loads `data/exercises.yml` into the database, idempotently.

Re-seeding updates what changed, never duplicates, and never deletes: an
exercise removed from the file is only deactivated, and people's feedback
rows are left alone. An exercise's English texts are its own columns and
steps; each `translations:` block of the file becomes one
`exercise_translations` row (exercise, language), updated in place.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Dict, List, Mapping, Tuple

import yaml
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.knowledge.database import DatabaseUnavailable
from bot.knowledge.exercise import Exercise, ExerciseTexts
from bot.knowledge.models import ExerciseRow, ExerciseStepRow, ExerciseTranslationRow
from bot.languages import ENGLISH, SUPPORTED
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
# What a translation block must give: every text a person reads of the exercise.
TRANSLATED = ("name", "purpose", "position_name", "steps", "dose", "cautions")


class SeedFileError(ValueError):
    """The exercise file is invalid; the message names the exercise and field."""


@dataclass(frozen=True)
class SeedReport:
    """Exercises created, updated, unchanged, deactivated (by their English row and steps),
    and translations (one per exercise and language) created, updated or removed."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    translations_created: int = 0
    translations_updated: int = 0
    translations_removed: int = 0


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


def _lines(slug: str, where: str, values: Any) -> Tuple[str, ...]:
    """A non-empty list of one-line texts (they are stored one per line)."""
    if not isinstance(values, list) or not values:
        raise SeedFileError(f"exercise {slug!r}: {where} must be a non-empty list of texts")
    for value in values:
        if not isinstance(value, str) or not value.strip() or "\n" in value.strip():
            raise SeedFileError(f"exercise {slug!r}: {where} must be a list of one-line texts")
    return tuple(value.strip() for value in values)


def _translation(slug: str, language: Any, raw: Any, english: Exercise) -> ExerciseTexts:
    """One `translations:` block, complete and matching the English texts item for item."""
    where = f"translations[{language!r}]"
    if language not in SUPPORTED or language == ENGLISH:
        others = sorted(set(SUPPORTED) - {ENGLISH})
        raise SeedFileError(f"exercise {slug!r}: {where}: the language must be one of {others}")
    if not isinstance(raw, Mapping):
        raise SeedFileError(f"exercise {slug!r}: {where} must map each text field to its translation")
    unknown = sorted(set(raw) - {*TRANSLATED, "condition_cautions"})
    if unknown:
        raise SeedFileError(f"exercise {slug!r}: {where} has unknown fields {unknown}")
    for field in TRANSLATED:
        if raw.get(field) in (None, "", []):
            raise SeedFileError(f"exercise {slug!r}: {where} is missing {field}")
    for field in ("name", "purpose", "position_name", "dose"):
        if not isinstance(raw[field], (str, int)) or "\n" in str(raw[field]).strip():
            raise SeedFileError(f"exercise {slug!r}: {where}.{field} must be one line of text")
    steps = _lines(slug, f"{where}.steps", raw["steps"])
    cautions = _lines(slug, f"{where}.cautions", raw["cautions"])
    # Same numbers of steps and cautions: "step 3 of 4" stays true when a person switches language.
    if len(steps) != len(english.steps) or len(cautions) != len(english.cautions):
        raise SeedFileError(
            f"exercise {slug!r}: {where} needs {len(english.steps)} steps and "
            f"{len(english.cautions)} cautions, as in English"
        )
    translated = dict(_condition_cautions(slug, {"condition_cautions": raw.get("condition_cautions")}, ()))
    in_english = [name for name, _ in english.condition_cautions]
    if set(translated) != set(in_english):
        raise SeedFileError(
            f"exercise {slug!r}: {where}.condition_cautions must cover the same conditions as in English "
            f"{in_english}"
        )
    conditions = tuple((name, translated[name]) for name in in_english)
    return ExerciseTexts(
        language=language,
        name=str(raw["name"]).strip(),
        purpose=str(raw["purpose"]).strip(),
        position_name=str(raw["position_name"]).strip(),
        steps=steps,
        dose=str(raw["dose"]).strip(),
        cautions=cautions,
        condition_cautions=conditions,
    )


def _translations(slug: str, raw: Dict[str, Any], english: Exercise) -> Tuple[ExerciseTexts, ...]:
    blocks = raw.get("translations")
    if blocks in (None, {}):
        return ()
    if not isinstance(blocks, Mapping):
        raise SeedFileError(f"exercise {slug!r}: translations must map a language code to its texts")
    return tuple(_translation(slug, code, blocks[code], english) for code in sorted(blocks, key=str))


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
    english = Exercise(
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
    return replace(english, translations=_translations(slug, raw, english))


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


def _apply_translations(row: ExerciseRow, exercise: Exercise, counts: Dict[str, int]) -> None:
    """Brings the exercise's translation rows in line with the file: one per language."""
    stored = {item.language: item for item in row.translations}
    wanted = {texts.language: texts for texts in exercise.translations}
    for language, texts in wanted.items():
        columns = texts.columns()
        existing = stored.get(language)
        if existing is None:
            row.translations.append(ExerciseTranslationRow(**columns))
            counts["translations_created"] += 1
            continue
        changed = [column for column, value in columns.items() if getattr(existing, column) != value]
        for column in changed:
            setattr(existing, column, columns[column])
        counts["translations_updated"] += bool(changed)
    for language, existing in stored.items():
        if language not in wanted:
            # Translation content only: the exercise then reads in English in that language.
            row.translations.remove(existing)
            counts["translations_removed"] += 1


def _apply(session: Session, exercise: Exercise, counts: Dict[str, int]) -> str:
    """Creates or updates one exercise; returns "created", "updated" or "unchanged"
    for its English row and steps (its translations are counted on their own)."""
    row = session.execute(select(ExerciseRow).where(ExerciseRow.slug == exercise.slug)).scalar_one_or_none()
    if row is None:
        row = ExerciseRow(slug=exercise.slug, **exercise.columns())
        row.steps = [ExerciseStepRow(number=n, text=t) for n, t in enumerate(exercise.steps, 1)]
        session.add(row)
        _apply_translations(row, exercise, counts)
        return "created"
    _apply_translations(row, exercise, counts)
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
    counts = dict.fromkeys(SeedReport.__dataclass_fields__, 0)
    try:
        with Session(engine, future=True) as session, session.begin():
            for exercise in exercises:
                counts[_apply(session, exercise, counts)] += 1
            in_file = {exercise.slug for exercise in exercises}
            for row in session.execute(select(ExerciseRow).where(ExerciseRow.active.is_(True))).scalars():
                if row.slug not in in_file:
                    row.active = False
                    counts["deactivated"] += 1
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(f"seeding failed ({error.__class__.__name__}): {error}") from error
    return SeedReport(**counts)
