"""A person's data: delete one conversation, or everything older than N days.

Conversations live in Rasa's SQL tracker store (table `events`, one row per
event, keyed by `sender_id`) and our own `exercise_feedback` and
`warning_signs` tables; care over weeks in `people`, `check_ins` and
`reminders` (bot/care/).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, List, Optional, Tuple, TypeVar

from rasa.core.lock_store import LockStore
from sqlalchemy import MetaData, Table, delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import NoSuchTableError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot import clock
from bot.care.records import forget_check_ins_before, forget_inactive_people, forget_person
from bot.knowledge import DatabaseUnavailable, create_engine_for, database_url
from bot.knowledge.models import ExerciseFeedback, WarningSignRecord
from bot.stores import tracker_store_url

SECONDS_PER_DAY = 86400
LOCK_POLL_SECONDS = 0.05
T = TypeVar("T")


@dataclass(frozen=True)
class Deleted:
    events: int
    feedback: int
    warning_signs: int = 0
    care_records: int = 0  # people, check-ins and reminders

    def __add__(self, other: Deleted) -> Deleted:
        return Deleted(
            self.events + other.events,
            self.feedback + other.feedback,
            self.warning_signs + other.warning_signs,
            self.care_records + other.care_records,
        )


def _events_table(engine: Engine) -> Optional[Table]:
    try:
        return Table("events", MetaData(), autoload_with=engine)
    except NoSuchTableError:
        return None  # no conversation stored yet


def _delete_events(tracker_url: Optional[str], where: Callable[[Table], Any]) -> int:
    engine = create_engine_for(tracker_url or tracker_store_url())
    table = _events_table(engine)
    if table is None:
        return 0
    with engine.begin() as connection:
        return connection.execute(delete(table).where(where(table))).rowcount


def _delete_records(
    exercises_url: Optional[str],
    feedback_where: Any,
    warning_signs_where: Any,
    care: Callable[[Session], int],
) -> Tuple[int, int, int]:
    with Session(create_engine_for(exercises_url or database_url()), future=True) as session, session.begin():
        feedback = session.execute(delete(ExerciseFeedback.__table__).where(feedback_where)).rowcount
        signs = session.execute(delete(WarningSignRecord.__table__).where(warning_signs_where)).rowcount
        care_rows = care(session)
    return feedback, signs, care_rows


def forget_conversation(
    conversation_id: str,
    tracker_url: Optional[str] = None,
    exercises_url: Optional[str] = None,
    last_event_before: Optional[float] = None,
) -> Deleted:
    """Deletes every stored event and record of one conversation.

    With `last_event_before`, only if the conversation's last event is older:
    retention must not delete a conversation that was resumed meanwhile.
    """

    def events_of_conversation(table: Table) -> Any:
        condition = table.c.sender_id == conversation_id
        if last_event_before is None:
            return condition
        newest = select(func.max(table.c.timestamp)).where(condition).scalar_subquery()
        return condition & (newest < last_event_before)

    try:
        events = _delete_events(tracker_url, events_of_conversation)
        if last_event_before is not None and events == 0:
            return Deleted(0, 0, 0)
        feedback, signs, care_rows = _delete_records(
            exercises_url,
            ExerciseFeedback.conversation_id == conversation_id,
            WarningSignRecord.conversation_id == conversation_id,
            lambda session: forget_person(session, conversation_id),
        )
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(f"deletion failed ({error.__class__.__name__})") from error
    return Deleted(events, feedback, signs, care_rows)


def stale_conversations(cutoff: float, tracker_url: Optional[str] = None) -> List[str]:
    """Ids of conversations whose last event is older than `cutoff` (epoch seconds)."""
    engine = create_engine_for(tracker_url or tracker_store_url())
    table = _events_table(engine)
    if table is None:
        return []
    query = select(table.c.sender_id).group_by(table.c.sender_id).having(func.max(table.c.timestamp) < cutoff)
    try:
        with engine.connect() as connection:
            return [row[0] for row in connection.execute(query)]
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(f"retention failed ({error.__class__.__name__})") from error


def _cutoff(days: float, now: Optional[float]) -> float:
    if days <= 0:
        raise ValueError("retention must be a positive number of days")
    return (clock.now().timestamp() if now is None else now) - days * SECONDS_PER_DAY


def _forget_old_records(cutoff: float, exercises_url: Optional[str]) -> Deleted:
    moment = datetime.fromtimestamp(cutoff, tz=timezone.utc)
    try:
        feedback, signs, care_rows = _delete_records(
            exercises_url,
            ExerciseFeedback.created_at < moment,
            WarningSignRecord.reported_at < moment,
            lambda session: (
                forget_inactive_people(session, moment) + forget_check_ins_before(session, moment)
            ),
        )
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(f"retention failed ({error.__class__.__name__})") from error
    return Deleted(0, feedback, signs, care_rows)


def apply_retention(
    days: float,
    tracker_url: Optional[str] = None,
    exercises_url: Optional[str] = None,
    now: Optional[float] = None,
) -> Deleted:
    """Deletes conversations whose last event is older than `days`, and old records.

    Without a lock: for a stopped server, or one whose lock store this process
    shares (Redis). A running server does the same under its own locks
    (`apply_retention_locked`, behind DELETE /webhooks/privacy/conversations).
    """
    cutoff = _cutoff(days, now)
    total = Deleted(0, 0, 0)
    for conversation_id in stale_conversations(cutoff, tracker_url):
        total += forget_conversation(conversation_id, tracker_url, exercises_url, last_event_before=cutoff)
    return total + _forget_old_records(cutoff, exercises_url)


async def forget_conversation_locked(lock_store: LockStore, conversation_id: str) -> Deleted:
    """`forget_conversation` holding the conversation's lock, as Rasa does for a turn.

    Rasa's SQL tracker store saves the events a tracker has beyond the number
    stored; a turn in flight during a deletion would write the whole history
    back. Holding the lock, the deletion waits for that turn, and a later turn
    starts from nothing.
    """
    async with lock_store.lock(conversation_id, wait_time_in_seconds=LOCK_POLL_SECONDS):
        return await _in_thread(forget_conversation, conversation_id)


async def apply_retention_locked(lock_store: LockStore, days: float, now: Optional[float] = None) -> Deleted:
    """`apply_retention`, taking each stale conversation's lock in turn."""
    cutoff = _cutoff(days, now)
    total = Deleted(0, 0, 0)
    for conversation_id in await _in_thread(stale_conversations, cutoff):
        async with lock_store.lock(conversation_id, wait_time_in_seconds=LOCK_POLL_SECONDS):
            total += await _in_thread(forget_conversation, conversation_id, None, None, cutoff)
    return total + await _in_thread(_forget_old_records, cutoff, None)


async def _in_thread(function: Callable[..., T], *args: Any) -> T:
    """The stores are synchronous SQLAlchemy: keep them off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)


__all__ = [
    "Deleted",
    "apply_retention",
    "apply_retention_locked",
    "forget_conversation",
    "forget_conversation_locked",
    "stale_conversations",
]
