"""Access to the exercise database for the actions (one engine per process)."""

from __future__ import annotations

from functools import lru_cache

from bot.knowledge import ExerciseRepository, create_engine_for


@lru_cache(maxsize=1)
def exercise_library() -> ExerciseRepository:
    """The repository for `BACKCARE_DATABASE_URL` (a SQLite file by default)."""
    return ExerciseRepository(create_engine_for())
