"""The Rasa overrides are written for one Rasa release, and the package says what each one is."""

from __future__ import annotations

import asyncio
import json
import pkgutil
import re
from importlib.metadata import version
from typing import Any, Dict, List, Optional, Tuple

import pytest

from bot import paths, rasa_overrides
from support.ports import free_port
from support.rasa_cli_check import assert_installed_by_rasa_cli


def test_the_installed_rasa_is_the_release_the_overrides_were_written_for() -> None:
    """Fails on a Rasa upgrade: re-read every override against the new Rasa source first."""
    assert version("rasa") == rasa_overrides.WRITTEN_FOR_RASA
    rasa_overrides.check_rasa_version()


def test_another_rasa_release_is_refused_by_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rasa_overrides, "version", lambda _name: "3.7.0")
    with pytest.raises(rasa_overrides.UnsupportedRasaVersion, match="3.7.0"):
        rasa_overrides.check_rasa_version()


def table_rows() -> dict[str, str]:
    """Override name -> its row of the table in the package docstring."""
    doc = rasa_overrides.__doc__ or ""
    return {
        match.group(1): match.group(0) for match in re.finditer(r"^\| `(\w+)` \|.*\|$", doc, re.MULTILINE)
    }


def test_every_override_module_has_a_row_with_why_upstream_and_when_to_remove() -> None:
    modules = {info.name for info in pkgutil.iter_modules(rasa_overrides.__path__)}
    rows = table_rows()
    assert modules == set(rows), "a module without a row, or a row without a module"
    for name, row in rows.items():
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert len(cells) == 5 and all(cells), f"{name}: every column of its row must be filled"


def test_rasa_is_pointed_at_the_overrides_by_their_current_names() -> None:
    """The configuration files name classes that exist (a moved class would fail only at start-up)."""
    named = re.findall(
        r"bot\.rasa_overrides\.[\w.]+",
        "".join(path.read_text() for path in (paths.CONFIG_FILE, paths.ENDPOINTS_FILE))
        + (paths.PROJECT_ROOT / "bot" / "stores.py").read_text(),
    )
    assert named
    for dotted in named:
        module_name, _, attribute = dotted.rpartition(".")
        module = __import__(module_name, fromlist=[attribute])
        assert hasattr(module, attribute), dotted


# --------------------------------------------------------------------------- #
# action_server_trouble: a clear reply when the action server cannot be reached
# --------------------------------------------------------------------------- #

TROUBLE = "utter_technical_trouble"


@pytest.fixture(scope="module")
def domain() -> Any:
    from rasa.shared.core.domain import Domain

    return Domain.load(paths.DOMAIN_FILE)


@pytest.fixture
def trouble_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both wraps in place for one test, Rasa's own methods back afterwards."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.processor import MessageProcessor

    from bot.rasa_overrides import action_server_trouble

    monkeypatch.setattr(RemoteAction, "run", action_server_trouble.remote_run)
    monkeypatch.setattr(MessageProcessor, "_run_action", action_server_trouble.run_action)


def run_turn(domain: Any, action_name: str, tracker: Any = None) -> Tuple[bool, Any, List[Dict[str, Any]]]:
    """Runs one action as Rasa's processor does, with the action server at a port nobody listens on.

    Returns whether Rasa would predict another action, the tracker and what the person was sent.
    """
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.core.policies.policy import PolicyPrediction
    from rasa.core.processor import MessageProcessor
    from rasa.utils.endpoints import EndpointConfig

    processor = MessageProcessor.__new__(MessageProcessor)  # no model: `_run_action` needs the domain only
    processor.domain = domain
    processor.action_endpoint = EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook")
    tracker = tracker or tracker_after_user_message(domain)
    channel = CollectingOutputChannel()
    action = processor._get_action(action_name)
    prediction = PolicyPrediction.for_action_name(domain, action_name)
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    again = asyncio.run(processor._run_action(action, tracker, channel, nlg, prediction))
    return again, tracker, channel.messages


def tracker_after_user_message(domain: Any, *events: Any) -> Any:
    from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    return DialogueStateTracker.from_events(
        "someone",
        [
            ActionExecuted("action_session_start"),
            SessionStarted(),
            ActionExecuted("action_listen"),
            *events,
            UserUttered("my back hurts", intent={"name": "report_pain", "confidence": 1.0}),
        ],
        slots=domain.slots,
    )


def after_the_user(tracker: Any) -> List[Tuple[str, Optional[str]]]:
    """(event type, action name or bot text) of every event after the latest user message."""
    events = list(tracker.events)
    last_user = max(i for i, event in enumerate(events) if event.type_name == "user")
    return [
        (event.type_name, getattr(event, "action_name", None) or getattr(event, "text", None))
        for event in events[last_user + 1 :]
    ]


def trouble_text(domain: Any) -> str:
    return domain.responses[TROUBLE][0]["text"]


