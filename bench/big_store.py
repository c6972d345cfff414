"""A tracker store holding many conversations: turn latency and retention against an empty one.

BackCare keeps every conversation in Rasa's SQL tracker store (table
`events`, one row per event, indexed by `sender_id`; SQLite by default,
`bot/rasa_overrides/tracker_store.py`) until `backcare retention` deletes
those whose last event is older than N days (`bot/privacy.py`). The phase:

1. starts BackCare on an empty store, replays every benchmark conversation
   twice, one at a time (as the REST phase), stops it and times
   `backcare retention --days N` on that store;
2. takes the stored events of those conversations as templates, cut to their
   first few turns, and writes `conversations` copies of them into a new store
   in one bulk insert: rows exactly as Rasa saves them (the event's JSON with
   a new timestamp and message id; `type_name`, `intent_name`, `action_name`
   as `SQLTrackerStore.save` derives them), under new web, Telegram and REST
   sender ids, starting at moments spread evenly over the past `days` days in
   order of time, with a person's turns half a minute apart;
3. starts BackCare on the full store and replays the same conversations, as
   new people, then stops it and times `backcare retention` there, which
   deletes the conversations older than N days (half of them by default).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

from bench import progress, system
from bench.common import load, turns_in_load
from bench.conversations import CONVERSATIONS
from bot import paths

DAY_S = 86400.0
TURN_SPACING_S = 30.0  # between one person's messages in a generated conversation
TEMPLATE_TURNS = 4  # user messages kept of each template conversation
BATCH_CONVERSATIONS = 2000
TIMESTAMP = "__bench_timestamp__"
MESSAGE_ID = "__bench_message_id__"


@dataclass(frozen=True)
class StoredEvent:
    """One row of Rasa's `events` table, without its id and sender."""

    type_name: str
    timestamp: float
    intent_name: Optional[str]
    action_name: Optional[str]
    data: str


@dataclass(frozen=True)
class TemplateEvent:
    """A stored event ready to copy: its JSON split where the timestamp and message id go."""

    type_name: str
    intent_name: Optional[str]
    action_name: Optional[str]
    offset_s: float  # after the conversation's start
    pieces: Tuple[str, ...]  # text, slot, text, slot, ... text


def read_conversations(db_path: Path, prefix: str = "") -> Dict[str, List[StoredEvent]]:
    """Every stored conversation whose sender starts with `prefix`, events in stored order."""
    conversations: Dict[str, List[StoredEvent]] = {}
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events "
            "WHERE substr(sender_id, 1, ?) = ? ORDER BY id",
            (len(prefix), prefix),
        )
        for sender, *fields in rows:
            conversations.setdefault(sender, []).append(StoredEvent(*fields))
    return conversations


def first_turns(events: Sequence[StoredEvent], turns: int) -> List[StoredEvent]:
    """The events up to (not including) the person's message number `turns + 1`."""
    seen = 0
    for index, event in enumerate(events):
        if event.type_name == "user":
            seen += 1
            if seen > turns:
                return list(events[:index])
    return list(events)


def make_template(events: Sequence[StoredEvent], spacing_s: float = TURN_SPACING_S) -> List[TemplateEvent]:
    """`events` with their moments moved so that the person's messages come `spacing_s` apart."""
    template = []
    turn, turn_started, start = -1, 0.0, events[0].timestamp if events else 0.0
    for event in events:
        if event.type_name == "user":
            turn, turn_started = turn + 1, event.timestamp
        offset = (
            event.timestamp - start if turn < 0 else turn * spacing_s + (event.timestamp - turn_started) + 1.0
        )
        data = json.loads(event.data)
        data["timestamp"] = TIMESTAMP
        if "message_id" in data:
            data["message_id"] = MESSAGE_ID
        text = json.dumps(data)
        pieces = tuple(re.split(f'("{TIMESTAMP}"|"{MESSAGE_ID}")', text))
        template.append(TemplateEvent(event.type_name, event.intent_name, event.action_name, offset, pieces))
    return template


def event_row(event: TemplateEvent, sender_id: str, start: float) -> Tuple[Any, ...]:
    """The `events` row (without id) of `event` in a conversation of `sender_id` begun at `start`."""
    timestamp = start + event.offset_s
    data = "".join(
        repr(timestamp)
        if piece == f'"{TIMESTAMP}"'
        else f'"{uuid.uuid4().hex}"'
        if piece == f'"{MESSAGE_ID}"'
        else piece
        for piece in event.pieces
    )
    return (sender_id, event.type_name, timestamp, event.intent_name, event.action_name, data)


def sender_ids(count: int, rng: random.Random) -> Iterator[str]:
    """Unique ids as the channels make them: mostly web sessions, some Telegram chats, a few REST ids."""
    for number in range(count):
        kind = rng.random()
        if kind < 0.7:
            yield f"web:{rng.getrandbits(128):032x}"
        elif kind < 0.95:
            yield f"telegram:{1_000_000_000 + number}"
        else:
            yield f"rest-{number}-{rng.getrandbits(32):08x}"


def start_moments(count: int, days: float, now: float, rng: random.Random) -> List[float]:
    """`count` conversation starts spread evenly (at random) over the `days` before `now`, in order."""
    return sorted(now - rng.uniform(0.0, days * DAY_S) for _ in range(count))


