"""One exercise: as `data/exercises.yml` describes it, as it is stored, and as the actions use it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Collection, Dict, Optional, Set, Tuple

from bot.clinical import pain_band
from bot.knowledge.models import ExerciseRow


def _split(value: Optional[str], separator: str) -> Tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(separator) if part.strip())


def _as_set(conditions: Collection[str]) -> Set[str]:
    """A person's conditions; a single condition given as text counts as one."""
    return {conditions} if isinstance(conditions, str) else set(conditions)


def _condition_cautions(value: Optional[str]) -> Tuple[Tuple[str, str], ...]:
    """Parses the column's "condition: sentence" lines."""
    pairs = (line.split(":", 1) for line in _split(value, "\n") if ":" in line)
    return tuple((condition.strip(), text.strip()) for condition, text in pairs)


@dataclass(frozen=True)
class Exercise:
    """An exercise, detached from any database session."""

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

    @classmethod
    def from_row(cls, row: ExerciseRow) -> Exercise:
        """The exercise of an `exercises` row and its steps (the inverse of `columns`)."""
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
        )

    def columns(self) -> Dict[str, Any]:
        """Column values of its `exercises` row, except the slug and the steps (their own table)."""
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
            "condition_cautions": "\n".join(f"{name}: {text}" for name, text in self.condition_cautions),
            "easier_slug": self.easier,
            "harder_slug": self.harder,
            "source": self.source,
            "active": True,
        }

    def suits(self, stage: str, pain_level: Optional[float], conditions: Collection[str] = ()) -> bool:
        """Whether to offer it; an exercise without pain bands suits no known pain level."""
        if stage not in self.stages or _as_set(conditions) & set(self.unsuitable_for):
            return False
        return pain_level is None or pain_band(pain_level) in self.suits_pain

    def cautions_for(self, conditions: Collection[str] = ()) -> Tuple[str, ...]:
        """The general cautions, then those for the person's conditions."""
        wanted = _as_set(conditions)
        return self.cautions + tuple(text for name, text in self.condition_cautions if name in wanted)
