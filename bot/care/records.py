"""A person's records: who they are (channel and sender id), their daily check-ins, their plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, List, Optional, Tuple, TypeVar

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot import clock
from bot.knowledge.database import in_transaction
from bot.knowledge.models import CheckIn, ExerciseFeedback, Person, Reminder, WarningSignRecord

T = TypeVar("T")
NONE_REPORTED, REPORTED, NOT_ASKED = "none", "reported", "not_asked"
DAYS_PER_WEEK = 7


# The prefixes the channels give their conversation ids (bot/channels/conversation_ids.py);
# any other sender id is a REST sender.
CHANNEL_PREFIXES = {"telegram:": "telegram", "web:": "web"}


def person_key(conversation_id: str) -> Tuple[str, str]:
    """(channel, sender id) of a Rasa conversation id."""
    for prefix, channel in CHANNEL_PREFIXES.items():
        if conversation_id.startswith(prefix):
            return channel, conversation_id[len(prefix) :]
    return "rest", conversation_id


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class PainEntry:
    at: datetime
    pain: Optional[int]
    warning_signs: str
    source: str


@dataclass(frozen=True)
class ExerciseEvent:
    at: datetime
    slug: str
    kind: str  # completed | hurt | easier_requested | harder_requested


@dataclass(frozen=True)
class WarningSignAnswer:
    at: datetime
    code: str
    cleared_at: Optional[datetime]


@dataclass(frozen=True)
class CareHistory:
    """Everything BackCare keeps about one person, oldest first."""

    conversation_id: str
    channel: str
    first_seen_at: datetime
    last_active_at: datetime
    episode_started_at: Optional[datetime]
    stage: Optional[str]
    leg_pain: Optional[str]
    time_zone: Optional[str]
    plan_week: int
    plan_note: Optional[str]
    plan_changed_at: Optional[datetime]
    check_ins: Tuple[PainEntry, ...] = ()
    exercises: Tuple[ExerciseEvent, ...] = ()
    warning_signs: Tuple[WarningSignAnswer, ...] = field(default=())

    def pain_record(self) -> List[PainEntry]:
        """Check-ins with a pain score, oldest first."""
        return [entry for entry in self.check_ins if entry.pain is not None]

    def last_pain(self) -> Optional[PainEntry]:
        record = self.pain_record()
        return record[-1] if record else None

    def last_exercise(self) -> Optional[str]:
        """The exercise the person last worked on (completed, or started and stopped)."""
        return self.exercises[-1].slug if self.exercises else None

    def weeks_since_episode_start(self, now: datetime) -> Optional[float]:
        if self.episode_started_at is None:
            return None
        return max(0.0, (now - self.episode_started_at).total_seconds() / 86400 / DAYS_PER_WEEK)


class CareRecords:
    """Reads and writes the `people` and `check_ins` tables (and reads feedback and warning signs)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _run(self, what: str, work: Callable[[Session], T]) -> T:
        return in_transaction(self._engine, what, work)

    @staticmethod
    def _person(session: Session, conversation_id: str, now: datetime) -> Person:
        person = session.execute(
            select(Person).where(Person.conversation_id == conversation_id)
        ).scalar_one_or_none()
        if person is None:
            channel, sender_id = person_key(conversation_id)
            person = Person(
                channel=channel,
                sender_id=sender_id,
                conversation_id=conversation_id,
                first_seen_at=now,
                last_active_at=now,
                plan_week=1,
            )
            session.add(person)
            session.flush()
        return person

    def touch(self, conversation_id: str) -> None:
        """A known person wrote: they are active, and missed reminders start counting again.

        Someone BackCare has not met gets no record until their first check-in.
        """
        now = clock.now()

        def work(session: Session) -> None:
            person = session.execute(
                select(Person).where(Person.conversation_id == conversation_id)
            ).scalar_one_or_none()
            if person is None:
                return
            person.last_active_at = now
            session.execute(update(Reminder).where(Reminder.person_id == person.id).values(unanswered=0))

        self._run("record a visit", work)

    def record_check_in(
        self,
        conversation_id: str,
        pain: Optional[float],
        warning_signs: str,
        source: str,
        stage: Optional[str] = None,
        duration_weeks: Optional[float] = None,
        leg_pain: Optional[str] = None,
    ) -> None:
        """Today's pain and warning-sign answer; the assessment also dates the episode's first day."""
        now = clock.now()

        def work(session: Session) -> None:
            person = self._person(session, conversation_id, now)
            person.last_active_at = now
            if stage:
                person.stage = stage
            if leg_pain:
                person.leg_pain = leg_pain
            if duration_weeks is not None:
                # The person's own "since when" dates this episode (a new one after a gap).
                person.episode_started_at = now - timedelta(weeks=duration_weeks)
            session.add(
                CheckIn(
                    person_id=person.id,
                    checked_at=now,
                    pain=None if pain is None else round(pain),
                    warning_signs=warning_signs,
                    source=source,
                )
            )
            session.execute(update(Reminder).where(Reminder.person_id == person.id).values(unanswered=0))

        self._run("record a check-in", work)

    def set_plan(self, conversation_id: str, week: int, note: str) -> None:
        """Stores the plan's week and why it changed (`bot.care.plan`)."""
        now = clock.now()

        def work(session: Session) -> None:
            person = self._person(session, conversation_id, now)
            person.plan_week = week
            person.plan_note = note
            person.plan_changed_at = now

        self._run("store the plan", work)

    def set_time_zone(self, conversation_id: str, time_zone: str) -> None:
        def work(session: Session) -> None:
            self._person(session, conversation_id, clock.now()).time_zone = time_zone

        self._run("store the time zone", work)

    def history(self, conversation_id: str) -> Optional[CareHistory]:
        """The person's records, or None for someone BackCare has not met."""

        def work(session: Session) -> Optional[CareHistory]:
            person = session.execute(
                select(Person).where(Person.conversation_id == conversation_id)
            ).scalar_one_or_none()
            if person is None:
                return None
            check_ins = tuple(
                PainEntry(aware(row.checked_at), row.pain, row.warning_signs, row.source)
                for row in person.check_ins
            )
            exercises = tuple(
                ExerciseEvent(aware(row.created_at), row.exercise_slug, row.kind)
                for row in session.execute(
                    select(ExerciseFeedback)
                    .where(ExerciseFeedback.conversation_id == conversation_id)
                    .order_by(ExerciseFeedback.created_at, ExerciseFeedback.id)
                ).scalars()
            )
            signs = tuple(
                WarningSignAnswer(
                    aware(row.reported_at), row.code, aware(row.cleared_at) if row.cleared_at else None
                )
                for row in session.execute(
                    select(WarningSignRecord)
                    .where(WarningSignRecord.conversation_id == conversation_id)
                    .order_by(WarningSignRecord.reported_at)
                ).scalars()
            )
            return CareHistory(
                conversation_id=conversation_id,
                channel=person.channel,
                first_seen_at=aware(person.first_seen_at),
                last_active_at=aware(person.last_active_at),
                episode_started_at=aware(person.episode_started_at) if person.episode_started_at else None,
                stage=person.stage,
                leg_pain=person.leg_pain,
                time_zone=person.time_zone,
                plan_week=person.plan_week or 1,
                plan_note=person.plan_note,
                plan_changed_at=aware(person.plan_changed_at) if person.plan_changed_at else None,
                check_ins=check_ins,
                exercises=exercises,
                warning_signs=signs,
            )

        return self._run("read the care record", work)


def forget_person(session: Session, conversation_id: str) -> int:
    """Deletes the person's row, check-ins and reminder; returns how many rows went."""
    ids = list(session.execute(select(Person.id).where(Person.conversation_id == conversation_id)).scalars())
    return _delete_people(session, ids)


def forget_inactive_people(session: Session, before: datetime) -> int:
    """Deletes everyone not active since `before`, with their check-ins and reminders."""
    ids = list(session.execute(select(Person.id).where(Person.last_active_at < before)).scalars())
    return _delete_people(session, ids)


def forget_check_ins_before(session: Session, before: datetime) -> int:
    """Deletes check-ins older than `before` of people still active (retention)."""
    return int(session.execute(delete(CheckIn).where(CheckIn.checked_at < before)).rowcount)


def _delete_people(session: Session, ids: List[int]) -> int:
    if not ids:
        return 0
    # SQLite does not enforce ON DELETE CASCADE unless asked to: delete children first.
    removed = session.execute(delete(CheckIn).where(CheckIn.person_id.in_(ids))).rowcount
    removed += session.execute(delete(Reminder).where(Reminder.person_id.in_(ids))).rowcount
    removed += session.execute(delete(Person).where(Person.id.in_(ids))).rowcount
    return int(removed)