def generated_rows(
    templates: Sequence[Sequence[TemplateEvent]], count: int, days: float, now: float, seed: int = 7
) -> Iterator[List[Tuple[Any, ...]]]:
    """The rows of `count` conversations, one list per conversation, oldest first."""
    rng = random.Random(seed)
    moments = start_moments(count, days, now, rng)
    for number, (sender, start) in enumerate(zip(sender_ids(count, rng), moments, strict=True)):
        template = templates[number % len(templates)]
        yield [event_row(event, sender, start) for event in template]


def events_schema(db_path: Path) -> List[str]:
    """The SQL that made the `events` table and its indexes in `db_path` (as Rasa created them)."""
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT type, sql FROM sqlite_master WHERE tbl_name = 'events' AND sql IS NOT NULL"
        ).fetchall()
    return [sql for kind, sql in rows if kind == "table"] + [sql for kind, sql in rows if kind == "index"]


def fill_store(
    db_path: Path,
    schema: Sequence[str],
    templates: Sequence[Sequence[TemplateEvent]],
    count: int,
    days: float,
    now: Optional[float] = None,
) -> Dict[str, float]:
    """Writes `count` conversations into a new store at `db_path`; rows and seconds."""
    now = time.time() if now is None else now
    table, indexes = schema[0], schema[1:]
    started = time.perf_counter()
    rows = 0
    connection = sqlite3.connect(db_path)
    try:
        connection.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;"
        )
        connection.execute(table)
        batch: List[Tuple[Any, ...]] = []
        in_batch = 0
        for number, conversation in enumerate(generated_rows(templates, count, days, now), start=1):
            batch.extend(conversation)
            in_batch += 1
            if in_batch == BATCH_CONVERSATIONS or number == count:
                connection.executemany(
                    "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    batch,
                )
                connection.commit()
                rows += len(batch)
                progress.tick(count=in_batch)
                batch, in_batch = [], 0
        for index in indexes:  # after the rows: one sort instead of a random insert per row
            connection.execute(index)
        connection.commit()
        connection.execute("PRAGMA journal_mode=WAL")  # as the server will open it
    finally:
        connection.close()
    return {"rows": rows, "fill_s": time.perf_counter() - started, "bytes": db_path.stat().st_size}


def count_conversations(db_path: Path) -> int:
    with sqlite3.connect(db_path) as connection:
        return connection.execute("SELECT COUNT(DISTINCT sender_id) FROM events").fetchone()[0]


def retention(stores: Mapping[str, str], days: float) -> Dict[str, Any]:
    """Wall time and output of `backcare retention --days N` on `stores` (of a stopped server)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "retention", "--days", f"{days:g}"],
        cwd=paths.PROJECT_ROOT,
        env={**os.environ, **stores},
        capture_output=True,
        text=True,
    )
    return {
        "seconds": time.perf_counter() - started,
        "exit_code": done.returncode,
        "output": (done.stdout + done.stderr).strip()[-500:],
    }


def _latency(model: Path, workdir: Path, environment: Mapping[str, str], label: str) -> Dict[str, Any]:
    """Ready time and single-conversation REST latency of BackCare on the store of `environment`."""
    with progress.phase(f"BackCare on the {label} store: start"):
        running = system.start(model, True, workdir, environment)
    try:
        rounds = 2 * len(CONVERSATIONS)
        asyncio.run(load(running.url, 1, 1))  # warm-up
        with progress.phase(
            f"BackCare on the {label} store: single conversation", total=turns_in_load(1, rounds)
        ):
            single = asyncio.run(load(running.url, 1, rounds))
    finally:
        running.stop()
    single.pop("latencies")
    return {"ready_s": running.ready_s, "single": single}


def big_store_phase(
    model: Path,
    workdir: Path,
    environment: Mapping[str, str],
    conversations: int,
    days: float,
    retention_days: float,
    template_turns: int = TEMPLATE_TURNS,
) -> Dict[str, Any]:
    empty_db, full_db = workdir / "store-empty.db", workdir / f"store-{conversations}.db"
    empty_env = {**environment, "BACKCARE_TRACKER_STORE_URL": f"sqlite:///{empty_db}"}
    full_env = {**environment, "BACKCARE_TRACKER_STORE_URL": f"sqlite:///{full_db}"}
    empty = _latency(model, workdir, empty_env, "empty")
    with progress.phase("backcare retention on the empty store"):
        empty["retention"] = retention(empty_env, retention_days)
    stored = read_conversations(empty_db, prefix="bench-")
    templates = [make_template(first_turns(events, template_turns)) for events in stored.values()]
    templates = [template for template in templates if template]
    with progress.phase(
        f"filling a store with {conversations} conversations", total=conversations, unit="conversations"
    ):
        fill = fill_store(full_db, events_schema(empty_db), templates, conversations, days)
    full = _latency(model, workdir, full_env, f"{conversations}-conversation")
    with progress.phase(f"backcare retention on the {conversations}-conversation store"):
        full["retention"] = retention(full_env, retention_days)
    full["conversations_after_retention"] = count_conversations(full_db)
    return {
        "conversations": conversations,
        "spread_days": days,
        "retention_days": retention_days,
        "template_turns": template_turns,
        "templates": len(templates),
        **fill,
        "empty": empty,
        "full": full,
        "p50_ratio": full["single"]["p50_ms"] / empty["single"]["p50_ms"],
        "p95_ratio": full["single"]["p95_ms"] / empty["single"]["p95_ms"],
    }
