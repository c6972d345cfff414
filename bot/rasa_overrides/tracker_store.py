"""Rasa's SQL tracker store, with SQLite connections kept open and WAL writes.

On SQLite, SQLAlchemy 1.4 opens and closes a new connection for every Rasa
session (`NullPool`), and each commit waits for a rollback-journal fsync.
For the embedded default this store keeps a small pool of connections and
switches the file to write-ahead logging, where readers do not block the
writer and commits need no full sync (`synchronous=NORMAL`: a power cut can
lose the last turns, never corrupt the file). Measured on the benchmark's
tracker shape: retrieve + save 5.2 ms -> 3.2 ms per turn.

On every database the store rides out a short outage (PostgreSQL restarted):
pooled connections are checked before use (`pool_pre_ping`), and a read or a
save that fails on the connection is tried again for about seven seconds.
After that it raises `TrackerStoreUnavailable`, and `install()` makes Rasa's
`FailSafeTrackerStore` let it through: stock Rasa would answer from an empty
conversation (a failed read) or keep the turn in memory only (a failed save),
so a person's "no" to a warning-sign question could be answered as if nothing
had been asked, and lost. Now the turn fails and the channel says "please try
again" (`bot.channels.rest`, `bot.channels.socketio`; Telegram sends it again).
"""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar
from typing import Any, Awaitable, Callable, Iterator, List, Optional, Text, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.observability.conversation_events import observe_saved_events

logger = logging.getLogger(__name__)
Result = TypeVar("Result")

# Waits between tries of a read or save whose connection failed: about 7 s in all.
RETRY_WAITS = (0.2, 0.5, 1.0, 2.0, 3.0)


class TrackerStoreUnavailable(RuntimeError):
    """The conversation store cannot be read or written: the turn must fail, not go on without it."""


async def with_retries(operation: Callable[[], Awaitable[Result]], what: str) -> Result:
    """Runs `operation`, again after each wait while the database cannot be reached."""
    for wait in (*RETRY_WAITS, None):
        try:
            return await operation()
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as error:
            if wait is None:
                raise TrackerStoreUnavailable(f"the conversation store cannot {what}") from error
            logger.warning("The conversation store could not %s (%s); retrying.", what, type(error).__name__)
            await asyncio.sleep(wait)
    raise AssertionError("unreachable: the last try returns or raises")  # pragma: no cover


SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000")

# The events the running `save` is storing (one list per save, also with concurrent saves).
_stored: ContextVar[Optional[List[Event]]] = ContextVar("backcare_stored_events", default=None)


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
    """`SQLTrackerStore` with a pooled, write-ahead-logged SQLite engine, whose saves are observed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        if self.engine.dialect.name == "sqlite" and url.database in (None, "", ":memory:"):
            return
        self.engine.dispose()
        if self.engine.dialect.name == "sqlite":
            self.engine = pooled_sqlite_engine(url)
        else:  # a connection the server closed (a restart) is noticed before it is used
            self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sessionmaker(bind=self.engine)

    async def _retrieve(
        self, sender_id: Text, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        read = super()._retrieve
        every_session = fetch_events_from_all_sessions
        return await with_retries(lambda: read(sender_id, every_session), "read a conversation")

    async def save(self, tracker: DialogueStateTracker) -> None:
        stored: List[Event] = []

        async def save_once() -> None:
            stored.clear()
            token = _stored.set(stored)
            try:
                await super(BackCareSQLTrackerStore, self).save(tracker)
            finally:
                _stored.reset(token)

        await with_retries(save_once, "save a conversation")
        # Reached only once the new events are committed.
        observe_saved_events(tracker.events, len(stored))

    def _additional_events(self, session: Session, tracker: DialogueStateTracker) -> Iterator:
        """Rasa's choice of the events to store, remembered for `save`."""
        events = list(super()._additional_events(session, tracker))
        stored = _stored.get()
        if stored is not None:
            stored.extend(events)
        return iter(events)


def _refuse(store: FailSafeTrackerStore, error: Exception) -> None:
    """In place of logging and going on with an empty conversation or one kept in memory only."""
    raise TrackerStoreUnavailable("the conversation store failed; the turn is not handled") from error


def install() -> None:
    """Rasa's fail-safe wrapper lets a failing conversation store fail the turn (idempotent)."""
    setattr(FailSafeTrackerStore, "on_tracker_store_error", _refuse)  # noqa: B010
    setattr(FailSafeTrackerStore, "on_tracker_store_retrieve_error", _refuse)  # noqa: B010
