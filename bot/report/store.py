"""Reading Rasa's SQL tracker store (table `events`) as a stream, one conversation id after another.

Rows come ordered by conversation id and insertion order, a batch at a time
(`yield_per`: a server-side cursor on PostgreSQL), so a store of any size is
read in constant memory. Only what the report needs leaves the database: no
message text is selected, and the JSON of an event is read only for the slots
whose values the report counts (`definitions.READ_SLOTS`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Iterator, NamedTuple, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.report.definitions import READ_SLOTS

BATCH_ROWS = 2000
# Rasa's `SQLTrackerStore.SQLEvent`, the columns the report reads.
EVENTS = sa.Table(
    "events",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255)),
    sa.Column("type_name", sa.String(255)),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


class TrackerStoreError(Exception):
    """The tracker store cannot be read; the message names the store without its password."""


class StoredEvent(NamedTuple):
    """One row of `events`, reduced to what the report reads."""

    conversation_id: str  # only to tell conversations apart; never written anywhere
    kind: str  # Rasa's type_name: "user", "action", "slot", "session_started", ...
    timestamp: float
    intent: Optional[str]  # user events
    name: Optional[str]  # the action of an action event, the slot of a slot event
    value: Any = None  # the value of a slot in READ_SLOTS


def shown_url(url: str) -> str:
    """The store's URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def dialect_name(url: str) -> str:
    """ "SQLite", "PostgreSQL", ...: how the report names the store (never its address)."""
    backend = make_url(url).get_backend_name()
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(backend, backend)


def open_store(url: str) -> Engine:
    """An engine on the store; a missing SQLite file is an error, not a new empty store."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        if not Path(parsed.database).is_file():
            raise TrackerStoreError(f"no tracker store at {shown_url(url)} (no such file)")
    try:
        return sa.create_engine(url, future=True)
    except (SQLAlchemyError, ImportError, ValueError) as error:
        raise TrackerStoreError(f"cannot open {shown_url(url)} ({error})") from error


def _in_range(start: float, end: float) -> Any:
    return sa.and_(EVENTS.c.timestamp >= start, EVENTS.c.timestamp < end)


def _has_events_table(engine: Engine) -> bool:
    return bool(sa.inspect(engine).has_table(EVENTS.name))


def count_events(engine: Engine, start: float, end: float) -> int:
    """How many events `read_events` will yield (for the progress bar)."""
    if not _has_events_table(engine):
        return 0
    query = sa.select(sa.func.count()).select_from(EVENTS).where(_in_range(start, end))
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def read_events(engine: Engine, start: float, end: float) -> Iterator[StoredEvent]:
    """Every event with `start <= timestamp < end` (epoch seconds), by conversation id, then in order."""
    if not _has_events_table(engine):
        return
    wanted_slot = sa.and_(EVENTS.c.type_name == "slot", EVENTS.c.action_name.in_(READ_SLOTS))
    query = (
        sa.select(
            EVENTS.c.sender_id,
            EVENTS.c.type_name,
            EVENTS.c.timestamp,
            EVENTS.c.intent_name,
            EVENTS.c.action_name,
            sa.case((wanted_slot, EVENTS.c.data), else_=sa.null()).label("slot_data"),
        )
        .where(_in_range(start, end))
        .order_by(EVENTS.c.sender_id, EVENTS.c.id)
    )
    with engine.connect() as connection:
        result = connection.execution_options(yield_per=BATCH_ROWS).execute(query)
        for sender_id, kind, timestamp, intent, name, slot_data in result:
            yield StoredEvent(
                sender_id,
                kind,
                float(timestamp or 0.0),
                intent,
                name,
                _slot_value(slot_data) if slot_data is not None else None,
            )


def _slot_value(data: str) -> Any:
    try:
        return json.loads(data).get("value")
    except (ValueError, AttributeError):
        return None


def show_progress(asked: Optional[bool]) -> bool:
    """Whether to show the progress bar: as asked, else only when stderr is a terminal."""
    return sys.stderr.isatty() if asked is None else asked


def progress_bar(total: int, show: bool) -> Any:
    """A tqdm bar on stderr counting events (tqdm: installed with Rasa)."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        unit=" events",
        unit_scale=True,
        desc="Reading the tracker store",
        file=sys.stderr,
        disable=not show,
    )


def with_progress(events: Iterator[StoredEvent], bar: Any, every: int = 1000) -> Iterator[StoredEvent]:
    """`events`, moving `bar` on as they are read."""
    pending = 0
    for event in events:
        yield event
        pending += 1
        if pending == every:
            bar.update(pending)
            pending = 0
    bar.update(pending)
