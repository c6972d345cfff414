"""Alembic migrations of the exercise database, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from bot.knowledge import (
    ExerciseRepository,
    create_engine_for,
    create_schema,
    load_exercise_file,
    seed_exercises,
)
from bot.knowledge.migrate import MIGRATIONS_DIR, current_revision, upgrade
from bot.knowledge.models import Base
from support.services import postgres_database


def head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config).get_current_head()


def assert_migrated_schema_matches_models(engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_sqlite_migration_matches_the_models(tmp_path: Path) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'm.db'}")
    create_schema(engine)
    assert current_revision(engine) == head_revision()
    assert_migrated_schema_matches_models(engine)


def test_database_made_before_migrations_is_adopted(tmp_path: Path) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'legacy.db'}")
    Base.metadata.create_all(engine)  # how tables were made before migrations
    seed_exercises(engine)
    create_schema(engine)
    assert current_revision(engine) == head_revision()
    assert seed_exercises(engine).created == 0


@pytest.mark.services
def test_postgres_migrated_and_seeded_twice() -> None:
    with postgres_database() as url:
        engine = create_engine_for(url)
        try:
            for _ in range(2):
                create_schema(engine)
            assert current_revision(engine) == head_revision()
            assert {"exercises", "exercise_steps", "exercise_feedback", "alembic_version"} <= set(
                inspect(engine).get_table_names()
            )
            assert_migrated_schema_matches_models(engine)
            first, second = seed_exercises(engine), seed_exercises(engine)
            count = len(load_exercise_file())
            assert first.created == count and (second.created, second.updated, second.unchanged) == (
                0,
                0,
                count,
            )
        finally:
            engine.dispose()


OLD_ROWS = (
    """insert into exercises (slug, name, purpose, stages, suits_pain, position, sort_order, dose,
       cautions, easier_slug, harder_slug, source, active, updated_at)
       values ('retired_stretch', 'Retired stretch', 'Made before conditions existed.', 'recovery',
       'mild', 'lying', 5, 'twice', 'Stop if it hurts.', null, null, 'own_words', :yes,
       '2024-01-01 00:00:00.000000')""",
    "insert into exercise_steps (exercise_id, number, text) "
    "select id, 1, 'Lie down.' from exercises where slug = 'retired_stretch'",
    "insert into exercise_feedback (conversation_id, exercise_slug, kind, created_at) "
    "values ('someone', 'retired_stretch', 'completed', '2024-01-01 00:00:00.000000')",
)


def fill_a_0001_database(engine) -> None:
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    assert "unsuitable_for" not in {column["name"] for column in inspect(engine).get_columns("exercises")}
    with engine.begin() as connection:
        for statement in OLD_ROWS:
            connection.execute(text(statement), {"yes": True})


def assert_0002_kept_the_rows_and_added_the_columns(engine) -> None:
    assert current_revision(engine) == head_revision()
    assert_migrated_schema_matches_models(engine)
    library = ExerciseRepository(engine)
    old = library.get("retired_stretch")
    assert old.steps == ("Lie down.",) and old.cautions == ("Stop if it hurts.",)
    assert (old.unsuitable_for, old.condition_cautions) == ((), ())
    report = seed_exercises(engine)
    assert report.created == len(load_exercise_file()) and report.deactivated == 1
    assert library.get("package_seat_static").unsuitable_for == ("pregnancy", "osteoporosis")
    with engine.connect() as connection:
        feedback = connection.execute(text("select exercise_slug from exercise_feedback")).scalars().all()
    assert feedback == ["retired_stretch"]


def test_0002_upgrades_a_filled_0001_database_on_sqlite(tmp_path: Path) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'old.db'}")
    fill_a_0001_database(engine)
    create_schema(engine)
    assert_0002_kept_the_rows_and_added_the_columns(engine)


@pytest.mark.services
def test_0002_upgrades_a_filled_0001_database_on_postgres() -> None:
    with postgres_database() as url:
        engine = create_engine_for(url)
        try:
            fill_a_0001_database(engine)
            create_schema(engine)
            assert_0002_kept_the_rows_and_added_the_columns(engine)
        finally:
            engine.dispose()


def test_0002_downgrades_to_0001_and_back(tmp_path: Path) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'down.db'}")
    create_schema(engine)
    seed_exercises(engine)
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    assert current_revision(engine) == "0001"
    columns = {column["name"] for column in inspect(engine).get_columns("exercises")}
    assert not {"unsuitable_for", "condition_cautions"} & columns
    create_schema(engine)
    assert seed_exercises(engine).updated == sum(
        1 for exercise in load_exercise_file() if exercise.unsuitable_for or exercise.condition_cautions
    )