def respond_with(monkeypatch: pytest.MonkeyPatch, outcome: Any) -> None:
    """The action server's answer to every call: an exception to raise or a JSON body."""
    from rasa.utils.endpoints import EndpointConfig

    async def request(self: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    monkeypatch.setattr(EndpointConfig, "request", request)


def test_unreachable_action_server_gets_the_trouble_reply_and_the_turn_ends(
    domain: Any, trouble_installed: None
) -> None:
    """A refused connection, for real: the person is told, the bot listens, the message stays."""
    again, tracker, sent = run_turn(domain, "action_triage")
    assert [message["text"] for message in sent] == [trouble_text(domain)]
    assert again is False  # nothing else is tried against the absent server
    assert after_the_user(tracker) == [
        ("action", "action_triage"),  # as stock Rasa records a failed action: without its events
        ("action", TROUBLE),
        ("bot", trouble_text(domain)),
        ("action", "action_listen"),
    ]
    assert [event.text for event in tracker.events if event.type_name == "user"] == ["my back hurts"]


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_is_trouble_too(
    domain: Any, trouble_installed: None, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    from rasa.utils.endpoints import ClientResponseError

    respond_with(monkeypatch, ClientResponseError(status, "error", '{"error": "internal error"}'))
    again, _, sent = run_turn(domain, "action_next_step")
    assert [message["text"] for message in sent] == [trouble_text(domain)] and again is False


def test_a_timeout_is_trouble_too(
    domain: Any, trouble_installed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    respond_with(monkeypatch, asyncio.TimeoutError())
    again, _, sent = run_turn(domain, "action_next_step")
    assert [message["text"] for message in sent] == [trouble_text(domain)] and again is False


def test_a_form_whose_validation_cannot_be_reached_stays_active(domain: Any, trouble_installed: None) -> None:
    """The form asked for the duration and its validation fails: the form waits for the answer again."""
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet

    tracker = tracker_after_user_message(
        domain,
        ActionExecuted("assessment_form"),
        ActiveLoop("assessment_form"),
        SlotSet("requested_slot", "pain_duration_weeks"),
        ActionExecuted("action_listen"),
    )
    again, tracker, sent = run_turn(domain, "assessment_form", tracker)
    assert [message["text"] for message in sent] == [trouble_text(domain)] and again is False
    assert tracker.active_loop_name == "assessment_form"
    assert tracker.get_slot("requested_slot") == "pain_duration_weeks"
    assert tracker.latest_action_name == "action_listen"  # the next answer is validated as usual


@pytest.mark.parametrize("status", [400, 401, 404])
def test_answers_that_are_not_the_server_being_away_keep_rasas_behaviour(
    domain: Any, trouble_installed: None, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    from rasa.utils.endpoints import ClientResponseError

    body = json.dumps({"error": "action rejected", "action_name": "action_triage"})
    respond_with(monkeypatch, ClientResponseError(status, "refused", body))
    again, tracker, sent = run_turn(domain, "action_triage")
    assert sent == [] and again is True  # stock Rasa: silence, and the policies choose again
    if status == 400:
        assert after_the_user(tracker) == [("action_execution_rejected", "action_triage")]


def test_a_working_action_server_is_untouched(
    domain: Any, trouble_installed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    respond_with(monkeypatch, {"events": [], "responses": [{"text": "Step 1 of 3"}]})
    again, tracker, sent = run_turn(domain, "action_next_step")
    assert [message["text"] for message in sent] == ["Step 1 of 3"] and again is True
    assert after_the_user(tracker) == [("action", "action_next_step"), ("bot", "Step 1 of 3")]


def test_an_unreachable_session_start_is_replaced_by_rasas_own(domain: Any, trouble_installed: None) -> None:
    """The session starts before the message is handled: it starts as Rasa's would, and says nothing."""
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker.from_events("someone", [], slots=domain.slots)
    again, tracker, sent = run_turn(domain, "action_session_start", tracker)
    assert sent == [] and again is False
    assert [(event.type_name, getattr(event, "action_name", None)) for event in tracker.events] == [
        ("action", "action_session_start"),  # ours, failed
        ("action", "action_session_start"),  # Rasa's
        ("session_started", None),
        ("action", "action_listen"),
    ]


def test_the_trouble_reply_is_in_the_domain_with_a_safety_net(domain: Any) -> None:
    """Red-flag advice is a custom action too: while the server is away the reply names emergency numbers."""
    text = trouble_text(domain)
    assert "try again" in text and "nothing you told me is lost" in text
    assert "emergency number" in text and "112" in text


def test_both_wraps_are_installed_by_the_command_that_starts_the_rasa_server() -> None:
    assert_installed_by_rasa_cli(
        "from rasa.core.actions.action import RemoteAction\n"
        "from rasa.core.processor import MessageProcessor\n"
        "from bot.rasa_overrides import action_server_trouble as t",
        "RemoteAction.run is not t.remote_run",
        "RemoteAction.run is t.remote_run and MessageProcessor._run_action is t.run_action",
    )
