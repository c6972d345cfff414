"""A long session read as its recent history: the same state and the same rows as Rasa's own store.

Each test plays one conversation through BackCare's store and through Rasa's
`SQLTrackerStore` side by side (two databases, the same events) and compares
what a turn gets: slots, latest message, latest action, form, and the rows
written. Runs on SQLite and on the PostgreSQL server of this machine.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot import paths
from bot.rasa_overrides.recent_history import CUT_AT_EVENTS, KEEP_EVENTS, RecentConversation
from bot.rasa_overrides.tracker_store import BackCareSQLTrackerStore
from support.services import postgres_database

DOMAIN = Domain.load(str(paths.DOMAIN_FILE))


def turn_events(number: int) -> List[Event]:
    """One turn after `action_listen`: a message, slots, a reply; every 9th turn starts a 3-turn form."""
    events: List[Event] = [UserUttered(f"message {number}", {"name": "inform", "confidence": 0.9})]
    phase = number % 9
    if phase == 0:
        events += [ActionExecuted("assessment_form"), ActiveLoop("assessment_form")]
        events += [SlotSet("requested_slot", "pain_level")]
    elif phase in (1, 2):
        events += [ActionExecuted("assessment_form"), SlotSet("pain_level", float(number % 10))]
        if phase == 2:
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    else:
        events += [SlotSet("current_step", float(number % 5)), SlotSet("exercises_done", [f"e{number}"])]
        if number % 4 == 0:
            events.append(SlotSet("language", "de" if number % 8 else "en"))
    reply = BotUttered(f"reply {number}", metadata={"utter_action": "utter_ok"})
    events += [ActionExecuted("utter_ok"), reply]
    events.append(ActionExecuted("action_listen"))
    return events


async def play(store: Any, sender: str, turns: range) -> DialogueStateTracker:
    """Each turn as the processor does it: read, add the turn's events, save."""
    tracker = None
    for number in turns:
        tracker = await store.get_or_create_tracker(sender)
        for event in turn_events(number):
            tracker.update(event)
        await store.save(tracker)
    return await store.retrieve(sender)


def state(tracker: DialogueStateTracker) -> Tuple[Any, ...]:
    return (
        {name: slot.value for name, slot in tracker.slots.items()},
        tracker.latest_message.text if tracker.latest_message else None,
        tracker.latest_action_name,
        tracker.active_loop_name,
        tracker.latest_bot_utterance.text if tracker.latest_bot_utterance else None,
    )


def rows(store: SQLTrackerStore, sender: str) -> List[Tuple[Any, ...]]:
    with store.session_scope() as session:
        table = store.SQLEvent
        query = session.query(table).filter(table.sender_id == sender).order_by(table.id)
        return [(row.type_name, row.intent_name, row.action_name, _without_time(row.data)) for row in query]


def _without_time(data: str) -> str:
    parsed = json.loads(data)
    parsed.pop("timestamp", None)
    return json.dumps(parsed, sort_keys=True)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Tuple[Any, Any]]:
    """BackCare's store and Rasa's, each on its own empty database of the same kind."""
    if request.param == "sqlite":
        urls = [f"sqlite:///{tmp_path / 'backcare.db'}", f"sqlite:///{tmp_path / 'rasa.db'}"]
        yield BackCareSQLTrackerStore(DOMAIN, host=urls[0]), SQLTrackerStore(DOMAIN, host=urls[1])
        return
    with postgres_database() as first, postgres_database() as second:
        yield BackCareSQLTrackerStore(DOMAIN, host=first), SQLTrackerStore(DOMAIN, host=second)


def test_a_long_session_gives_each_turn_rasas_state_from_a_bounded_history(stores: Any) -> None:
    ours, rasas = stores
    sender = f"long-{uuid.uuid4().hex[:6]}"
    for start in range(0, 150, 10):  # compared every ten turns
        mine = asyncio.run(play(ours, sender, range(start, start + 10)))
        theirs = asyncio.run(play(rasas, sender, range(start, start + 10)))
        assert state(mine) == state(theirs)
    assert rows(ours, sender) == rows(rasas, sender)
    assert len(theirs.events) > 900
    # The turn's tracker holds the checkpoint and at most CUT_AT_EVENTS events after it.
    assert len(mine.events) <= CUT_AT_EVENTS + len(DOMAIN.slots) + 10
    assert sum(isinstance(event, UserUttered) for event in mine.events) >= KEEP_EVENTS // 10


