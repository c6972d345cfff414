"""Read access to exercises, and the feedback a person leaves about them."""

from __future__ import annotations

from typing import Callable, Collection, List, Optional, Sequence, TypeVar

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from bot.knowledge.database import DatabaseUnavailable
from bot.knowledge.exercise import Exercise
from bot.knowledge.models import ExerciseFeedback, ExerciseRow

T = TypeVar("T")
SEED_HINT = "run `backcare db seed` to create and fill it"


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

    def _active(self, session: Session) -> List[Exercise]:
        rows = session.execute(
            select(ExerciseRow)
            .where(ExerciseRow.active.is_(True))
            .options(selectinload(ExerciseRow.steps))
            .order_by(ExerciseRow.sort_order, ExerciseRow.name)
        ).scalars()
        return [Exercise.from_row(row) for row in rows]

    def check(self) -> int:
        """The number of active exercises; raises if there are none."""
        count = self._run(
            lambda session: session.execute(
                select(func.count()).select_from(ExerciseRow).where(ExerciseRow.active.is_(True))
            ).scalar_one()
        )
        if not count:
            raise DatabaseUnavailable(f"the exercise database is empty; {SEED_HINT}")
        return count

    def all(self) -> List[Exercise]:
        return self._run(self._active)

    def for_stage(
        self, stage: str, pain_level: Optional[float] = None, conditions: Collection[str] = ()
    ) -> List[Exercise]:
        return [item for item in self.all() if item.suits(stage, pain_level, conditions)]

    def get(self, slug: str) -> Optional[Exercise]:
        return next((item for item in self.all() if item.slug == slug), None)

    def easier_variant(self, slug: str) -> Optional[Exercise]:
        current = self.get(slug)
        return self.get(current.easier) if current and current.easier else None

    def next_for_stage(
        self,
        stage: str,
        pain_level: Optional[float],
        exclude: Sequence[str] = (),
        conditions: Collection[str] = (),
    ) -> Optional[Exercise]:
        suitable = self.for_stage(stage, pain_level, conditions)
        return next((item for item in suitable if item.slug not in exclude), None)

    def record_feedback(self, conversation_id: str, slug: str, kind: str) -> None:
        self._run(
            lambda session: session.add(
                ExerciseFeedback(conversation_id=conversation_id, exercise_slug=slug, kind=kind)
            )
        )
