"""Reminders in a real SQLite database: set, stop, read, due, and each slot claimed once."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot import clock
from bot.care.records import CareRecords
from bot.care.reminders import ReminderInfo, ReminderStore
from bot.knowledge import DatabaseUnavailable, create_engine_for, create_schema
from bot.knowledge.models import Person, Reminder

UTC = timezone.utc
# 10 June 2026, 05:00 UTC: 07:00 in Berlin (summer time, UTC+2).
NOW = datetime(2026, 6, 10, 5, 0, tzinfo=UTC)
EIGHT_IN_BERLIN = datetime(2026, 6, 10, 6, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'care.db'}")
    create_schema(engine)
    clock.use_clock(NOW)
    yield engine
    clock.use_clock(None)


@pytest.fixture
def store(engine: Engine) -> ReminderStore:
    return ReminderStore(engine)


def stored(engine: Engine, reminder_id: int) -> Reminder:
    with Session(engine) as session:
        row = session.get(Reminder, reminder_id)
        assert row is not None
        return row


def test_set_creates_the_person_and_a_reminder_due_at_the_next_local_time(
    engine: Engine, store: ReminderStore
) -> None:
    info = store.set("telegram:42", 8, 0, "Europe/Berlin")
    assert (info.hour, info.minute, info.time_zone, info.active, info.unanswered) == (
        8,
        0,
        "Europe/Berlin",
        True,
        0,
    )
    assert info.next_due_at == EIGHT_IN_BERLIN
    assert (info.channel, info.conversation_id) == ("telegram", "telegram:42")
    assert store.get("telegram:42") == info
    history = CareRecords(engine).history("telegram:42")
    assert history is not None and history.time_zone == "Europe/Berlin" and history.channel == "telegram"


def test_set_uses_the_person_records_already_know_and_replaces_the_reminder(
    engine: Engine, store: ReminderStore
) -> None:
    records = CareRecords(engine)
    clock.use_clock(NOW - 3 * DAY)
    records.record_check_in("web:abc", 5, "none", "assessment")
    clock.use_clock(NOW)
    store.set("web:abc", 8, 0, "Europe/Berlin")
    later = store.set("web:abc", 21, 15, "Asia/Tokyo")
    with Session(engine) as session:
        assert len(session.execute(select(Person)).scalars().all()) == 1
        assert len(session.execute(select(Reminder)).scalars().all()) == 1
    assert (later.hour, later.minute, later.time_zone, later.channel) == (21, 15, "Asia/Tokyo", "web")
    assert later.next_due_at == datetime(2026, 6, 10, 12, 15, tzinfo=UTC)  # 21:15 in Tokyo (UTC+9)
    history = records.history("web:abc")
    assert history is not None and history.first_seen_at == NOW - 3 * DAY
    assert history.time_zone == "Asia/Tokyo"


@pytest.mark.parametrize(
    ("hour", "minute", "zone"), [(24, 0, "UTC"), (8, 60, "UTC"), (-1, 0, "UTC"), (8, 0, "Berlin")]
)
def test_set_refuses_impossible_times_and_unknown_zones(
    store: ReminderStore, hour: int, minute: int, zone: str
) -> None:
    with pytest.raises(ValueError):
        store.set("someone", hour, minute, zone)
    assert store.get("someone") is None


def test_stop_get_and_set_again(store: ReminderStore) -> None:
    assert store.get("nobody") is None and store.stop("nobody") is False
    store.set("me", 8, 0, "Europe/Berlin")
    assert store.stop("me") is True
    stopped = store.get("me")
    assert stopped is not None and stopped.active is False and stopped.channel == "rest"
    assert store.stop("me") is False  # already stopped
    assert store.due(NOW + 10 * DAY) == []
    assert store.set("me", 9, 0, "Europe/Berlin").active is True
    assert [info.conversation_id for info in store.due(NOW + DAY)] == ["me"]


def test_due_lists_active_reminders_whose_slot_has_come_oldest_first(store: ReminderStore) -> None:
    store.set("berlin", 8, 0, "Europe/Berlin")  # 06:00 UTC
    store.set("london", 8, 0, "Europe/London")  # 07:00 UTC
    store.set("stopped", 7, 30, "Europe/Berlin")
    store.stop("stopped")
    assert store.due(EIGHT_IN_BERLIN - timedelta(seconds=1)) == []
    assert [info.conversation_id for info in store.due(EIGHT_IN_BERLIN)] == ["berlin"]
    assert [info.conversation_id for info in store.due(NOW + DAY)] == ["berlin", "london"]
    assert [info.conversation_id for info in store.due(NOW + DAY, limit=1)] == ["berlin"]


def test_a_slot_is_claimed_once_and_moves_to_the_next_day(engine: Engine, store: ReminderStore) -> None:
    store.set("telegram:1", 8, 0, "Europe/Berlin")
    (due,) = store.due(EIGHT_IN_BERLIN)
    sent_at = EIGHT_IN_BERLIN + timedelta(seconds=20)
    assert store.claim(due, sent_at) is True
    assert store.claim(due, sent_at) is False  # the same slot, read before the claim
    row = stored(engine, due.id)
    assert row.unanswered == 1 and row.last_sent_at is not None
    after = store.get("telegram:1")
    assert after is not None and after.next_due_at == EIGHT_IN_BERLIN + DAY and after.unanswered == 1
    assert store.due(sent_at) == []


def test_a_stopped_reminder_cannot_be_claimed(store: ReminderStore) -> None:
    store.set("telegram:1", 8, 0, "Europe/Berlin")
    (due,) = store.due(EIGHT_IN_BERLIN)
    store.stop("telegram:1")
    assert store.claim(due, EIGHT_IN_BERLIN) is False
    assert store.skip(due, EIGHT_IN_BERLIN) is False


def claim_next(store: ReminderStore, at: datetime) -> ReminderInfo:
    (due,) = store.due(at)
    return due


def test_after_two_unanswered_no_claim_and_the_slot_is_skipped(store: ReminderStore) -> None:
    store.set("telegram:1", 8, 0, "Europe/Berlin")
    for day in range(2):
        assert store.claim(claim_next(store, EIGHT_IN_BERLIN + day * DAY), EIGHT_IN_BERLIN + day * DAY)
    third = claim_next(store, EIGHT_IN_BERLIN + 2 * DAY)
    assert third.unanswered == 2
    assert store.claim(third, EIGHT_IN_BERLIN + 2 * DAY) is False
    assert store.skip(third, EIGHT_IN_BERLIN + 2 * DAY) is True
    assert store.skip(third, EIGHT_IN_BERLIN + 2 * DAY) is False  # once per slot, like a claim
    after = store.get("telegram:1")
    assert after is not None and after.unanswered == 2 and after.next_due_at == EIGHT_IN_BERLIN + 3 * DAY


def test_when_the_person_writes_again_the_next_reminder_is_the_next_slot_not_a_burst(
    engine: Engine, store: ReminderStore
) -> None:
    store.set("telegram:1", 8, 0, "Europe/Berlin")
    for day in range(2):
        assert store.claim(claim_next(store, EIGHT_IN_BERLIN + day * DAY), EIGHT_IN_BERLIN + day * DAY)
    for day in range(2, 6):  # four silent days: skipped, not piled up
        assert store.skip(claim_next(store, EIGHT_IN_BERLIN + day * DAY), EIGHT_IN_BERLIN + day * DAY)
    clock.use_clock(EIGHT_IN_BERLIN + 6 * DAY - timedelta(hours=3))
    CareRecords(engine).touch("telegram:1")  # the person writes: unanswered back to 0
    back = store.get("telegram:1")
    assert back is not None and back.unanswered == 0
    assert store.due(EIGHT_IN_BERLIN + 6 * DAY - timedelta(seconds=1)) == []
    (next_one,) = store.due(EIGHT_IN_BERLIN + 6 * DAY)
    assert next_one.next_due_at == EIGHT_IN_BERLIN + 6 * DAY
    assert store.claim(next_one, EIGHT_IN_BERLIN + 6 * DAY) is True


def test_a_check_in_also_resets_the_unanswered_count(engine: Engine, store: ReminderStore) -> None:
    store.set("telegram:1", 8, 0, "Europe/Berlin")
    assert store.claim(claim_next(store, EIGHT_IN_BERLIN), EIGHT_IN_BERLIN)
    CareRecords(engine).record_check_in("telegram:1", 4, "none", "check_in")
    after = store.get("telegram:1")
    assert after is not None and after.unanswered == 0


def test_a_missed_week_sends_one_late_reminder_then_the_next_slot_to_come(store: ReminderStore) -> None:
    store.set("telegram:1", 8, 0, "Europe/Berlin")
    week_later = EIGHT_IN_BERLIN + 7 * DAY + timedelta(hours=2)
    (late,) = store.due(week_later)
    assert late.next_due_at == EIGHT_IN_BERLIN
    assert store.claim(late, week_later) is True
    assert store.due(week_later) == []
    after = store.get("telegram:1")
    assert after is not None and after.next_due_at == EIGHT_IN_BERLIN + 8 * DAY


def test_release_puts_a_claimed_slot_back_once(engine: Engine, store: ReminderStore) -> None:
    store.set("telegram:1", 8, 0, "Europe/Berlin")
    due = claim_next(store, EIGHT_IN_BERLIN)
    assert store.claim(due, EIGHT_IN_BERLIN)
    assert store.release(due, due.next_due_at) is True
    assert store.release(due, due.next_due_at) is False  # already back
    (again,) = store.due(EIGHT_IN_BERLIN)
    assert again.next_due_at == EIGHT_IN_BERLIN and again.unanswered == 0
    assert store.claim(again, EIGHT_IN_BERLIN) is True
    assert stored(engine, due.id).unanswered == 1


def test_release_leaves_a_reminder_the_person_changed_meanwhile(store: ReminderStore) -> None:
    store.set("telegram:1", 8, 0, "Europe/Berlin")
    due = claim_next(store, EIGHT_IN_BERLIN)
    assert store.claim(due, EIGHT_IN_BERLIN)
    store.set("telegram:1", 20, 0, "Europe/Berlin")
    assert store.release(due, due.next_due_at) is False
    after = store.get("telegram:1")
    assert after is not None and after.hour == 20 and after.next_due_at > EIGHT_IN_BERLIN


def test_release_never_counts_below_zero(engine: Engine, store: ReminderStore) -> None:
    store.set("telegram:1", 8, 0, "Europe/Berlin")
    due = claim_next(store, EIGHT_IN_BERLIN)
    assert store.claim(due, EIGHT_IN_BERLIN)
    CareRecords(engine).touch("telegram:1")  # the person wrote while the delivery failed
    assert store.release(due, due.next_due_at) is True
    assert stored(engine, due.id).unanswered == 0


def test_a_database_without_the_tables_is_reported_as_unavailable(tmp_path: Path) -> None:
    empty = ReminderStore(create_engine_for(f"sqlite:///{tmp_path / 'empty.db'}"))
    with pytest.raises(DatabaseUnavailable, match="cannot read due reminders"):
        empty.due(NOW)
    with pytest.raises(DatabaseUnavailable, match="cannot store the reminder"):
        empty.set("me", 8, 0, "UTC")
