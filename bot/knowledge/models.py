"""Tables of the exercise database.

`ExerciseRow`, `ExerciseStepRow` and `ExerciseTranslationRow` are content,
owned by `data/exercises.yml` and rewritten by seeding; the rest of BackCare
reads them as
`bot.knowledge.exercise.Exercise`. `ExerciseFeedback` records what a person
did and `WarningSignRecord` the warning signs they reported; `Person`,
`CheckIn` and `Reminder` are a person's care over weeks (bot/care/). Seeding
never touches any of these.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, List

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.engine import Engine
from sqlalchemy.orm import declarative_base, relationship

from bot import clock

# SQLAlchemy 1.4 has no type information: the declarative base is Any to the type checker.
Base: Any = declarative_base()


def _now() -> datetime:
    return clock.now()


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
    # The texts in the other languages; the columns above are the English ones.
    translations: List[ExerciseTranslationRow] = relationship(
        "ExerciseTranslationRow",
        order_by="ExerciseTranslationRow.language",
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


class ExerciseTranslationRow(Base):
    """Everything a person reads of one exercise, in one language other than English.

    Steps and cautions are one per line, condition cautions one "condition: sentence"
    per line, as in `exercises`: a translation is read and written as a whole.
    """

    __tablename__ = "exercise_translations"
    __table_args__ = (UniqueConstraint("exercise_id", "language"),)

    id = Column(Integer, primary_key=True)
    exercise_id = Column(Integer, ForeignKey("exercises.id", ondelete="CASCADE"), nullable=False)
    language = Column(String(8), nullable=False)  # de
    name = Column(String(120), nullable=False)
    purpose = Column(Text, nullable=False)
    position_name = Column(String(64), nullable=False)  # how the position reads: "im Sitzen"
    steps = Column(Text, nullable=False)
    dose = Column(Text, nullable=False)
    cautions = Column(Text, nullable=False)
    condition_cautions = Column(Text, nullable=False, default="", server_default="")
    updated_at = Column(DateTime(timezone=True), nullable=False, default=_now, onupdate=_now)

    exercise = relationship("ExerciseRow", back_populates="translations")


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


class Person(Base):
    """Someone BackCare talks to, keyed by channel and sender id (never by name).

    `conversation_id` is the Rasa sender id (`telegram:<chat>`, `web:<id>`, a
    REST sender), which the other records of the person use too.
    """

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("channel", "sender_id"),)

    id = Column(Integer, primary_key=True)
    channel = Column(String(16), nullable=False)  # telegram | web | rest
    sender_id = Column(String(255), nullable=False)
    conversation_id = Column(String(255), nullable=False, unique=True)
    first_seen_at = Column(DateTime(timezone=True), nullable=False)
    # First day of this episode of back pain: the first assessment minus its duration.
    episode_started_at = Column(DateTime(timezone=True))
    stage = Column(String(16))  # the last triage: acute | subacute | recovery | chronic | urgent
    leg_pain = Column(String(16))
    time_zone = Column(String(64))  # IANA name, asked once
    plan_week = Column(Integer, nullable=False, default=1, server_default="1")
    plan_changed_at = Column(DateTime(timezone=True))
    plan_note = Column(String(32))  # why the plan last changed: start | up | back | week
    last_active_at = Column(DateTime(timezone=True), nullable=False)

    check_ins: List[CheckIn] = relationship(
        "CheckIn", order_by="CheckIn.checked_at", cascade="all, delete-orphan", passive_deletes=True
    )


class CheckIn(Base):
    """One day's record: pain 0-10 and the answer to the warning-sign question."""

    __tablename__ = "check_ins"

    id = Column(Integer, primary_key=True)
    person_id = Column(Integer, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    checked_at = Column(DateTime(timezone=True), nullable=False)
    pain = Column(Integer)  # 0-10
    warning_signs = Column(String(16), nullable=False, default="not_asked")  # none | reported | not_asked
    source = Column(String(16), nullable=False)  # assessment | check_in


class Reminder(Base):
    """A daily check-in at a local time; `next_due_at` is the next slot in UTC.

    A slot is claimed by moving `next_due_at` forward in one conditional
    UPDATE, so with several reminder processes each slot is sent at most once.
    """

    __tablename__ = "reminders"

    id = Column(Integer, primary_key=True)
    person_id = Column(Integer, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, unique=True)
    hour = Column(Integer, nullable=False)
    minute = Column(Integer, nullable=False)
    time_zone = Column(String(64), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    next_due_at = Column(DateTime(timezone=True), nullable=False, index=True)
    last_sent_at = Column(DateTime(timezone=True))
    # A web reminder whose slot came: the page shows the check-in when it is next opened.
    waiting_since = Column(DateTime(timezone=True))
    # Reminders sent since the person last wrote; at 2 no more are sent.
    unanswered = Column(Integer, nullable=False, default=0, server_default="0")


def create_schema(engine: Engine) -> None:
    """Brings the tables to the newest migration (see bot/knowledge/migrations)."""
    from bot.knowledge.migrate import upgrade

    upgrade(engine)
