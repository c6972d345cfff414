"""`backcare report` on a SQLite tracker store written by Rasa: the figures, the period, no personal data."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

from bot import cli, clock
from bot.report.aggregate import Totals
from bot.report.period import Period
from bot.report.run import read_totals, write_report
from bot.report.sessions import conversations
from bot.report.store import StoredEvent, TrackerStoreError
from tests.report.conftest import EXPECTED, SENDER_IDS, user_texts

MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
GENERATED = datetime(2025, 4, 2, 8, 0, tzinfo=timezone.utc)


def figures(totals: Totals) -> Dict[str, Any]:
    """The totals in the shape of EXPECTED."""
    funnel = totals.funnel()
    return {
        "conversations": totals.conversations,
        "silent_sessions": totals.silent_sessions,
        "chats": totals.chats,
        "user_turns": totals.user_turns,
        "fallback_turns": totals.fallback_turns,
        "turns": dict(totals.turns),
        "markers": {name: totals.conversations_with(name) for name in EXPECTED["markers"]},
        "funnel_reached": [step.reached for step in funnel],
        "funnel_stopped": [step.stopped for step in funnel],
        "outcomes": {name: count for name, count in totals.outcomes.items() if count},
        "urgencies": dict(totals.urgencies),
        "new_referrals": totals.new_referrals,
        "new_signs": dict(totals.new_signs),
        "remembered_signs": dict(totals.remembered_signs),
        "exercises_started": totals.exercises_started,
        "exercises_completed": totals.exercises_completed,
        "it_hurts": totals.it_hurts,
    }


def test_the_figures_of_a_month(tracker_store_url: str) -> None:
    totals = read_totals(tracker_store_url, MARCH, progress=False)
    assert figures(totals) == EXPECTED
    assert totals.turn_percentile(0.5) == 3 and totals.turn_percentile(0.9) == 9
    assert [count for _, count in totals.turn_bands()] == [0, 5, 1, 0, 0, 0]


def test_the_period_counts_conversations_by_the_day_they_started(tracker_store_url: str) -> None:
    # 20 February and 28 February 23:50 (on past midnight); not 1 March 00:20, the same session.
    february = read_totals(tracker_store_url, Period(date(2025, 2, 1), date(2025, 2, 28)), progress=False)
    assert february.conversations == 2 and february.chats == 1
    assert february.outcomes["recovery"] == 1 and february.outcomes["assessment_unfinished"] == 1
    assert february.conversations_with("pain_duration_answered") == 2  # its answer after midnight is read too
    # 1 April: only the session that started then, not the end of 31 March's.
    april = read_totals(tracker_store_url, Period(date(2025, 4, 1), date(2025, 4, 1)), progress=False)
    assert (april.conversations, april.user_turns, april.fallback_turns) == (1, 1, 1)
    assert april.conversations_with("stage_reached") == 0
    # One day: 5 March holds one conversation, the warning sign.
    one_day = read_totals(tracker_store_url, Period(date(2025, 3, 5), date(2025, 3, 5)), progress=False)
    assert one_day.conversations == 1 and dict(one_day.new_signs) == {"saddle_numbness": 1}
    nothing = read_totals(tracker_store_url, Period(date(2024, 1, 1), date(2024, 1, 31)), progress=False)
    assert nothing.conversations == 0 and nothing.funnel()[0].reached == 0


def test_the_report_files(tracker_store_url: str, tmp_path: Path) -> None:
    files = write_report(tracker_store_url, MARCH, tmp_path, GENERATED, progress=False)
    assert {path.name for path in tmp_path.iterdir()} == {"report.md", "funnel.png", "outcomes.png"}
    for chart in (files.funnel, files.outcomes):
        assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and chart.stat().st_size > 5000
    text = files.markdown.read_text()
    assert text.startswith("# BackCare operator's report: 2025-03-01 to 2025-03-31\n")
    assert "read from the SQLite tracker store on 2025-04-02 08:00 UTC" in text
    assert "1 session without one (an unanswered reminder) left out" in text
    for row in (
        "| Conversations | 6 |",
        "| Conversation ids (chats) | 4 |",
        "| Messages per conversation | mean 4.0, median 3, 90th percentile 9, most 9 |",
        "| Urgent referrals | 2 (33.3% of conversations); 1 for a warning sign raised in the conversation |",
        "| Exercises started / completed | 3 / 1 (33.3% completed), in 2 conversations |",
        '| "It hurts" rate | 33.3% of exercises started (1), in 1 conversation |',
        "| Fallback rate | 12.5% of messages (3); 2 conversations (33.3%) had at least one |",
        "| Pain level answered | 4 | 100.0% | 1 |",
        "| Stage reached | 3 | 75.0% | 3 |",
        "| Urgent (warning sign) | 2 | 33.3% |",
        "| 2-5 | 5 | 83.3% |",
        "| `exercise_completed` * | Exercise completed | 1 | 16.7% |",
    ):
        assert row in text, row
    assert "![How far the assessment got](funnel.png)" in text and "![Stage reached](outcomes.png)" in text
    # The sign by its name in data/red_flags.yml, raised once and remembered once.
    assert "| `saddle_numbness` | emergency | 1 | 1 |" in text
    assert "Conversations by the most urgent advice given: emergency 2." in text


def test_no_message_text_and_no_conversation_id_in_any_file(tracker_store_url: str, tmp_path: Path) -> None:
    write_report(tracker_store_url, MARCH, tmp_path, GENERATED, progress=False)
    written = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    # Short answers ("next", "7") are words of any report; every longer text is personal.
    personal = [*SENDER_IDS, *(text for text in user_texts() if len(text) > 12), "Europe/Berlin"]
    assert len(personal) > 20
    for name, content in written.items():
        lowered = content.lower()
        for secret in personal:
            assert secret.lower().encode() not in lowered, f"{secret!r} is in {name}"
    # Not even parts of them: the distinctive words of the conversations.
    for word in ("4815162342", "anna", "bob", "carol", "1234567", "davos", "hauptbahnhof", "gertrude"):
        assert all(word.encode() not in content.lower() for content in written.values()), word


def test_a_store_is_read_as_a_stream() -> None:
    """Conversations come out while the events are still being read: the store never has to fit in memory."""

    def endless() -> Iterator[StoredEvent]:
        for number in itertools.count():
            sender = f"sender-{number}"
            yield StoredEvent(sender, "action", float(number), None, "action_session_start")
            yield StoredEvent(sender, "user", float(number), "greet", None)
            yield StoredEvent(sender, "action", float(number), None, "action_greet")

    first = list(itertools.islice(conversations(endless()), 3))
    assert [facts.user_turns for facts in first] == [1, 1, 1]
    assert [facts.chat for facts in first] == [0, 1, 2]


def test_an_empty_store_gives_an_empty_report(tmp_path: Path) -> None:
    import sqlite3

    sqlite3.connect(tmp_path / "empty.db").close()  # a file, but Rasa never wrote to it
    files = write_report(
        f"sqlite:///{tmp_path / 'empty.db'}", MARCH, tmp_path / "out", GENERATED, progress=False
    )
    text = files.markdown.read_text()
    assert "| Conversations | 0 |" in text and "No urgent referral in this period." in text
    assert "| Fallback rate | n/a of messages (0); 0 conversations (n/a) had at least one |" in text


def test_a_missing_store_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TrackerStoreError, match="no such file"):
        read_totals(f"sqlite:///{tmp_path / 'nowhere.db'}", MARCH, progress=False)


def test_the_command(tracker_store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report"
    environment = {"BACKCARE_TRACKER_STORE_URL": tracker_store_url}
    code = cli.main(
        ["report", "--since", "2025-03-01", "--until", "2025-03-31", "--out", str(out)], environment
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "6 conversations from 2025-03-01 to 2025-03-31" in captured.out
    assert "Reading the tracker store" not in captured.err  # not a terminal: no progress bar
    assert (
        (out / "report.md").is_file() and (out / "funnel.png").is_file() and (out / "outcomes.png").is_file()
    )

    # --tracker-store wins over the setting; --progress shows the bar even without a terminal.
    code = cli.main(
        [
            "report",
            *("--since", "2025-03-05", "--until", "2025-03-05", "--out", str(out)),
            *("--progress", "--tracker-store", tracker_store_url),
        ],
        {"BACKCARE_TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'nowhere.db'}"},
    )
    captured = capsys.readouterr()
    assert code == 0 and "1 conversations from 2025-03-05 to 2025-03-05" in captured.out
    assert "Reading the tracker store" in captured.err


def test_the_command_defaults_to_the_last_30_days_by_backcares_clock(
    tracker_store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock.use_clock(datetime(2025, 3, 31, 12, 0, tzinfo=timezone.utc))
    try:
        code = cli.main(["report", "--out", str(tmp_path)], {"BACKCARE_TRACKER_STORE_URL": tracker_store_url})
    finally:
        clock.use_clock(None)
    assert code == 0
    assert "6 conversations from 2025-03-02 to 2025-03-31" in capsys.readouterr().out
    assert "report: 2025-03-02 to 2025-03-31" in (tmp_path / "report.md").read_text()


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["--since", "2025-03-31", "--until", "2025-03-01"], "after it ends"),
        (["--since", "March"], "YYYY-MM-DD"),
        (["--tracker-store", "sqlite:////nonexistent/conversations.db"], "Tracker store problem"),
        (["--tracker-store", "postgresql://report:hunter2@127.0.0.1:1/backcare"], "Tracker store problem"),
    ],
)
def test_the_command_says_what_is_wrong(
    arguments: list, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["report", "--out", str(tmp_path), *arguments], {})
    output = capsys.readouterr()
    assert code == 2 and said in output.err
    assert "Traceback" not in output.err and "hunter2" not in output.err
