"""Read access to exercises, and the feedback a person leaves about them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Collection, List, Optional, Sequence, Set, Tuple, TypeVar

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from bot.clinical import pain_band
from bot.knowledge.database import DatabaseUnavailable
from bot.knowledge.models import Exercise, ExerciseFeedback

T = TypeVar("T")
SEED_HINT = "run `backcare db seed` to create and fill it"


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
class ExerciseView:
    """An exercise as the actions use it, detached from the database session."""

    slug: str
    name: str
    purpose: str
    stages: Tuple[str, ...]
    suits_pain: Tuple[str, ...]
    position: str
    steps: Tuple[str, ...]
    dose: str
    cautions: Tuple[str, ...]
    easier: Optional[str]
    harder: Optional[str]
    source: str
    unsuitable_for: Tuple[str, ...] = ()
    condition_cautions: Tuple[Tuple[str, str], ...] = ()

    @classmethod
    def from_row(cls, row: Exercise) -> "ExerciseView":
        return cls(
            slug=row.slug,
            name=row.name,
            purpose=row.purpose,
            stages=_split(row.stages, ","),
            suits_pain=_split(row.suits_pain, ","),
            position=row.position,
            steps=tuple(step.text for step in row.steps),
            dose=row.dose,
            cautions=_split(row.cautions, "\n"),
            easier=row.easier_slug,
            harder=row.harder_slug,
            source=row.source,
            unsuitable_for=_split(row.unsuitable_for, ","),
            condition_cautions=_condition_cautions(row.condition_cautions),
        )

    def suits(self, stage: str, pain_level: Optional[float], conditions: Collection[str] = ()) -> bool:
        """Whether to offer it; an exercise without pain bands suits no known pain level."""
        if stage not in self.stages or _as_set(conditions) & set(self.unsuitable_for):
            return False
        return pain_level is None or pain_band(pain_level) in self.suits_pain

    def cautions_for(self, conditions: Collection[str] = ()) -> Tuple[str, ...]:
        """The general cautions, then those for the person's conditions."""
        wanted = _as_set(conditions)
        return self.cautions + tuple(text for name, text in self.condition_cautions if name in wanted)


class ExerciseRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _run(self, work: Callable[[Session], T]) -> T:
        try:
            with Session(self._engine, future=True) as session, session.begin():
                return work(session)
        except SQLAlchemyError as error:
            raise DatabaseUnavailable(
                f"the exercise database cannot be read ({error.__class__.__name__}); {SEED_HINT}"
            ) from error

    def _active(self, session: Session) -> List[ExerciseView]:
        rows = session.execute(
            select(Exercise)
            .where(Exercise.active.is_(True))
            .options(selectinload(Exercise.steps))
            .order_by(Exercise.sort_order, Exercise.name)
        ).scalars()
        return [ExerciseView.from_row(row) for row in rows]

    def check(self) -> int:
        """The number of active exercises; raises if there are none."""
        count = self._run(
            lambda session: session.execute(
                select(func.count()).select_from(Exercise).where(Exercise.active.is_(True))
            ).scalar_one()
        )
        if not count:
            raise DatabaseUnavailable(f"the exercise database is empty; {SEED_HINT}")
        return count

    def all(self) -> List[ExerciseView]:
        return self._run(self._active)

    def for_stage(
        self, stage: str, pain_level: Optional[float] = None, conditions: Collection[str] = ()
    ) -> List[ExerciseView]:
        return [item for item in self.all() if item.suits(stage, pain_level, conditions)]

    def get(self, slug: str) -> Optional[ExerciseView]:
        return next((item for item in self.all() if item.slug == slug), None)

    def find_by_name(self, text: str) -> Optional[ExerciseView]:
        wanted = text.strip().lower().replace("_", " ").replace("-", " ")
        return next(
            (item for item in self.all() if wanted in (item.name.lower(), item.slug.replace("_", " "))),
            None,
        )

    def easier_variant(self, slug: str) -> Optional[ExerciseView]:
        current = self.get(slug)
        return self.get(current.easier) if current and current.easier else None

    def next_for_stage(
        self,
        stage: str,
        pain_level: Optional[float],
        exclude: Sequence[str] = (),
        conditions: Collection[str] = (),
    ) -> Optional[ExerciseView]:
        suitable = self.for_stage(stage, pain_level, conditions)
        return next((item for item in suitable if item.slug not in exclude), None)

    def record_feedback(self, conversation_id: str, slug: str, kind: str) -> None:
        self._run(
            lambda session: session.add(
                ExerciseFeedback(conversation_id=conversation_id, exercise_slug=slug, kind=kind)
            )
        )

    def delete_feedback(self, conversation_id: str) -> int:
        return self._run(
            lambda session: session.execute(
                delete(ExerciseFeedback).where(ExerciseFeedback.conversation_id == conversation_id)
            ).rowcount
        )
