"""`backcare report` on PostgreSQL, the production tracker store: the same figures as on SQLite."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from bot.report.period import Period
from bot.report.run import write_report
from support.services import postgres_database
from tests.report.conftest import EXPECTED, SENDER_IDS, write_conversations

pytestmark = pytest.mark.services  # the PostgreSQL server on this machine


def test_a_month_read_from_postgres(tmp_path: Path) -> None:
    with postgres_database() as url:
        write_conversations(url)
        files = write_report(
            url,
            Period(date(2025, 3, 1), date(2025, 3, 31)),
            tmp_path,
            datetime(2025, 4, 2, 8, 0, tzinfo=timezone.utc),
            progress=True,  # counts the rows first, then reads them with a server-side cursor
        )
    totals = files.totals
    assert totals.conversations == EXPECTED["conversations"] and totals.chats == EXPECTED["chats"]
    assert totals.user_turns == EXPECTED["user_turns"] and totals.fallback_turns == EXPECTED["fallback_turns"]
    assert {name: totals.conversations_with(name) for name in EXPECTED["markers"]} == EXPECTED["markers"]
    assert [step.reached for step in totals.funnel()] == EXPECTED["funnel_reached"]
    assert dict(totals.new_signs) == EXPECTED["new_signs"]
    assert (totals.exercises_started, totals.exercises_completed, totals.it_hurts) == (3, 1, 1)
    text = files.markdown.read_text()
    assert "read from the PostgreSQL tracker store" in text and "| Conversations | 6 |" in text
    assert not any(sender in text for sender in SENDER_IDS)
    assert "127.0.0.1" not in text and "backcare_test_" not in text  # not the store's address either
