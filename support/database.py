"""A migrated exercise database seeded from `data/exercises.yml`, as `backcare db seed` leaves it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from bot.knowledge import create_engine_for, create_schema, seed_exercises


def seeded_database(url: str) -> Engine:
    """Migrates the database at `url`, seeds every exercise and returns its engine."""
    engine = create_engine_for(url)
    create_schema(engine)
    seed_exercises(engine)
    return engine


def seeded_sqlite(path: Path) -> str:
    """A seeded SQLite exercise database in the file `path`; its URL."""
    url = f"sqlite:///{path}"
    seeded_database(url)
    return url
