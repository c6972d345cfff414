"""Tables of the exercise database.

`Exercise` and `ExerciseStep` are content, owned by `data/exercises.yml` and
rewritten by seeding. `ExerciseFeedback` records what a person did; seeding
never touches it.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import List

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.engine import Engine
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Exercise(Base):
    __tablename__ = "exercises"

    id = Column(Integer, primary_key=True)
    slug = Column(String(64), unique=True, nullable=False)
    name = Column(String(120), nullable=False)
    purpose = Column(Text, nullable=False)
    stages = Column(String(64), nullable=False)  # comma-separated: acute,recovery,chronic
    suits_pain = Column(String(64), nullable=False, default="")  # comma-separated bands; empty = all
    position = Column(String(16), nullable=False)
    sort_order = Column(Integer, nullable=False, default=100)
    dose = Column(Text, nullable=False)
    cautions = Column(Text, nullable=False, default="")  # one caution per line
    easier_slug = Column(String(64))
    harder_slug = Column(String(64))
    source = Column(String(32), nullable=False)  # seed_article | own_words
    active = Column(Boolean, nullable=False, default=True)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=_now, onupdate=_now)

    steps: List["ExerciseStep"] = relationship(
        "ExerciseStep",
        order_by="ExerciseStep.number",
        cascade="all, delete-orphan",
        back_populates="exercise",
    )


class ExerciseStep(Base):
    __tablename__ = "exercise_steps"
    __table_args__ = (UniqueConstraint("exercise_id", "number"),)

    id = Column(Integer, primary_key=True)
    exercise_id = Column(Integer, ForeignKey("exercises.id", ondelete="CASCADE"), nullable=False)
    number = Column(Integer, nullable=False)  # 1-based
    text = Column(Text, nullable=False)

    exercise = relationship("Exercise", back_populates="steps")


class ExerciseFeedback(Base):
    """What a person reported about an exercise ("completed", "hurt", ...)."""

    __tablename__ = "exercise_feedback"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    exercise_slug = Column(String(64), nullable=False)
    kind = Column(String(32), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)


def create_schema(engine: Engine) -> None:
    """Brings the tables to the newest migration (see bot/knowledge/migrations)."""
    from bot.knowledge.migrate import upgrade

    upgrade(engine)
