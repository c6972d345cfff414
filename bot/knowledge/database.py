"""Where the exercise database lives and how to connect to it."""

from __future__ import annotations

from typing import Callable, Optional, TypeVar

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.settings import Settings, current_settings


class DatabaseUnavailable(RuntimeError):
    """The exercise database cannot be used; the message says what to do."""


def database_url(settings: Optional[Settings] = None) -> str:
    """`BACKCARE_DATABASE_URL`, or the embedded SQLite file by default."""
    return (settings or current_settings()).database_url


def create_engine_for(url: Optional[str] = None) -> Engine:
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        from pathlib import Path

        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(url, future=True, pool_pre_ping=True)


T = TypeVar("T")


def in_transaction(engine: Engine, what: str, work: Callable[[Session], T]) -> T:
    """Runs `work` in one transaction; a database error becomes `DatabaseUnavailable`
    saying what could not be done ("cannot <what>")."""
    try:
        with Session(engine, future=True) as session, session.begin():
            return work(session)
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(f"cannot {what} ({error.__class__.__name__})") from error
