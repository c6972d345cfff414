"""Rasa's SQL tracker store, with SQLite connections kept open and WAL writes.

On SQLite, SQLAlchemy 1.4 opens and closes a new connection for every Rasa
session (`NullPool`), and each commit waits for a rollback-journal fsync.
For the embedded default this store keeps a small pool of connections and
switches the file to write-ahead logging, where readers do not block the
writer and commits need no full sync (`synchronous=NORMAL`: a power cut can
lose the last turns, never corrupt the file). Measured on the benchmark's
tracker shape: retrieve + save 5.2 ms -> 3.2 ms per turn. Every other
database (PostgreSQL in production) is handled exactly as by `SQLTrackerStore`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000")


def pooled_sqlite_engine(url: sa.engine.URL) -> Engine:
    engine = sa.create_engine(
        url,
        poolclass=sa.pool.QueuePool,
        pool_size=2,
        # Rasa's server thread and its executor threads share the pool.
        connect_args={"check_same_thread": False},
    )

    @sa.event.listens_for(engine, "connect")
    def _configure(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    return engine


class BackCareSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` with a pooled, write-ahead-logged SQLite engine."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
            url = self.engine.url
            self.engine.dispose()
            self.engine = pooled_sqlite_engine(url)
            self.sessionmaker = sessionmaker(bind=self.engine)