class CollectingBroker(EventBroker):
    """An event broker that keeps what it is given, in order."""

    def __init__(self) -> None:
        self.published: List[Dict[str, Any]] = []

    def publish(self, event: Dict[str, Any]) -> None:
        self.published.append(event)


def test_an_event_broker_gets_each_new_event_once_as_from_rasas_store(tmp_path: Path) -> None:
    ours = BackCareSQLTrackerStore(
        DOMAIN, host=f"sqlite:///{tmp_path / 'b.db'}", event_broker=CollectingBroker()
    )
    rasas = SQLTrackerStore(DOMAIN, host=f"sqlite:///{tmp_path / 'r.db'}", event_broker=CollectingBroker())
    for store in (ours, rasas):
        asyncio.run(play(store, "broadcast", range(40)))  # cut more than once
    assert ours.recent.get("broadcast").checkpoint
    mine, theirs = ours.event_broker.published, rasas.event_broker.published
    assert len(theirs) > 250
    assert [_without_time(json.dumps(e)) for e in mine] == [_without_time(json.dumps(e)) for e in theirs]


def test_the_history_is_never_cut_inside_a_form(stores: Any) -> None:
    ours, _ = stores
    sender = f"form-{uuid.uuid4().hex[:6]}"
    asyncio.run(play(ours, sender, range(60)))
    entry = ours.recent.get(sender)
    assert entry is not None and entry.checkpoint, "the history was cut"
    tracker = DialogueStateTracker.from_dict(sender, entry.checkpoint, DOMAIN.slots)
    first = Event.from_parameters(json.loads(entry.tail[0]))
    assert isinstance(first, ActionExecuted) and first.action_name == "action_listen"
    assert tracker.active_loop_name is None


def test_rows_written_by_another_replica_are_read(stores: Any) -> None:
    ours, _ = stores
    other = BackCareSQLTrackerStore(DOMAIN, host=ours.engine.url.render_as_string(hide_password=False))
    sender = f"shared-{uuid.uuid4().hex[:6]}"
    asyncio.run(play(ours, sender, range(5)))
    asyncio.run(play(other, sender, range(5, 8)))  # the next turns on the other replica
    mine = asyncio.run(ours.retrieve(sender))
    latest = [e.text for e in mine.events if isinstance(e, UserUttered)][-3:]
    assert latest == ["message 5", "message 6", "message 7"]
    theirs = asyncio.run(other.retrieve(sender))
    assert state(mine) == state(theirs)


def test_a_deleted_conversation_is_gone_and_a_new_session_starts_afresh(stores: Any) -> None:
    ours, _ = stores
    sender = f"gone-{uuid.uuid4().hex[:6]}"
    asyncio.run(play(ours, sender, range(4)))
    with ours.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM events WHERE sender_id = :s"), {"s": sender})
    assert asyncio.run(ours.retrieve(sender)) is None

    asyncio.run(play(ours, sender, range(3)))
    tracker = asyncio.run(ours.retrieve(sender))
    for event in (ActionExecuted("action_session_start"), SessionStarted(), SlotSet("language", "de")):
        tracker.update(event)
    tracker.update(ActionExecuted("action_listen"))
    asyncio.run(ours.save(tracker))
    again = asyncio.run(ours.retrieve(sender))
    assert not any(isinstance(e, UserUttered) for e in again.events)  # only the new session
    assert again.get_slot("language") == "de"


def test_a_checkpoint_carries_every_changed_slot_and_nothing_else() -> None:
    entry = RecentConversation(rows=0, last_id=0)
    events = [ActionExecuted("action_listen")]
    for number in range(30):
        events += turn_events(number)
    entry.append((event.type_name, json.dumps(event.as_dict())) for event in events)
    entry.cut_if_long("someone", DOMAIN.slots)
    assert entry.checkpoint and len(entry.tail) >= KEEP_EVENTS
    full = DialogueStateTracker.from_events("someone", events, DOMAIN.slots)
    cut = entry.tracker("someone", DOMAIN.slots)
    assert state(cut) == state(full)
    changed = {name for name, slot in full.slots.items() if slot.value != slot.initial_value}
    assert {event["name"] for event in entry.checkpoint} <= changed
