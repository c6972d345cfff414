"""Daily check-in reminders in the database: one per person, each slot sent at most once.

A reminder is a local time (hour, minute, IANA time zone) and `next_due_at`,
its next slot in UTC. The reminder process (`bot.care.reminder_process`)
reads the due ones and claims each slot before sending it.

Why one conditional UPDATE is enough for "at most once", with any number of
reminder processes on any number of machines: `claim` moves `next_due_at`
from the slot it read to the following one in a single statement whose WHERE
clause still names the slot it read. On PostgreSQL (READ COMMITTED) an UPDATE
locks the row it changes; a second UPDATE of the same row waits for the first
transaction to commit and then evaluates its WHERE clause again on the new
row, where `next_due_at` no longer equals the slot, so it changes nothing.
SQLite lets one writer at a time hold the database lock, so the second UPDATE
runs after the first has committed and finds nothing to change either. The
row count tells each process whether it won; no SELECT ... FOR UPDATE, no
lock table, and no process that dies holding a lock.

After 2 reminders without an answer no more are sent: `skip` moves the slot
on without sending (as it does for REST senders, who cannot be reached), so
when the person writes again (`CareRecords.touch` sets `unanswered` back to 0)
the next reminder is the next slot to come, not a burst of the missed ones.
After days with no reminder process running, the first poll sends one
reminder for the oldest missed slot and the claim moves on to the next slot
to come.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, List, Optional, TypeVar

from sqlalchemy import and_, case, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bot import clock
from bot.care.records import CareRecords, aware
from bot.care.reminder_times import is_time_zone, next_slot, parse_reminder_time, parse_time_zone
from bot.knowledge.database import in_transaction
from bot.knowledge.models import Person, Reminder

__all__ = [
    "MAX_UNANSWERED",
    "ReminderInfo",
    "ReminderStore",
    "next_slot",
    "parse_reminder_time",
    "parse_time_zone",
]

T = TypeVar("T")
# Reminders sent since the person last wrote; at this many no more are sent.
MAX_UNANSWERED = 2


@dataclass(frozen=True)
class ReminderInfo:
    """One person's reminder as read from the database."""

    id: int
    hour: int
    minute: int
    time_zone: str
    active: bool
    next_due_at: datetime  # the next slot, aware UTC
    unanswered: int
    channel: str  # telegram | web | rest
    conversation_id: str


