"""The benchmark's growth phases: the arithmetic and the rows they write, without any server."""

from __future__ import annotations

import io
import json
import sqlite3
import statistics
from pathlib import Path
from typing import Any, Dict

import pytest

from bench import big_store, progress
from bench.conversations import CONVERSATIONS
from bench.long_conversation import ASSESSMENTS, bucket_medians, edge_medians, long_script
from bench.run import PHASES, markdown, phase_list
from bench.soak import windows
from bench.socketio_phase import socket_messages

# Rasa 3.6's `SQLTrackerStore.SQLEvent` as SQLAlchemy creates it on SQLite.
RASA_SCHEMA = [
    "CREATE TABLE events (id INTEGER NOT NULL, sender_id VARCHAR(255) NOT NULL, "
    "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
    "action_name VARCHAR(255), data TEXT, PRIMARY KEY (id))",
    "CREATE INDEX ix_events_sender_id ON events (sender_id)",
]


# --- long conversation ---------------------------------------------------------------------------


def test_buckets_of_ten_turns_numbered_from_one() -> None:
    latencies = [float(turn) for turn in range(1, 26)]
    buckets = bucket_medians(latencies)
    assert [(b["first_turn"], b["last_turn"]) for b in buckets] == [(1, 10), (11, 20), (21, 25)]
    assert [b["median_ms"] for b in buckets] == [5.5, 15.5, 23.0]


def test_first_and_last_thirty_turns_and_their_ratio() -> None:
    latencies = [10.0] * 30 + [99.0] * 240 + [25.0] * 30
    edges = edge_medians(latencies)
    assert edges["window"] == 30
    assert edges["first_median_ms"] == 10.0
    assert edges["last_median_ms"] == 25.0
    assert edges["last_to_first"] == pytest.approx(2.5)


