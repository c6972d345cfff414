"""Rasa's SQL tracker store, with SQLite connections kept open and WAL writes.

On SQLite, SQLAlchemy 1.4 opens and closes a new connection for every Rasa
session (`NullPool`), and each commit waits for a rollback-journal fsync.
For the embedded default this store keeps a small pool of connections and
switches the file to write-ahead logging, where readers do not block the
writer and commits need no full sync (`synchronous=NORMAL`: a power cut can
lose the last turns, never corrupt the file). Measured on the benchmark's
tracker shape: retrieve + save 5.2 ms -> 3.2 ms per turn.

A turn reads a conversation's latest session as its recent history
(`bot/rasa_overrides/recent_history.py`: the slots at a cut and the events
after it), kept in memory between turns. Each read asks the store how many
rows the conversation has and the highest row id, then reads only rows it has
not seen; any other change (a row deleted, another replica's rows between
this one's) reads the session again, so replicas and deletions stay correct.
Saves write the events after those the turn's tracker was read with. The
cost of a turn no longer grows with the length of the session.

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
import itertools
import json
import logging
import threading
from collections import OrderedDict
from contextvars import ContextVar
from typing import Any, Awaitable, Callable, Dict, Iterator, List, Optional, Text, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.observability.conversation_events import observe_saved_events
from bot.rasa_overrides.recent_history import RecentConversation

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


# How many of a tracker's events are in the store already: set when `retrieve`
# builds it and after each save. A tracker Rasa built itself has none.
_STORED_COUNT = "_backcare_stored_events"


def stored_count(tracker: DialogueStateTracker) -> Optional[int]:
    return tracker.__dict__.get(_STORED_COUNT)


def set_stored_count(tracker: DialogueStateTracker, count: int) -> None:
    tracker.__dict__[_STORED_COUNT] = count


class RecentConversations:
    """The recent history of the latest conversations, least recently used dropped first."""

    def __init__(self, capacity: int = 256) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[Text, RecentConversation] = OrderedDict()
        self._lock = threading.Lock()  # Rasa's executor threads and the server thread share the store

    def get(self, sender_id: Text) -> Optional[RecentConversation]:
        with self._lock:
            entry = self._entries.get(sender_id)
            if entry is not None:
                self._entries.move_to_end(sender_id)
            return entry

    def put(self, sender_id: Text, entry: RecentConversation) -> None:
        with self._lock:
            self._entries[sender_id] = entry
            self._entries.move_to_end(sender_id)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def forget(self, sender_id: Text) -> None:
        with self._lock:
            self._entries.pop(sender_id, None)


class BackCareSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore`: pooled, write-ahead-logged SQLite; recent history kept; saves observed."""

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

    @property
    def recent(self) -> RecentConversations:
        # Created on first use: Rasa's constructor may return early (an in-memory SQLite store).
        if not hasattr(self, "_recent"):
            self._recent = RecentConversations()
        return self._recent

    async def _retrieve(
        self, sender_id: Text, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        if fetch_events_from_all_sessions:  # exports and the HTTP API: every event, as Rasa reads it
            read = super()._retrieve
            return await with_retries(lambda: read(sender_id, True), "read a conversation")
        return await with_retries(lambda: self._retrieve_recent(sender_id), "read a conversation")

    async def _retrieve_recent(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            entry = self._recent_entry(session, sender_id)
        if entry is None or not self.domain:
            return None
        entry.cut_if_long(sender_id, self.domain.slots)
        tracker = entry.tracker(sender_id, self.domain.slots)
        set_stored_count(tracker, len(tracker.events))
        return tracker

    def _recent_entry(self, session: Session, sender_id: Text) -> Optional[RecentConversation]:
        """The conversation's recent history, brought up to date with the store's rows."""
        event = self.SQLEvent
        version = session.query(sa.func.count(event.id), sa.func.max(event.id))
        rows, last_id = version.filter(event.sender_id == sender_id).one()
        if not rows:
            self.recent.forget(sender_id)
            return None
        entry = self.recent.get(sender_id)
        if entry is not None and last_id > entry.last_id:
            new = (
                session.query(event.type_name, event.data)
                .filter(event.sender_id == sender_id, event.id > entry.last_id)
                .order_by(event.id)
                .all()
            )
            if entry.rows + len(new) == rows:
                entry.append((row.type_name, row.data) for row in new)
                entry.rows, entry.last_id = rows, last_id
                return entry
        elif entry is not None and (entry.rows, entry.last_id) == (rows, last_id):
            return entry
        # Not read before, or rows deleted or written between those already read: the whole session.
        session_rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
        entry = RecentConversation(rows=rows, last_id=last_id, tail=[row.data for row in session_rows])
        self.recent.put(sender_id, entry)
        return entry

    async def save(self, tracker: DialogueStateTracker) -> None:
        stored_before = stored_count(tracker)
        if stored_before is None:  # not read through `retrieve` (a new conversation): as Rasa does
            await self._save_as_rasa_does(tracker)
            self.recent.forget(tracker.sender_id)
            set_stored_count(tracker, len(tracker.events))  # its events are the store's, from the first
            return
        new = list(itertools.islice(tracker.events, stored_before, None))
        if self.event_broker is not None:
            # Rasa's `stream_events` reads the conversation again to find the new events: known here.
            await self._stream_new_events(self.event_broker, new, tracker.sender_id)
        if new:
            await with_retries(lambda: self._insert(tracker.sender_id, new), "save a conversation")
        set_stored_count(tracker, len(tracker.events))
        # Reached only once the new events are committed.
        observe_saved_events(tracker.events, len(new))

    async def _insert(self, sender_id: Text, events: List[Event]) -> None:
        rows = [self._row(sender_id, event) for event in events]
        event = self.SQLEvent
        with self.session_scope() as session:
            # One executemany: the ORM inserted row by row to learn each row's id; only the highest is kept.
            session.execute(event.__table__.insert(), rows)
            last_id = session.query(sa.func.max(event.id)).filter(event.sender_id == sender_id).scalar()
            session.commit()
        entry = self.recent.get(sender_id)
        if entry is not None:
            # Rows another replica wrote meanwhile show as a count that does not add up at the next read.
            entry.append((row["type_name"], row["data"]) for row in rows)
            entry.rows += len(rows)
            entry.last_id = max(entry.last_id, last_id)

    def _row(self, sender_id: Text, event: Event) -> Dict[Text, Any]:
        """The row Rasa's `SQLTrackerStore.save` writes for `event`, as column values."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }

    async def _save_as_rasa_does(self, tracker: DialogueStateTracker) -> None:
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
