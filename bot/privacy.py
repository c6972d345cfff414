"""A person's data: delete one conversation, or everything older than N days.

Conversations live in Rasa's SQL tracker store (table `events`, one row per
event, keyed by `sender_id`) and our own `exercise_feedback` and
`warning_signs` tables.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Optional

from sqlalchemy import MetaData, Table, delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import NoSuchTableError, SQLAlchemyError

from bot.knowledge import DatabaseUnavailable, create_engine_for, database_url
from bot.knowledge.models import ExerciseFeedback, WarningSignRecord
from bot.stores import tracker_store_url

SECONDS_PER_DAY = 86400


@dataclass(frozen=True)
class Deleted:
    events: int
    feedback: int
    warning_signs: int = 0


def _events_table(engine: Engine) -> Optional[Table]:
    try:
        return Table("events", MetaData(), autoload_with=engine)
    except NoSuchTableError:
        return None  # no conversation stored yet


def _engines(tracker_url: Optional[str], exercises_url: Optional[str]):
    return create_engine_for(tracker_url or tracker_store_url()), create_engine_for(exercises_url or database_url())


def _delete(
    tracker_url: Optional[str],
    exercises_url: Optional[str],
    events_where: Callable[[Table], Any],
    feedback_where: Any,
    warning_signs_where: Any,
) -> Deleted:
    """Deletes matching tracker events, exercise records and warning signs, in that order."""
    tracker, exercises = _engines(tracker_url, exercises_url)
    try:
        events = 0
        table = _events_table(tracker)
        if table is not None:
            with tracker.begin() as connection:
                events = connection.execute(delete(table).where(events_where(table))).rowcount
        with exercises.begin() as connection:
            feedback = connection.execute(delete(ExerciseFeedback.__table__).where(feedback_where)).rowcount
            signs = connection.execute(delete(WarningSignRecord.__table__).where(warning_signs_where)).rowcount
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(f"deletion failed ({error.__class__.__name__})") from error
    return Deleted(events, feedback, signs)


def forget_conversation(
    conversation_id: str, tracker_url: Optional[str] = None, exercises_url: Optional[str] = None
) -> Deleted:
    """Deletes every stored event and record of one conversation."""
    return _delete(
        tracker_url,
        exercises_url,
        lambda table: table.c.sender_id == conversation_id,
        ExerciseFeedback.conversation_id == conversation_id,
        WarningSignRecord.conversation_id == conversation_id,
    )


def apply_retention(
    days: float, tracker_url: Optional[str] = None, exercises_url: Optional[str] = None, now: Optional[float] = None
) -> Deleted:
    """Deletes conversations whose last event is older than `days`, and old feedback."""
    if days <= 0:
        raise ValueError("retention must be a positive number of days")
    cutoff = (time.time() if now is None else now) - days * SECONDS_PER_DAY

    def stale_conversations(table: Table) -> Any:
        last_event = select(table.c.sender_id).group_by(table.c.sender_id).having(func.max(table.c.timestamp) < cutoff)
        return table.c.sender_id.in_(last_event)

    return _delete(
        tracker_url,
        exercises_url,
        stale_conversations,
        ExerciseFeedback.created_at < datetime.fromtimestamp(cutoff, tz=timezone.utc),
        WarningSignRecord.reported_at < datetime.fromtimestamp(cutoff, tz=timezone.utc),
    )


__all__ = ["Deleted", "apply_retention", "forget_conversation"]