def test_short_conversations_compare_their_halves() -> None:
    edges = edge_medians([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
    assert edges["window"] == 3
    assert (edges["first_median_ms"], edges["last_median_ms"]) == (2.0, 6.0)


def test_long_script_repeats_the_assessments_without_warning_signs() -> None:
    script = long_script(300)
    assert len(script) == 300
    assert script[: len(ASSESSMENTS[0])] == ASSESSMENTS[0]
    assert ASSESSMENTS and len(ASSESSMENTS) < len(CONVERSATIONS)
    assert not any("end my life" in text or "groin" in text for text in script)


# --- socket.io -----------------------------------------------------------------------------------


def test_socket_messages_split_texts_with_buttons_at_blank_lines() -> None:
    rest = [
        {"recipient_id": "x", "text": "Hello"},
        {
            "recipient_id": "x",
            "text": "First part\n\nSecond part",
            "buttons": [{"title": "a", "payload": "/a"}],
        },
        {"recipient_id": "x", "image": "http://example.org/a.png"},
        {"recipient_id": "x", "custom": {"chart": 1}},
    ]
    assert socket_messages(rest) == 5
    assert socket_messages([]) == 0
    assert socket_messages(None) == 0


# --- soak ----------------------------------------------------------------------------------------


def test_soak_windows_group_turns_by_the_moment_they_were_sent() -> None:
    result = windows([0.5, 1.0, 9.9, 10.0, 99.0], [10.0, 20.0, 30.0, 40.0, 50.0], seconds=100, count=10)
    assert [w["turns"] for w in result] == [3, 1, 0, 0, 0, 0, 0, 0, 0, 1]
    assert result[0]["p50_ms"] == 20.0
    assert result[2]["p50_ms"] is None
    assert result[9]["from_s"] == 90.0


# --- progress ------------------------------------------------------------------------------------


def test_durations() -> None:
    assert progress.duration(4.4) == "4 s"
    assert progress.duration(125) == "2m05s"
    assert progress.duration(3720) == "1h02m"


def test_counter_line_with_rate_and_time_left() -> None:
    line = progress.counter_line("BackCare: REST", 100, 300, 1, 10.0)
    assert line == "  BackCare: REST: 100/300 turns, 1 error, 10 s, 10.0 turns/s, about 20 s left"
    assert progress.counter_line("fill", 0, None, 0, 0.0, unit="conversations") == (
        "  fill: 0 conversations, 0 errors, 0 s"
    )


def test_plain_lines_when_not_a_terminal() -> None:
    stream = io.StringIO()
    display = progress.Progress(stream, live=False)
    with display.phase("BackCare: soak", total=3):
        for _ in range(3):
            display.tick()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "[1 +0 s] BackCare: soak"
    assert lines[-1].startswith("[1 +0 s] BackCare: soak: done in 0 s, 3 turns, 0 errors")
    assert "\r" not in stream.getvalue()


def test_live_counter_rewrites_one_line_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "TTY_REFRESH_S", 0.0)
    stream = io.StringIO()
    display = progress.Progress(stream, live=True)
    with display.phase("long", total=2):
        display.tick()
        display.tick(error=True)
    text = stream.getvalue()
    assert "\r\033[K  long: 1/2 turns, 0 errors" in text
    assert text.endswith("long: done in 0 s, 2 turns, 1 error\n")


def test_a_failed_phase_says_so() -> None:
    stream = io.StringIO()
    display = progress.Progress(stream, live=False)
    with pytest.raises(RuntimeError), display.phase("store"):
        raise RuntimeError("no server")
    assert stream.getvalue().splitlines()[-1].endswith("store: failed in 0 s")


def test_ticks_without_a_display_are_ignored() -> None:
    progress.use(None)
    progress.tick()
    with progress.phase("nothing"):
        progress.tick(error=True)


# --- big tracker store ---------------------------------------------------------------------------


def stored(
    type_name: str, timestamp: float, intent: str | None = None, action: str | None = None
) -> big_store.StoredEvent:
    data = {"event": type_name, "timestamp": timestamp, "metadata": {"model_id": "m"}}
    if type_name == "user":
        data.update(text="hi", message_id="old", parse_data={"intent": {"name": intent}})
    if action:
        data["name"] = action
    return big_store.StoredEvent(type_name, timestamp, intent, action, json.dumps(data))


CONVERSATION = [
    stored("action", 100.0, action="action_session_start"),
    stored("session_started", 100.001),
    stored("action", 100.002, action="action_listen"),
    stored("user", 100.5, intent="greet"),
    stored("action", 100.52, action="action_greet"),
    stored("action", 100.53, action="action_listen"),
    stored("user", 100.9, intent="report_pain"),
    stored("action", 100.95, action="action_listen"),
]


def test_first_turns_stop_before_the_next_message() -> None:
    assert big_store.first_turns(CONVERSATION, 1) == CONVERSATION[:6]
    assert big_store.first_turns(CONVERSATION, 5) == CONVERSATION


def test_generated_rows_are_rasa_rows_with_new_moments_and_message_ids() -> None:
    template = big_store.make_template(CONVERSATION)
    rows = [big_store.event_row(event, "web:abc", 1000.0) for event in template]
    assert [row[0] for row in rows] == ["web:abc"] * len(CONVERSATION)
    assert [row[1] for row in rows] == [event.type_name for event in CONVERSATION]
    assert rows[3][3:5] == ("greet", None) and rows[4][3:5] == (None, "action_greet")
    moments = [row[2] for row in rows]
    assert moments == sorted(moments)
    assert moments[0] == 1000.0
    assert moments[6] - moments[3] == pytest.approx(big_store.TURN_SPACING_S)  # the person's pace
    for row in rows:
        data = json.loads(row[5])
        assert data["timestamp"] == row[2]
        assert data["event"] == row[1]
    user = json.loads(rows[3][5])
    assert user["message_id"] != "old" and len(user["message_id"]) == 32
    assert user["parse_data"]["intent"]["name"] == "greet"


def test_sender_ids_are_unique_and_channel_shaped() -> None:
    import random

    ids = list(big_store.sender_ids(5000, random.Random(1)))
    assert len(set(ids)) == len(ids)
    assert all(i.startswith(("web:", "telegram:", "rest-")) and len(i) <= 128 for i in ids)
    assert sum(i.startswith("web:") for i in ids) > 3000


def test_start_moments_spread_over_the_past_days_in_order() -> None:
    import random

    moments = big_store.start_moments(1000, 180, now=1e9, rng=random.Random(2))
    assert moments == sorted(moments)
    assert 1e9 - 180 * big_store.DAY_S <= moments[0] and moments[-1] <= 1e9
    assert statistics.median(moments) == pytest.approx(1e9 - 90 * big_store.DAY_S, abs=15 * big_store.DAY_S)


def test_fill_store_writes_every_conversation_in_rasas_table(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    template = big_store.make_template(CONVERSATION)
    result = big_store.fill_store(db, RASA_SCHEMA, [template], count=250, days=10, now=1e9)
    assert result["rows"] == 250 * len(CONVERSATION)
    assert big_store.count_conversations(db) == 250
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        indexes = [row[1] for row in connection.execute("PRAGMA index_list(events)")]
        assert "ix_events_sender_id" in indexes
        oldest, newest = connection.execute("SELECT MIN(timestamp), MAX(timestamp) FROM events").fetchone()
    assert 1e9 - 10 * big_store.DAY_S <= oldest and newest <= 1e9 + 60
    conversations = big_store.read_conversations(db)
    assert all(
        [e.type_name for e in events] == [e.type_name for e in CONVERSATION]
        for events in conversations.values()
    )


# --- command line and report ---------------------------------------------------------------------


def test_phases_are_checked_and_kept_in_running_order() -> None:
    assert phase_list("soak, long") == ["long", "soak"]
    assert phase_list(",".join(PHASES)) == list(PHASES)
    with pytest.raises(Exception, match="unknown phase"):
        phase_list("rest,speed")


def test_the_report_marks_phases_not_run_as_placeholders() -> None:
    results = {
        "date": "2026-12-01 10:00",
        "machine": "test",
        "phases": ["long"],
        "concurrency": 20,
        "systems": [
            {
                "label": "BackCare",
                "ready_s": 20.0,
                "long_conversation": {
                    "turns": 60,
                    "window": 30,
                    "first_median_ms": 50.0,
                    "last_median_ms": 100.0,
                    "last_to_first": 2.0,
                    "p95_ms": 150.0,
                    "events_at_end": 500,
                    "errors": 0,
                    "buckets": [],
                },
            }
        ],
        "training_s": 0.0,
        "total_s": 60.0,
    }
    text = markdown(results)
    assert "| last / first | 2.00x | — | — |" in text
    assert "| last / first <= 1.3x | no | — | |" in text
    assert "BackCare only (`--skip-baseline`)" in text
    for phase in ("rest", "socketio", "store", "soak"):
        assert f"(phase `{phase}`)" in text
    assert "(phase `long`)" not in text
    assert "### Soak: 10 minutes at half the measured throughput" in text


def test_the_report_fills_the_store_and_soak_tables() -> None:
    retention = {"exit_code": 0, "output": "Deleted 10 events, 0 exercise records, 0 warning signs ..."}
    store = {
        "conversations": 2000,
        "spread_days": 180.0,
        "retention_days": 90.0,
        "template_turns": 4,
        "rows": 72127,
        "fill_s": 0.5,
        "bytes": 52146176,
        "empty": {
            "ready_s": 23.0,
            "single": {"p50_ms": 40.0, "p95_ms": 80.0},
            "retention": {**retention, "seconds": 1.0},
        },
        "full": {
            "ready_s": 23.0,
            "single": {"p50_ms": 44.0, "p95_ms": 88.0},
            "retention": {**retention, "seconds": 10.0},
            "conversations_after_retention": 1047,
        },
    }
    window = {"from_s": 0.0, "turns": 20, "p50_ms": 58.0, "p95_ms": 120.0}
    soak = {
        "seconds": 30.0,
        "target_turns_per_s": 7.5,
        "turns_per_s": 7.5,
        "turns": 225,
        "conversations": 26,
        "errors": 0,
        "skipped_turns": 0,
        "p95_ms": 121.7,
        "rss_mb_start": {"rasa": 1179.0, "actions": 119.6},
        "rss_mb_end": {"rasa": 1180.0, "actions": 120.0},
        "windows": [window, {**window, "p95_ms": 130.0}],
    }
    results = {
        "date": "2026-12-01 10:00",
        "machine": "test",
        "phases": ["store", "soak"],
        "systems": [{"label": "BackCare", "big_store": store, "soak": soak}],
        "total_s": 60.0,
    }
    text = markdown(results)
    assert "### A tracker store of 2,000 conversations" in text
    assert "| single conversation p50, ms | 40.0 | 44.0 | 1.10x |" in text
    assert "| `backcare retention`, s | 1.0 | 10.0 | 10.00x |" in text
    assert "left 1,047 conversations" in text
    assert "### Soak: 30 s at half the measured throughput" in text
    assert "| Rasa server RSS, MB | 1179 | 1180 |" in text
    assert "| p50 / p95 in the first / last tenth, ms | 58.0 / 120.0 | 58.0 / 130.0 |" in text
    assert "(phase `store`)" not in text and "(phase `soak`)" not in text


def test_long_conversation_chart(tmp_path: Path) -> None:
    from bench.long_conversation import chart

    latencies = [float(turn) for turn in range(1, 61)]
    result = {"buckets": bucket_medians(latencies), "failed_turns": [45, 47]}
    chart(
        {"BackCare": result, "rasa init baseline": {"buckets": bucket_medians(latencies[:30])}},
        tmp_path / "c.png",
    )
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_report_reads_results_from_before_the_growth_phases() -> None:
    text = markdown(json.loads((Path(__file__).parents[2] / "bench" / "results.json").read_text()))
    assert "| single conversation p50, ms |" in text
    assert "## Growth" in text


def test_the_headline_table_gives_ratios_to_the_baseline_and_their_targets() -> None:
    def system(label: str, scale: float) -> Dict[str, Any]:
        latency = {"p50_ms": 40.0 * scale, "p95_ms": 80.0 * scale, "p99_ms": 90.0 * scale, "errors": 0}
        return {
            "label": label,
            "ready_s": 10.0 * scale,
            "rasa_rss_mb": 1000.0 * scale,
            "single": {**latency, "turns_per_s": 20.0 / scale},
            "concurrent": {**latency, "turns_per_s": 20.0 / scale},
            "holdout_intent_macro_f1": 0.99,
        }

    results = {
        "date": "2026-12-01 10:00",
        "machine": "test",
        "phases": ["rest", "quality"],
        "concurrency": 20,
        "systems": [system("BackCare", 0.25), system("rasa init baseline", 1.0)],
        "total_s": 60.0,
    }
    text = markdown(results)
    assert "| 20 concurrent: turns/s | 80.0 | 20.0 | 4.00x | >= 3.5x | yes |" in text
    assert "| single conversation p50, ms | 10.0 | 40.0 | 0.25x | <= 0.4x | yes |" in text
    assert "| Rasa server RSS, MB | 250.0 | 1000.0 | 0.25x | <= 0.6x | yes |" in text
    results["systems"][0]["concurrent"]["turns_per_s"] = 60.0
    assert "| 20 concurrent: turns/s | 60.0 | 20.0 | 3.00x | >= 3.5x | no |" in markdown(results)


# --- locustfile ----------------------------------------------------------------------------------

LOCUSTFILE = Path(__file__).parents[2] / "locustfile.py"


def test_locustfile_posts_to_the_rest_channel() -> None:
    import ast

    from bot.channels.rest import RestInput

    tree = ast.parse(LOCUSTFILE.read_text(encoding="utf-8"))
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    routes = [route.uri for route in RestInput().blueprint(lambda message: None)._future_routes]
    assert constants["REST_WEBHOOK"] == f"/webhooks/{RestInput.name()}/webhook"
    assert "/webhook" in routes
    assert constants["TRACKER"] == "/conversations/{sender}/tracker"
    source = LOCUSTFILE.read_text(encoding="utf-8")
    assert '"BACKCARE_API_TOKEN"' in source and '{"token": self.api_token}' in source
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert {"locust", "bench.conversations"} <= imported


# --- the baseline, served by stock Rasa ----------------------------------------------------------


def test_the_baseline_is_served_by_rasa_run_with_rasas_channels_and_store(tmp_path: Path) -> None:
    from rasa.core import run as rasa_run
    from rasa.core.channels.rest import RestInput
    from rasa.core.channels.socketio import SocketIOInput
    from rasa.core.tracker_store import SQLTrackerStore, _create_from_endpoint_config
    from rasa.utils.endpoints import read_endpoint_config

    from bench.system import stock_rasa_command
    from support.backcare import settings_on_free_ports

    settings = settings_on_free_ports("stock-token")
    store_file = tmp_path / "baseline-conversations.db"
    environment = {"BACKCARE_TRACKER_STORE_URL": f"sqlite:///{store_file}"}
    command = stock_rasa_command(settings, tmp_path / "model.tar.gz", tmp_path, environment)

    assert command[1:4] == ["-m", "rasa", "run"]
    credentials = Path(command[command.index("--credentials") + 1])
    endpoints = Path(command[command.index("--endpoints") + 1])
    channels = rasa_run.create_http_input_channels(None, str(credentials))
    assert {type(channel) for channel in channels} == {RestInput, SocketIOInput}
    socketio = next(channel for channel in channels if isinstance(channel, SocketIOInput))
    assert (socketio.user_message_evt, socketio.bot_message_evt) == ("user_uttered", "bot_uttered")

    store = _create_from_endpoint_config(read_endpoint_config(str(endpoints), "tracker_store"))
    assert type(store) is SQLTrackerStore  # Rasa's own class, not BackCare's
    assert Path(store.engine.url.database) == store_file

    action_endpoint = read_endpoint_config(str(endpoints), "action_endpoint")
    assert action_endpoint is not None
    assert action_endpoint.url == settings.action_endpoint
    assert action_endpoint.headers["X-BackCare-Action-Token"]


def test_the_stock_baseline_refuses_a_store_it_cannot_be_given(tmp_path: Path) -> None:
    from bench.system import stock_rasa_command
    from support.backcare import settings_on_free_ports

    settings = settings_on_free_ports("stock-token")
    with pytest.raises(ValueError, match="SQLite"):
        stock_rasa_command(
            settings, tmp_path / "model.tar.gz", tmp_path, {"BACKCARE_TRACKER_STORE_URL": "postgresql://x/y"}
        )


def test_concurrent_throughput_counts_the_turns_answered_while_every_client_was_at_work() -> None:
    from bench.common import all_in_flight_rate

    # Two clients from t=0: the first is done at 2 s; the turns after it are the second's alone.
    assert all_in_flight_rate(0.0, [0.5, 1.0, 1.5, 2.0, 3.0, 4.0], [2.0, 4.0]) == 4 / 2.0
    assert all_in_flight_rate(10.0, [11.0, 12.0], [12.0]) == 2 / 2.0  # one client: the whole phase
    assert all_in_flight_rate(0.0, [], []) == 0.0
