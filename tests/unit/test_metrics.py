"""The Prometheus metrics: recorded, rendered, bounded, and read from the events Rasa saves.

Metrics live in this process's default registry, as in the servers, so each
test compares a sample before and after what it does.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Dict, List, Optional

import pytest
import yaml
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from sanic.response import HTTPResponse

from bot import action_server, paths
from bot.channels.metrics import MetricsInput
from bot.clinical import Triage
from bot.observability import conversation_events, metrics
from bot.observability.endpoint import metrics_response, metrics_token
from bot.rasa_overrides.tracker_store import BackCareSQLTrackerStore
from bot.settings import Settings

DOMAIN = Domain.load(str(paths.DOMAIN_FILE))
SENDER = "metrics-person-4711"
WORDS = "numbness between my legs since this morning"  # stands for anything a person says


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


class Delta:
    """Samples before, to compare with after."""

    def __init__(self, *series: tuple) -> None:
        self.series = series
        self.before = [sample(name, **labels) for name, labels in series]

    def changes(self) -> List[float]:
        return [
            sample(name, **labels) - old for (name, labels), old in zip(self.series, self.before, strict=True)
        ]


def rendered() -> str:
    body, content_type = metrics.render()
    assert content_type == CONTENT_TYPE_LATEST
    return body.decode()


# --------------------------------------------------------------------------- #
# Recording and rendering
# --------------------------------------------------------------------------- #


def test_every_metric_is_backcare_prefixed_and_rendered() -> None:
    text = rendered()
    families = {
        "backcare_turns_total",
        "backcare_turn_seconds",
        "backcare_triage_outcomes_total",
        "backcare_warning_signs_total",
        "backcare_fallbacks_total",
        "backcare_action_errors_total",
        "backcare_telegram_deliveries_total",
        "backcare_lock_wait_seconds",
    }
    declared = set(re.findall(r"^# TYPE (backcare_\w+) \w+$", text, re.MULTILINE))
    assert families == declared
    # Known label values exist from the start, so rates work from the first scrape.
    for channel in metrics.CHANNELS:
        assert f'backcare_turns_total{{channel="{channel}"}}' in text
    for outcome in metrics.TELEGRAM_OUTCOMES:
        assert f'backcare_telegram_deliveries_total{{outcome="{outcome}"}}' in text


def test_a_turn_counts_and_is_timed_per_channel() -> None:
    delta = Delta(
        ("backcare_turns_total", {"channel": "rest"}),
        ("backcare_turn_seconds_count", {"channel": "rest"}),
        ("backcare_turn_seconds_sum", {"channel": "rest"}),
        ("backcare_turn_seconds_bucket", {"channel": "rest", "le": "0.5"}),
        ("backcare_turns_total", {"channel": "telegram"}),
    )
    metrics.observe_turn("rest", 0.3)
    metrics.observe_turn("telegram", 12.0)
    turns, count, total, fast, telegram = delta.changes()
    assert (turns, count, fast, telegram) == (1, 1, 1, 1)
    assert total == pytest.approx(0.3)


def test_timed_turn_measures_also_a_turn_that_fails() -> None:
    delta = Delta(("backcare_turn_seconds_count", {"channel": "socketio"}))
    with pytest.raises(RuntimeError), metrics.timed_turn("socketio"):
        raise RuntimeError("the processor failed")
    assert delta.changes() == [1]


def test_telegram_deliveries_and_lock_waits() -> None:
    delta = Delta(
        ("backcare_telegram_deliveries_total", {"outcome": "sent"}),
        ("backcare_telegram_deliveries_total", {"outcome": "retried"}),
        ("backcare_telegram_deliveries_total", {"outcome": "failed"}),
        ("backcare_lock_wait_seconds_count", {}),
        ("backcare_lock_wait_seconds_bucket", {"le": "0.01"}),
    )
    for outcome in ("sent", "sent", "retried", "failed"):
        metrics.record_telegram_delivery(outcome)
    metrics.observe_lock_wait(0.002)
    metrics.observe_lock_wait(3.0)
    assert delta.changes() == [2, 1, 1, 2, 1]


@pytest.mark.parametrize(
    ("record", "metric", "label"),
    [
        (metrics.observe_turn, "backcare_turns_total", "channel"),
        (metrics.record_telegram_delivery, "backcare_telegram_deliveries_total", "outcome"),
        (metrics.record_triage_outcome, "backcare_triage_outcomes_total", "stage"),
        (metrics.record_warning_sign, "backcare_warning_signs_total", "code"),
        (metrics.record_action_error, "backcare_action_errors_total", "action"),
    ],
)
def test_a_label_value_outside_its_set_is_counted_as_other(record, metric: str, label: str) -> None:
    delta = Delta((metric, {label: "other"}))
    arguments = (WORDS, 0.1) if record is metrics.observe_turn else (WORDS,)
    record(*arguments)
    record(*((SENDER, 0.1) if record is metrics.observe_turn else (SENDER,)))
    assert delta.changes() == [2]
    text = rendered()
    assert WORDS not in text and SENDER not in text


def test_label_sets_match_the_domain_and_the_warning_sign_table() -> None:
    domain = yaml.safe_load(paths.DOMAIN_FILE.read_text())
    assert set(metrics.STAGES) == set(domain["slots"]["triage"]["values"]) == {t.value for t in Triage}
    table = yaml.safe_load((paths.PROJECT_ROOT / "data" / "red_flags.yml").read_text())
    for sign in table["signs"]:
        assert metrics.warning_sign_label(sign["code"]) == sign["code"]
        assert metrics.warning_sign_label(f"unsure_{sign['code']}") == f"unsure_{sign['code']}"
    assert metrics.warning_sign_label("nerve_signs") == "nerve_signs"  # a screening group
    for unknown in ("made_up_sign", "unsure_made_up", "Saddle Numbness", "", None, ["fever"]):
        assert metrics.warning_sign_label(unknown) == "other"


def test_action_errors_name_only_registered_actions() -> None:
    metrics.set_known_actions(["action_triage"])
    try:
        delta = Delta(
            ("backcare_action_errors_total", {"action": "action_triage"}),
            ("backcare_action_errors_total", {"action": "other"}),
        )
        metrics.record_action_error("action_triage")
        metrics.record_action_error("action_never_registered")
        metrics.record_action_error(None)
        assert delta.changes() == [1, 2]
    finally:
        metrics.set_known_actions([])


def test_the_action_server_counts_an_action_that_raised() -> None:
    metrics.set_known_actions(["action_triage"])
    try:
        delta = Delta(("backcare_action_errors_total", {"action": "action_triage"}))
        call = SimpleNamespace(
            path="/webhook",
            body=b'{"next_action": "action_triage", "sender_id": "x"}',
            headers={"content-type": "application/json"},
        )
        answer = action_server.answer_exception(call, RuntimeError(WORDS))
        assert answer.status == 500 and WORDS.encode() not in answer.body
        health = SimpleNamespace(path="/health", body=b"", headers={})
        action_server.answer_exception(health, RuntimeError("not an action"))
        assert delta.changes() == [1]
    finally:
        metrics.set_known_actions([])


# --------------------------------------------------------------------------- #
# The endpoint's token
# --------------------------------------------------------------------------- #


def test_the_metrics_token_is_its_own_else_the_api_token() -> None:
    assert metrics_token(Settings(api_token="api", metrics_token="scrape")) == "scrape"
    assert metrics_token(Settings(api_token="api")) == "api"
    assert metrics_token(Settings()) == ""


def scrape(headers: Optional[Dict[str, str]] = None, token: Optional[str] = None) -> HTTPResponse:
    """The answer to a scrape with these headers or `?token=` (the request as Sanic gives it)."""
    request = SimpleNamespace(headers=headers or {}, args={"token": token} if token else {})
    return metrics_response(request, Settings(api_token="api-token", metrics_token="scrape-token"))


def test_the_endpoint_wants_the_token() -> None:
    assert scrape().status == 401
    assert scrape({"Authorization": "Bearer wrong"}).status == 401
    assert scrape({"Authorization": "Bearer api-token"}).status == 401  # its own token is set
    answer = scrape({"Authorization": "Bearer scrape-token"})
    assert answer.status == 200
    assert answer.content_type == CONTENT_TYPE_LATEST
    assert b"backcare_turns_total" in answer.body
    assert scrape(token="scrape-token").status == 200
    assert MetricsInput.name() == "metrics"  # GET /webhooks/metrics/ on the Rasa server


# --------------------------------------------------------------------------- #
# What the tracker store sees
# --------------------------------------------------------------------------- #

OUTCOMES = (
    ("backcare_triage_outcomes_total", {"stage": "acute"}),
    ("backcare_triage_outcomes_total", {"stage": "urgent"}),
    ("backcare_warning_signs_total", {"code": "saddle_numbness"}),
    ("backcare_warning_signs_total", {"code": "fever"}),
    ("backcare_warning_signs_total", {"code": "other"}),
    ("backcare_fallbacks_total", {}),
)


def said(text: str, intent: str) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 0.9})


def session_start(remembered: Optional[List[str]] = None) -> List[Event]:
    """What `action_session_start` logs, with the warning signs it remembers (made in this order:
    the store finds the session by the timestamp of `SessionStarted`)."""
    events: List[Event] = [ActionExecuted("action_session_start"), SessionStarted()]
    if remembered:
        events += [SlotSet("red_flags", remembered), SlotSet("triage", "urgent")]
    return [*events, ActionExecuted("action_listen")]


@pytest.fixture
def store(tmp_path: Path) -> BackCareSQLTrackerStore:
    return BackCareSQLTrackerStore(domain=DOMAIN, host=f"sqlite:///{tmp_path / 'conversations.db'}")


async def turn(store: BackCareSQLTrackerStore, sender: str, events: List[Event]) -> None:
    """One turn as Rasa has it: retrieve (or create), append the turn's events, save."""
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    for event in events:
        tracker.update(event, DOMAIN)
    await store.save(tracker)


