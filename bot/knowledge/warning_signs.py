"""The warning signs a person reported, remembered beyond one conversation session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Iterable, List, Optional

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot import clock
from bot.knowledge.database import DatabaseUnavailable
from bot.knowledge.models import WarningSignRecord


@dataclass(frozen=True)
class ReportedSign:
    code: str
    urgency: str
    reported_at: datetime


class WarningSignRecords:
    """Records and recalls a person's warning signs (table `warning_signs`)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _session(self) -> Session:
        return Session(self._engine, future=True)

    def record(self, conversation_id: str, signs: Iterable[ReportedSign]) -> None:
        """Stores signs not already on record (and not cleared) for this person."""
        try:
            with self._session() as session, session.begin():
                known = set(
                    session.execute(
                        select(WarningSignRecord.code).where(
                            WarningSignRecord.conversation_id == conversation_id,
                            WarningSignRecord.cleared_at.is_(None),
                        )
                    ).scalars()
                )
                for sign in signs:
                    if sign.code not in known:
                        known.add(sign.code)
                        session.add(
                            WarningSignRecord(
                                conversation_id=conversation_id,
                                code=sign.code,
                                urgency=sign.urgency,
                                reported_at=sign.reported_at,
                            )
                        )
        except SQLAlchemyError as error:
            raise DatabaseUnavailable(f"cannot record a warning sign ({error.__class__.__name__})") from error

    def recent(self, conversation_id: str, days: float, now: Optional[datetime] = None) -> List[ReportedSign]:
        """Signs reported in the last `days` days that no doctor has cleared, oldest first."""
        since = (now or clock.now()) - timedelta(days=days)
        try:
            with self._session() as session:
                rows = session.execute(
                    select(WarningSignRecord)
                    .where(
                        WarningSignRecord.conversation_id == conversation_id,
                        WarningSignRecord.cleared_at.is_(None),
                        WarningSignRecord.reported_at >= since,
                    )
                    .order_by(WarningSignRecord.reported_at)
                ).scalars()
                return [ReportedSign(row.code, row.urgency, _aware(row.reported_at)) for row in rows]
        except SQLAlchemyError as error:
            raise DatabaseUnavailable(f"cannot read warning signs ({error.__class__.__name__})") from error

    def cleared_recently(self, conversation_id: str, days: float, now: Optional[datetime] = None) -> bool:
        """Whether a doctor checked this person's warning signs in the last `days` days."""
        since = (now or clock.now()) - timedelta(days=days)
        try:
            with self._session() as session:
                found = session.execute(
                    select(WarningSignRecord.id).where(
                        WarningSignRecord.conversation_id == conversation_id,
                        WarningSignRecord.cleared_at >= since,
                    )
                ).first()
                return found is not None
        except SQLAlchemyError as error:
            raise DatabaseUnavailable(f"cannot read warning signs ({error.__class__.__name__})") from error

    def withdraw(self, conversation_id: str, codes: Iterable[str]) -> int:
        """Deletes open signs the person says were misunderstood; they are asked about again."""
        try:
            with self._session() as session, session.begin():
                return session.execute(
                    delete(WarningSignRecord).where(
                        WarningSignRecord.conversation_id == conversation_id,
                        WarningSignRecord.cleared_at.is_(None),
                        WarningSignRecord.code.in_(list(codes)),
                    )
                ).rowcount
        except SQLAlchemyError as error:
            raise DatabaseUnavailable(
                f"cannot withdraw warning signs ({error.__class__.__name__})"
            ) from error

    def clear(self, conversation_id: str, now: Optional[datetime] = None) -> int:
        """Marks every open sign as checked by a doctor; returns how many."""
        try:
            with self._session() as session, session.begin():
                return session.execute(
                    update(WarningSignRecord)
                    .where(
                        WarningSignRecord.conversation_id == conversation_id,
                        WarningSignRecord.cleared_at.is_(None),
                    )
                    .values(cleared_at=now or clock.now())
                ).rowcount
        except SQLAlchemyError as error:
            raise DatabaseUnavailable(f"cannot clear warning signs ({error.__class__.__name__})") from error


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