class ReminderStore:
    """Sets, stops and reads reminders (table `reminders`) and claims their slots."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _run(self, what: str, work: Callable[[Session], T]) -> T:
        return in_transaction(self._engine, what, work)

    def set(self, conversation_id: str, hour: int, minute: int, time_zone: str) -> ReminderInfo:
        """A daily reminder at hour:minute in `time_zone`, replacing the person's earlier one.

        Also keeps the time zone in the person's record, so it is asked only once.
        """
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise ValueError(f"no such time of day: {hour}:{minute:02d}")
        if not is_time_zone(time_zone):
            raise ValueError(f"not an IANA time zone: {time_zone!r}")
        now = clock.now()

        def work(session: Session) -> ReminderInfo:
            person = CareRecords._person(session, conversation_id, now)
            person.time_zone = time_zone
            reminder = session.execute(
                select(Reminder).where(Reminder.person_id == person.id)
            ).scalar_one_or_none()
            if reminder is None:
                reminder = Reminder(person_id=person.id)
                session.add(reminder)
            reminder.hour, reminder.minute, reminder.time_zone = hour, minute, time_zone
            reminder.active = True
            reminder.unanswered = 0
            reminder.next_due_at = next_slot(hour, minute, time_zone, now)
            session.flush()
            return _info(reminder, person)

        return self._run("store the reminder", work)

    def stop(self, conversation_id: str) -> bool:
        """Stops the person's reminder; False when there was no active one."""

        def work(session: Session) -> bool:
            person_ids = select(Person.id).where(Person.conversation_id == conversation_id)
            stopped = session.execute(
                update(Reminder)
                .where(Reminder.person_id.in_(person_ids), Reminder.active)
                .values(active=False)
                .execution_options(synchronize_session=False)
            )
            return bool(stopped.rowcount)

        return self._run("stop the reminder", work)

    def get(self, conversation_id: str) -> Optional[ReminderInfo]:
        """The person's reminder (active or stopped), or None."""

        def work(session: Session) -> Optional[ReminderInfo]:
            row = session.execute(
                select(Reminder, Person)
                .join(Person, Reminder.person_id == Person.id)
                .where(Person.conversation_id == conversation_id)
            ).first()
            return _info(*row) if row else None

        return self._run("read the reminder", work)

    def due(self, now: datetime, limit: int = 100) -> List[ReminderInfo]:
        """Active reminders whose slot has come, oldest slot first."""

        def work(session: Session) -> List[ReminderInfo]:
            rows = session.execute(
                select(Reminder, Person)
                .join(Person, Reminder.person_id == Person.id)
                .where(Reminder.active, Reminder.next_due_at <= _utc(now))
                .order_by(Reminder.next_due_at, Reminder.id)
                .limit(limit)
            )
            return [_info(reminder, person) for reminder, person in rows]

        return self._run("read due reminders", work)

    def claim(self, reminder: ReminderInfo, now: datetime, waiting: bool = False) -> bool:
        """Takes the slot `reminder.next_due_at` for sending; True for exactly one caller per slot.

        Moves the reminder to its next slot after `now`, notes the sending
        and counts one more unanswered reminder, in one conditional UPDATE
        (see the module docstring for why that is safe across processes).
        With `waiting` the check-in waits for the page (`take_waiting`).
        """
        moved = self._move_on(
            reminder,
            now,
            Reminder.unanswered < MAX_UNANSWERED,
            last_sent_at=_utc(now),
            unanswered=Reminder.unanswered + 1,
            **({"waiting_since": _utc(now)} if waiting else {}),
        )
        return self._run("claim a reminder", moved)

    def take_waiting(self, conversation_id: str) -> bool:
        """True once for a web reminder that waits for the page: the page then shows the check-in.

        One conditional UPDATE again, so two tabs or two replicas show it once.
        """

        def work(session: Session) -> bool:
            person = select(Person.id).where(Person.conversation_id == conversation_id).scalar_subquery()
            changed = session.execute(
                update(Reminder)
                .where(Reminder.person_id == person, Reminder.waiting_since.is_not(None), Reminder.active)
                .values(waiting_since=None)
                .execution_options(synchronize_session=False)
            )
            return changed.rowcount == 1

        return self._run("read a waiting reminder", work)

    def skip(self, reminder: ReminderInfo, now: Optional[datetime] = None) -> bool:
        """Moves the reminder to its next slot without sending (2 unanswered, or no way to reach the person).

        The same conditional UPDATE as `claim`, so a slot is either sent or skipped, once.
        """
        moved = self._move_on(reminder, now or clock.now())
        return self._run("skip a reminder", moved)

    def _move_on(
        self, reminder: ReminderInfo, now: datetime, *conditions: ColumnElement, **values: object
    ) -> Callable[[Session], bool]:
        """The conditional UPDATE behind `claim` and `skip`: only from the slot that was read."""
        slot = _utc(reminder.next_due_at)
        following = next_slot(reminder.hour, reminder.minute, reminder.time_zone, max(slot, _utc(now)))

        def work(session: Session) -> bool:
            changed = session.execute(
                update(Reminder)
                .where(Reminder.id == reminder.id, Reminder.next_due_at == slot, Reminder.active, *conditions)
                .values(next_due_at=following, **values)
                .execution_options(synchronize_session=False)
            )
            return changed.rowcount == 1

        return work

    def release(self, reminder: ReminderInfo, slot: datetime) -> bool:
        """Puts back a claimed slot whose delivery failed, so a later poll sends it again.

        Only while the reminder has not changed since the claim: the same
        time of day and a later next slot (a second release, or a new time
        the person set meanwhile, leaves it as it is).
        """
        slot = _utc(slot)

        def work(session: Session) -> bool:
            changed = session.execute(
                update(Reminder)
                .where(
                    and_(
                        Reminder.id == reminder.id,
                        Reminder.next_due_at > slot,
                        Reminder.hour == reminder.hour,
                        Reminder.minute == reminder.minute,
                        Reminder.time_zone == reminder.time_zone,
                    )
                )
                .values(
                    next_due_at=slot,
                    # The person may have written since the claim (unanswered 0).
                    unanswered=case((Reminder.unanswered > 0, Reminder.unanswered - 1), else_=0),
                )
                .execution_options(synchronize_session=False)
            )
            return changed.rowcount == 1

        return self._run("put a reminder back", work)


def _utc(moment: datetime) -> datetime:
    """`moment` in UTC: SQLite compares the stored text, which must be UTC on both sides."""
    return aware(moment).astimezone(timezone.utc)


def _info(reminder: Reminder, person: Person) -> ReminderInfo:
    return ReminderInfo(
        id=reminder.id,
        hour=reminder.hour,
        minute=reminder.minute,
        time_zone=reminder.time_zone,
        active=bool(reminder.active),
        next_due_at=_utc(reminder.next_due_at),
        unanswered=reminder.unanswered or 0,
        channel=person.channel,
        conversation_id=person.conversation_id,
    )
