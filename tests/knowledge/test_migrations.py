"""Alembic migrations of the exercise database, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot.knowledge import create_engine_for, create_schema, seed_exercises
from bot.knowledge.migrate import current_revision
from bot.knowledge.models import Base
from tests.e2e.deployment import postgres_database


def assert_migrated_schema_matches_models(engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_sqlite_migration_matches_the_models(tmp_path: Path) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'm.db'}")
    create_schema(engine)
    assert current_revision(engine) == "0001"
    assert_migrated_schema_matches_models(engine)


def test_database_made_before_migrations_is_adopted(tmp_path: Path) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'legacy.db'}")
    Base.metadata.create_all(engine)  # how tables were made before migrations
    seed_exercises(engine)
    create_schema(engine)
    assert current_revision(engine) == "0001"
    assert seed_exercises(engine).created == 0


def test_postgres_migrated_and_seeded_twice() -> None:
    with postgres_database() as url:
        engine = create_engine_for(url)
        try:
            for _ in range(2):
                create_schema(engine)
            assert current_revision(engine) == "0001"
            assert {"exercises", "exercise_steps", "exercise_feedback", "alembic_version"} <= set(
                inspect(engine).get_table_names()
            )
            assert_migrated_schema_matches_models(engine)
            first, second = seed_exercises(engine), seed_exercises(engine)
            assert first.created == 13 and (second.created, second.updated, second.unchanged) == (0, 0, 13)
        finally:
            engine.dispose()
