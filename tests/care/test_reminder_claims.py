"""Two reminder processes on one PostgreSQL database handle each (reminder, slot) exactly once.

Two separate OS processes poll the same 50 due reminders at the same moment,
slot after slot, and claim (or, after 2 unanswered, skip) what they find, as
`backcare reminders` does. The clock is pinned by passing `now` to the store.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Tuple

import pytest
from sqlalchemy.engine import Engine

from bot import clock
from bot.care.records import CareRecords
from bot.care.reminders import MAX_UNANSWERED, ReminderStore, next_slot
from bot.knowledge import create_engine_for, create_schema
from support.services import postgres_database

pytestmark = pytest.mark.services  # the PostgreSQL server on this machine

START = datetime(2026, 6, 10, 0, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)
PEOPLE = 50
ROUNDS = 5
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Sydney")
# The person writes before these rounds (unanswered back to 0). Without an
# answer after two reminders, rounds 2 and 3 are skipped; round 4 is sent again.
PERSON_WRITES_BEFORE = {0, 4}
Handled = Tuple[int, str, str]  # reminder id, slot (ISO), "claimed" | "skipped"


def round_time(number: int) -> datetime:
    """The moment both processes poll in round `number`: every reminder has exactly one slot due."""
    return START + (number + 1) * DAY


def poll_rounds(url: str, barrier: Any, results: Any) -> None:
    """One reminder process: in each round, wait for the other, then claim or skip every due slot."""
    store = ReminderStore(create_engine_for(url))
    handled: List[Handled] = []
    for number in range(ROUNDS):
        barrier.wait(timeout=60)  # start the round together
        now = round_time(number)
        for reminder in store.due(now, limit=PEOPLE):
            slot = reminder.next_due_at.isoformat()
            if reminder.unanswered >= MAX_UNANSWERED:
                if store.skip(reminder, now):
                    handled.append((reminder.id, slot, "skipped"))
            elif store.claim(reminder, now):
                handled.append((reminder.id, slot, "claimed"))
        barrier.wait(timeout=60)  # the round is over for both
    results.put(handled)


def set_up_reminders(engine: Engine) -> Dict[int, List[str]]:
    """50 reminders at different local times; each one's slots of the rounds, in ISO form."""
    create_schema(engine)
    store = ReminderStore(engine)
    clock.use_clock(START)
    try:
        slots: Dict[int, List[str]] = {}
        for number in range(PEOPLE):
            info = store.set(f"telegram:{number}", 6 + number % 14, (number * 7) % 60, ZONES[number % 5])
            moments = [info.next_due_at]
            while len(moments) < ROUNDS + 1:
                moments.append(next_slot(info.hour, info.minute, info.time_zone, moments[-1]))
            slots[info.id] = [moment.isoformat() for moment in moments]
    finally:
        clock.use_clock(None)
    return slots


def test_two_processes_claim_each_slot_exactly_once() -> None:
    with postgres_database() as url:
        engine = create_engine_for(url)
        try:
            slots = set_up_reminders(engine)
            context = multiprocessing.get_context("spawn")
            barrier = context.Barrier(3)  # the two processes and this test
            results = context.Queue()
            workers = [context.Process(target=poll_rounds, args=(url, barrier, results)) for _ in range(2)]
            for worker in workers:
                worker.start()
            records = CareRecords(engine)
            for number in range(ROUNDS):
                if number in PERSON_WRITES_BEFORE:
                    for person in range(PEOPLE):
                        records.touch(f"telegram:{person}")
                barrier.wait(timeout=120)
                barrier.wait(timeout=120)
            handled: List[Handled] = results.get(timeout=60) + results.get(timeout=60)
            for worker in workers:
                worker.join(timeout=30)
                assert worker.exitcode == 0
            after = ReminderStore(engine).due(START + 30 * DAY, limit=PEOPLE)
        finally:
            engine.dispose()

    times = Counter((reminder_id, slot) for reminder_id, slot, _ in handled)
    assert [key for key, count in times.items() if count > 1] == []  # nothing twice
    for reminder_id, moments in slots.items():
        expected = {
            (moments[number], "skipped" if number in (2, 3) else "claimed") for number in range(ROUNDS)
        }
        assert {(slot, what) for rid, slot, what in handled if rid == reminder_id} == expected
    assert len(handled) == PEOPLE * ROUNDS
    # Every reminder waits for the slot after the last round, with the round-4 reminder unanswered.
    assert {(info.id, info.next_due_at.isoformat(), info.unanswered) for info in after} == {
        (reminder_id, moments[ROUNDS], 1) for reminder_id, moments in slots.items()
    }
