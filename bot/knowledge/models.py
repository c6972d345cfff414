"""Tables of the exercise database.

`ExerciseRow` and `ExerciseStepRow` are content, owned by `data/exercises.yml`
and rewritten by seeding; the rest of BackCare reads them as
`bot.knowledge.exercise.Exercise`. `ExerciseFeedback` records what a person
did and `WarningSignRecord` the warning signs they reported; seeding never
touches either.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, List

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.engine import Engine
from sqlalchemy.orm import declarative_base, relationship

# SQLAlchemy 1.4 has no type information: the declarative base is Any to the type checker.
Base: Any = declarative_base()


def _now() -> datetime:
    return datetime.now(timezone.utc)


class ExerciseRow(Base):
    __tablename__ = "exercises"

    id = Column(Integer, primary_key=True)
    slug = Column(String(64), unique=True, nullable=False)
    name = Column(String(120), nullable=False)
    purpose = Column(Text, nullable=False)
    stages = Column(String(64), nullable=False)  # comma-separated: acute,subacute,recovery,chronic
    suits_pain = Column(String(64), nullable=False, default="")  # comma-separated bands
    position = Column(String(16), nullable=False)
    sort_order = Column(Integer, nullable=False, default=100)
    dose = Column(Text, nullable=False)
    cautions = Column(Text, nullable=False, default="")  # one caution per line
    # Conditions that rule the exercise out, comma-separated: pregnancy,osteoporosis
    unsuitable_for = Column(String(64), nullable=False, default="", server_default="")
    # Cautions for one condition only, one "condition: sentence" per line
    condition_cautions = Column(Text, nullable=False, default="", server_default="")
    easier_slug = Column(String(64))
    harder_slug = Column(String(64))
    source = Column(String(32), nullable=False)  # seed_article | own_words
    active = Column(Boolean, nullable=False, default=True)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=_now, onupdate=_now)

    steps: List[ExerciseStepRow] = relationship(
        "ExerciseStepRow",
        order_by="ExerciseStepRow.number",
        cascade="all, delete-orphan",
        back_populates="exercise",
    )


class ExerciseStepRow(Base):
    __tablename__ = "exercise_steps"
    __table_args__ = (UniqueConstraint("exercise_id", "number"),)

    id = Column(Integer, primary_key=True)
    exercise_id = Column(Integer, ForeignKey("exercises.id", ondelete="CASCADE"), nullable=False)
    number = Column(Integer, nullable=False)  # 1-based
    text = Column(Text, nullable=False)

    exercise = relationship("ExerciseRow", back_populates="steps")


class ExerciseFeedback(Base):
    """What a person reported about an exercise ("completed", "hurt", ...)."""

    __tablename__ = "exercise_feedback"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    exercise_slug = Column(String(64), nullable=False)
    kind = Column(String(32), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)


class WarningSignRecord(Base):
    """A warning sign a person reported: no exercise until a doctor has checked them.

    Kept per channel sender id so it outlives Rasa's one-hour sessions; removed
    by `backcare forget` and by retention like every other record of a person.
    """

    __tablename__ = "warning_signs"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    code = Column(String(64), nullable=False)
    urgency = Column(String(16), nullable=False)  # emergency | same_day
    reported_at = Column(DateTime(timezone=True), nullable=False, default=_now)
    # Set when the person says a doctor has checked them.
    cleared_at = Column(DateTime(timezone=True))


def create_schema(engine: Engine) -> None:
    """Brings the tables to the newest migration (see bot/knowledge/migrations)."""
    from bot.knowledge.migrate import upgrade

    upgrade(engine)
