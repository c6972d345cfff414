"""The database for the actions (one engine per process)."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.engine import Engine

from bot.care.records import CareRecords
from bot.care.reminders import ReminderStore
from bot.knowledge import ExerciseRepository, WarningSignRecords, create_engine_for


@lru_cache(maxsize=1)
def _engine() -> Engine:
    """The engine for `BACKCARE_DATABASE_URL` (a SQLite file by default)."""
    return create_engine_for()


@lru_cache(maxsize=1)
def exercise_library() -> ExerciseRepository:
    return ExerciseRepository(_engine())


@lru_cache(maxsize=1)
def warning_sign_records() -> WarningSignRecords:
    return WarningSignRecords(_engine())


@lru_cache(maxsize=1)
def care_records() -> CareRecords:
    return CareRecords(_engine())


@lru_cache(maxsize=1)
def reminders() -> ReminderStore:
    return ReminderStore(_engine())


def forget_connections() -> None:
    """Drops the cached engine and repositories (tests switch databases)."""
    for cached in (_engine, exercise_library, warning_sign_records, care_records, reminders):
        cached.cache_clear()