def test_saved_events_count_stages_warning_signs_and_fallbacks(store: BackCareSQLTrackerStore) -> None:
    delta = Delta(*OUTCOMES)
    turns = [
        [
            *session_start(),
            said("my back hurts, 6/10 since two days", "report_pain"),
            ActionExecuted("action_triage"),
            SlotSet("triage", "acute"),
            ActionExecuted("action_listen"),
        ],
        # Not understood: the NLU fallback and the action it leads to count once.
        [
            said("qwertz", "nlu_fallback"),
            ActionExecuted("action_default_fallback"),
            ActionExecuted("action_listen"),
        ],
        # Not understood by the dialogue policy.
        [said("hm", "affirm"), ActionExecuted("action_default_fallback"), ActionExecuted("action_listen")],
        # The same stage again (a corrected answer) is no new outcome.
        [said("more like a 5", "report_pain"), ActionExecuted("action_triage"), SlotSet("triage", "acute")],
        # A warning sign: the stage becomes urgent; a second sign adds only itself.
        [
            said(WORDS, "report_red_flag"),
            ActionExecuted("action_warning_sign"),
            SlotSet("red_flags", ["saddle_numbness"]),
            SlotSet("triage", "urgent"),
            ActionExecuted("action_listen"),
            said("and a fever", "report_red_flag"),
            ActionExecuted("action_warning_sign"),
            SlotSet("red_flags", ["saddle_numbness", "fever", "something_else"]),
            SlotSet("triage", "urgent"),
            ActionExecuted("action_listen"),
        ],
    ]
    for events in turns:
        asyncio.run(turn(store, SENDER, events))
    assert delta.changes() == [1, 1, 1, 1, 1, 2]

    # Saving again without new events, or in another process, counts nothing.
    again = Delta(*OUTCOMES)
    asyncio.run(turn(store, SENDER, []))
    asyncio.run(
        turn(BackCareSQLTrackerStore(domain=DOMAIN, host=store.engine.url.render_as_string()), SENDER, [])
    )
    assert again.changes() == [0] * len(OUTCOMES)

    text = rendered()
    assert WORDS not in text and SENDER not in text and "something_else" not in text


