"""The database for the actions (one engine per process)."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.engine import Engine

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


def forget_connections() -> None:
    """Drops the cached engine and repositories (tests switch databases)."""
    for cached in (_engine, exercise_library, warning_sign_records):
        cached.cache_clear()
