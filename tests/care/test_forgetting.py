"""`backcare forget` and retention remove a person's care records with everything else."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import clock
from bot.care.records import CareRecords
from bot.care.reminders import ReminderStore
from bot.knowledge import ExerciseRepository, ReportedSign, WarningSignRecords, create_engine_for
from bot.knowledge.models import CheckIn, Person, Reminder
from bot.privacy import apply_retention, forget_conversation
from support.database import seeded_sqlite

START = datetime(2026, 5, 4, 7, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    clock.use_clock(START)
    yield
    clock.use_clock(None)


@pytest.fixture
def database(tmp_path: Path) -> str:
    return seeded_sqlite(tmp_path / "backcare.db")


def fill(url: str, conversation_id: str) -> None:
    engine = create_engine_for(url)
    records = CareRecords(engine)
    records.record_check_in(conversation_id, 6, "none", "assessment", "acute", 0.5, "none")
    records.set_plan(conversation_id, 1, "start")
    ReminderStore(engine).set(conversation_id, 8, 0, "Europe/Berlin")
    ExerciseRepository(engine).record_feedback(conversation_id, "shoulder_circles", "completed")
    WarningSignRecords(engine).record(conversation_id, [ReportedSign("fever", "same_day", START)])


def counts(url: str) -> tuple:
    with Session(create_engine_for(url), future=True) as session:
        return tuple(
            session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (Person, CheckIn, Reminder)
        )


def test_forget_removes_the_person_their_check_ins_and_reminder(database: str, tmp_path: Path) -> None:
    fill(database, "telegram:1")
    fill(database, "web:keep")
    deleted = forget_conversation("telegram:1", f"sqlite:///{tmp_path / 'conversations.db'}", database)
    assert deleted.care_records == 3 and deleted.feedback == 1 and deleted.warning_signs == 1
    assert counts(database) == (1, 1, 1)
    engine = create_engine_for(database)
    assert CareRecords(engine).history("telegram:1") is None
    assert ReminderStore(engine).get("telegram:1") is None
    assert CareRecords(engine).history("web:keep") is not None


def test_retention_removes_inactive_people_and_old_check_ins(database: str, tmp_path: Path) -> None:
    fill(database, "telegram:old")
    fill(database, "web:active")
    clock.use_clock(START + timedelta(days=40))
    CareRecords(create_engine_for(database)).record_check_in("web:active", 3, "none", "check_in")
    deleted = apply_retention(
        30, f"sqlite:///{tmp_path / 'conversations.db'}", database, now=clock.now().timestamp()
    )
    engine = create_engine_for(database)
    assert CareRecords(engine).history("telegram:old") is None
    active = CareRecords(engine).history("web:active")
    assert active is not None and [entry.pain for entry in active.check_ins] == [3]
    # The old person (person, check-in, reminder) and the active person's old check-in.
    assert deleted.care_records == 4


def test_a_person_is_keyed_by_the_channel_of_their_conversation_id() -> None:
    from bot.care.records import CHANNEL_PREFIXES, person_key
    from bot.channels.conversation_ids import RESERVED_PREFIXES, telegram_conversation, web_conversation

    assert set(CHANNEL_PREFIXES) == set(RESERVED_PREFIXES)
    assert person_key(telegram_conversation("777")) == ("telegram", "777")
    assert person_key(web_conversation("ab12.sig")) == ("web", "ab12")
    assert person_key("curl-user") == ("rest", "curl-user")
