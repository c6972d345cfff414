"""One exercise: as `data/exercises.yml` describes it, as it is stored, and as the actions use it.

An exercise's texts (name, purpose, position name, steps, dose, cautions) exist
in English and in each translation. `Exercise.in_language` gives the exercise
with its texts in one language, falling back to English; everything else of it
(slug, stages, pain bands, conditions, variants) is the same in every language.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Collection, Dict, Optional, Set, Tuple

from bot.clinical import pain_band
from bot.knowledge.models import ExerciseRow, ExerciseTranslationRow
from bot.languages import ENGLISH, normalise

# The fields that hold what a person reads; they change with the language.
TEXT_FIELDS = ("name", "purpose", "position_name", "steps", "dose", "cautions", "condition_cautions")


def _split(value: Optional[str], separator: str) -> Tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(separator) if part.strip())


def _as_set(conditions: Collection[str]) -> Set[str]:
    """A person's conditions; a single condition given as text counts as one."""
    return {conditions} if isinstance(conditions, str) else set(conditions)


def _condition_cautions(value: Optional[str]) -> Tuple[Tuple[str, str], ...]:
    """Parses the column's "condition: sentence" lines."""
    pairs = (line.split(":", 1) for line in _split(value, "\n") if ":" in line)
    return tuple((condition.strip(), text.strip()) for condition, text in pairs)


def _condition_lines(pairs: Tuple[Tuple[str, str], ...]) -> str:
    return "\n".join(f"{name}: {text}" for name, text in pairs)


@dataclass(frozen=True)
class ExerciseTexts:
    """Everything a person reads of one exercise, in one language."""

    language: str
    name: str
    purpose: str
    position_name: str
    steps: Tuple[str, ...]
    dose: str
    cautions: Tuple[str, ...]
    condition_cautions: Tuple[Tuple[str, str], ...] = ()

    @classmethod
    def from_row(cls, row: ExerciseTranslationRow) -> ExerciseTexts:
        return cls(
            language=row.language,
            name=row.name,
            purpose=row.purpose,
            position_name=row.position_name,
            steps=_split(row.steps, "\n"),
            dose=row.dose,
            cautions=_split(row.cautions, "\n"),
            condition_cautions=_condition_cautions(row.condition_cautions),
        )

    def columns(self) -> Dict[str, Any]:
        """Column values of its `exercise_translations` row, except the exercise id."""
        return {
            "language": self.language,
            "name": self.name,
            "purpose": self.purpose,
            "position_name": self.position_name,
            "steps": "\n".join(self.steps),
            "dose": self.dose,
            "cautions": "\n".join(self.cautions),
            "condition_cautions": _condition_lines(self.condition_cautions),
        }

    def fields(self) -> Dict[str, Any]:
        """The text fields, as `Exercise` names them."""
        return {field: getattr(self, field) for field in TEXT_FIELDS}


@dataclass(frozen=True)
class Exercise:
    """An exercise, detached from any database session.

    Its text fields are in `language`; `translations` holds the texts in the
    other languages it has. `position` is a code (sitting, lying, ...);
    `position_name` is how the position reads in `language`.
    """

    slug: str
    name: str
    purpose: str
    stages: Tuple[str, ...]
    suits_pain: Tuple[str, ...]
    position: str
    order: int
    steps: Tuple[str, ...]
    dose: str
    cautions: Tuple[str, ...]
    easier: Optional[str]
    harder: Optional[str]
    source: str
    unsuitable_for: Tuple[str, ...] = ()
    condition_cautions: Tuple[Tuple[str, str], ...] = ()
    position_name: str = ""
    language: str = ENGLISH
    translations: Tuple[ExerciseTexts, ...] = ()

    def __post_init__(self) -> None:
        if not self.position_name:
            # The position codes are English words: in English the code is the name.
            object.__setattr__(self, "position_name", self.position)

    @classmethod
    def from_row(cls, row: ExerciseRow) -> Exercise:
        """The exercise of an `exercises` row, its steps and translations (the inverse of `columns`)."""
        return cls(
            slug=row.slug,
            name=row.name,
            purpose=row.purpose,
            stages=_split(row.stages, ","),
            suits_pain=_split(row.suits_pain, ","),
            position=row.position,
            order=row.sort_order,
            steps=tuple(step.text for step in row.steps),
            dose=row.dose,
            cautions=_split(row.cautions, "\n"),
            easier=row.easier_slug,
            harder=row.harder_slug,
            source=row.source,
            unsuitable_for=_split(row.unsuitable_for, ","),
            condition_cautions=_condition_cautions(row.condition_cautions),
            translations=tuple(ExerciseTexts.from_row(item) for item in row.translations),
        )

    def columns(self) -> Dict[str, Any]:
        """Column values of its `exercises` row, except the slug, the steps and the translations
        (their own tables). Called on the exercise in English, as the file and the table hold it."""
        return {
            "name": self.name,
            "purpose": self.purpose,
            "stages": ",".join(self.stages),
            "suits_pain": ",".join(self.suits_pain),
            "position": self.position,
            "sort_order": self.order,
            "dose": self.dose,
            "cautions": "\n".join(self.cautions),
            "unsuitable_for": ",".join(self.unsuitable_for),
            "condition_cautions": _condition_lines(self.condition_cautions),
            "easier_slug": self.easier,
            "harder_slug": self.harder,
            "source": self.source,
            "active": True,
        }

    def texts(self) -> ExerciseTexts:
        """Its texts in its own language."""
        return ExerciseTexts(language=self.language, **{field: getattr(self, field) for field in TEXT_FIELDS})

    def texts_by_language(self) -> Dict[str, ExerciseTexts]:
        return {item.language: item for item in (self.texts(), *self.translations)}

    def in_language(self, language: Optional[str]) -> Exercise:
        """The exercise with its texts in `language`; in English where it has no such translation."""
        wanted = normalise(language) or ENGLISH
        if wanted == self.language:
            return self
        available = self.texts_by_language()
        chosen = available.get(wanted) or available.get(ENGLISH)
        if chosen is None or chosen.language == self.language:
            return self
        others = tuple(texts for code, texts in available.items() if code != chosen.language)
        return replace(self, language=chosen.language, translations=others, **chosen.fields())

    def suits(self, stage: str, pain_level: Optional[float], conditions: Collection[str] = ()) -> bool:
        """Whether to offer it; an exercise without pain bands suits no known pain level."""
        if stage not in self.stages or _as_set(conditions) & set(self.unsuitable_for):
            return False
        return pain_level is None or pain_band(pain_level) in self.suits_pain

    def cautions_for(self, conditions: Collection[str] = ()) -> Tuple[str, ...]:
        """The general cautions, then those for the person's conditions."""
        wanted = _as_set(conditions)
        return self.cautions + tuple(text for name, text in self.condition_cautions if name in wanted)
