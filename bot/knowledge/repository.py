"""Read access to exercises, and the feedback a person leaves about them.

Every read takes the person's language (`en`, `de`; anything else reads as
English) and returns exercises with their texts in it, in English where an
exercise has no translation. The order of a list is the same in every language.
"""

from __future__ import annotations

import re
from typing import Callable, Collection, List, Optional, Sequence, TypeVar

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from bot.knowledge.database import DatabaseUnavailable
from bot.knowledge.exercise import Exercise
from bot.knowledge.models import ExerciseFeedback, ExerciseRow
from bot.languages import ENGLISH

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
            .options(selectinload(ExerciseRow.steps), selectinload(ExerciseRow.translations))
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

    def all(self, language: Optional[str] = ENGLISH) -> List[Exercise]:
        return [item.in_language(language) for item in self._run(self._active)]

    def for_stage(
        self,
        stage: str,
        pain_level: Optional[float] = None,
        conditions: Collection[str] = (),
        language: Optional[str] = ENGLISH,
    ) -> List[Exercise]:
        return [item for item in self.all(language) if item.suits(stage, pain_level, conditions)]

    def get(self, slug: str, language: Optional[str] = ENGLISH) -> Optional[Exercise]:
        return next((item for item in self.all(language) if item.slug == slug), None)

    def find(self, wanted: Optional[str], language: Optional[str] = ENGLISH) -> Optional[Exercise]:
        """The exercise a person asked for: its slug, or its name in any language.

        NLU synonyms turn typed names into slugs; a name the synonyms missed
        ("Schulterkreisen", "hip flexor stretch") still finds the exercise.
        """
        key = _name_key(wanted or "")
        if not key:
            return None
        for item in self.all(language):
            names = {item.slug, *(texts.name for texts in item.texts_by_language().values())}
            if key in {_name_key(name) for name in names}:
                return item
        return None

    def easier_variant(self, slug: str, language: Optional[str] = ENGLISH) -> Optional[Exercise]:
        current = self.get(slug)
        return self.get(current.easier, language) if current and current.easier else None

    def next_for_stage(
        self,
        stage: str,
        pain_level: Optional[float],
        exclude: Sequence[str] = (),
        conditions: Collection[str] = (),
        language: Optional[str] = ENGLISH,
    ) -> Optional[Exercise]:
        suitable = self.for_stage(stage, pain_level, conditions, language)
        return next((item for item in suitable if item.slug not in exclude), None)

    def record_feedback(self, conversation_id: str, slug: str, kind: str) -> None:
        self._run(
            lambda session: session.add(
                ExerciseFeedback(conversation_id=conversation_id, exercise_slug=slug, kind=kind)
            )
        )


def _name_key(text: str) -> str:
    """A name as its lower-case words, umlauts written out: "Päckchensitz (ruhend)",
    "paeckchensitz ruhend" and a slug's words compare equal."""
    folded = text.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return " ".join(re.findall(r"[^\W_]+", folded))