def test_remembered_warning_signs_of_a_new_session_are_not_new(store: BackCareSQLTrackerStore) -> None:
    asyncio.run(
        turn(
            store,
            SENDER,
            [
                *session_start(),
                said(WORDS, "report_red_flag"),
                ActionExecuted("action_warning_sign"),
                SlotSet("red_flags", ["saddle_numbness"]),
                SlotSet("triage", "urgent"),
                ActionExecuted("action_listen"),
            ],
        )
    )
    delta = Delta(*OUTCOMES)
    asyncio.run(turn(store, SENDER, session_start(remembered=["saddle_numbness"])))
    # The person then reports the remembered sign again (not new) and a fever (new).
    asyncio.run(
        turn(
            store,
            SENDER,
            [
                said("fever too", "report_red_flag"),
                ActionExecuted("action_warning_sign"),
                SlotSet("red_flags", ["saddle_numbness", "fever"]),
                SlotSet("triage", "urgent"),
            ],
        )
    )
    assert delta.changes() == [0, 0, 0, 1, 0, 0]


def test_a_restart_starts_the_stage_and_signs_afresh() -> None:
    delta = Delta(*OUTCOMES)
    earlier: List[Event] = [
        ActionExecuted("action_triage"),
        SlotSet("triage", "acute"),
        SlotSet("red_flags", ["fever"]),
    ]
    new: List[Event] = [
        Restarted(),
        *session_start(),
        said("hi", "greet"),
        ActionExecuted("action_triage"),
        SlotSet("triage", "acute"),
        SlotSet("red_flags", ["fever"]),
    ]
    conversation_events.observe_saved_events([*earlier, *new], len(new))
    assert delta.changes() == [1, 0, 0, 1, 0, 0]


def test_observing_never_breaks_a_save(
    monkeypatch: pytest.MonkeyPatch, store: BackCareSQLTrackerStore
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("metrics are down")

    monkeypatch.setattr(conversation_events, "count_new_events", broken)
    asyncio.run(turn(store, SENDER, [*session_start(), said("hello", "greet")]))
    tracker = asyncio.run(store.retrieve(SENDER))
    assert tracker is not None and tracker.latest_message.text == "hello"
