"""Runs the Alembic migrations of the exercise database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.knowledge.database import DatabaseUnavailable

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
FIRST_REVISION = "0001"


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    try:
        with engine.begin() as connection:
            config = _config(connection)
            tables = set(inspect(connection).get_table_names())
            if "exercises" in tables and "alembic_version" not in tables:
                # Created before migrations existed: it matches the first revision.
                command.stamp(config, FIRST_REVISION)
            command.upgrade(config, revision)
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(
            f"cannot create or migrate the tables ({error.__class__.__name__}): "
            f"{getattr(error, 'orig', None) or error}"
        ) from error


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
