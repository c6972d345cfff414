"""Warning signs kept beyond a session: recorded once, recalled for 14 days, cleared, and deleted."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.knowledge import ReportedSign, WarningSignRecords, create_engine_for, create_schema
from bot.privacy import apply_retention, forget_conversation

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'records.db'}"
    create_schema(create_engine_for(url))
    return url


def test_a_sign_is_recorded_once_and_recalled_within_two_weeks(database: str) -> None:
    records = WarningSignRecords(create_engine_for(database))
    sign = ReportedSign("fever", "same_day", NOW - timedelta(days=3))
    records.record("person", [sign, sign])
    records.record("person", [sign])
    assert records.recent("person", 14, now=NOW) == [sign]
    assert records.recent("person", 2, now=NOW) == []
    assert records.recent("someone else", 14, now=NOW) == []


def test_a_doctors_check_clears_every_open_sign(database: str) -> None:
    records = WarningSignRecords(create_engine_for(database))
    records.record(
        "person", [ReportedSign("trauma", "same_day", NOW), ReportedSign("nerve_signs", "emergency", NOW)]
    )
    assert records.clear("person", now=NOW) == 2
    assert records.recent("person", 14, now=NOW) == []
    records.record(
        "person", [ReportedSign("trauma", "same_day", NOW)]
    )  # a new report after the check counts again
    assert [sign.code for sign in records.recent("person", 14, now=NOW)] == ["trauma"]


def test_forget_and_retention_delete_warning_signs(database: str) -> None:
    records = WarningSignRecords(create_engine_for(database))
    records.record("forget me", [ReportedSign("fever", "same_day", NOW)])
    records.record(
        "old", [ReportedSign("fever", "same_day", datetime.now(timezone.utc) - timedelta(days=40))]
    )
    records.record("recent", [ReportedSign("fever", "same_day", datetime.now(timezone.utc))])
    assert forget_conversation("forget me", tracker_url=database, exercises_url=database).warning_signs == 1
    assert apply_retention(30, tracker_url=database, exercises_url=database).warning_signs == 1
    assert records.recent("recent", 14) != [] and records.recent("old", 100) == []


def test_a_recent_doctors_check_is_known(database: str) -> None:
    records = WarningSignRecords(create_engine_for(database))
    records.record("person", [ReportedSign("trauma", "same_day", NOW - timedelta(days=2))])
    assert not records.cleared_recently("person", 14, now=NOW)
    records.clear("person", now=NOW - timedelta(days=1))
    assert records.cleared_recently("person", 14, now=NOW)
    assert not records.cleared_recently("person", 14, now=NOW + timedelta(days=20))
