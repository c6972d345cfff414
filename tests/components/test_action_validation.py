"""Action server responses are checked by a compiled validator, as strictly as Rasa's."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, Iterator, List

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    AgentUttered,
    AllSlotsReset,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    DefinePrevUserUtteredFeaturization,
    EntitiesAdded,
    Event,
    FollowupAction,
    LoopInterrupted,
    ReminderCancelled,
    ReminderScheduled,
    Restarted,
    SessionStarted,
    SlotSet,
    StoryExported,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_overrides import action_validation
from support.rasa_cli_check import assert_installed_by_rasa_cli

VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "pain_level", "value": 7}], "responses": [{"text": "hi"}]},
    {
        "events": [{"event": "active_loop", "name": None}],
        "responses": [{"response": "utter_greet", "buttons": []}],
    },
    {},
]
INVALID = [
    {"events": "not a list"},
    {"events": [{"name": "x"}]},  # an event without its type
    {"events": [], "responses": {"text": "not a list"}},
    {"events": [{"event": "slot", "name": 5}]},  # slot names are strings
]


@pytest.fixture(scope="module")
def action() -> RemoteAction:
    action_validation.install()
    return RemoteAction("action_triage", EndpointConfig("http://127.0.0.1:9/webhook"))


@pytest.mark.parametrize("response", VALID)
def test_accepts_what_rasas_schema_accepts(action: RemoteAction, response: dict) -> None:
    jsonschema.validate(response, RemoteAction.action_response_format_spec())
    assert action._validate_action_result(response) is True


@pytest.mark.parametrize("response", INVALID)
def test_rejects_what_rasas_schema_rejects_with_rasas_hint(action: RemoteAction, response: dict) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(response, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result(response)


def test_installed_by_the_command_that_starts_the_rasa_server() -> None:
    """In a fresh interpreter, as the Rasa server starts: `bot.rasa_cli` installs it before Rasa runs."""
    assert_installed_by_rasa_cli(
        "from rasa.core.actions.action import RemoteAction\nfrom bot.rasa_overrides import action_validation",
        "RemoteAction._validate_action_result is not action_validation.validate_action_result",
        "RemoteAction._validate_action_result is action_validation.validate_action_result",
    )


def test_the_schema_is_compiled_once() -> None:
    assert action_validation.response_validator() is action_validation.response_validator()


def rasas_events() -> List[Dict[str, Any]]:
    """One event of every type an action server can return, as Rasa writes them."""
    when = datetime(2026, 12, 1, 9, 30)
    parse_data = {
        "text": "my back hurts",
        "intent": {"name": "report_pain", "confidence": 0.9},
        "intent_ranking": [{"name": "report_pain", "confidence": 0.9}],
        "entities": [{"entity": "exercise", "value": "cat_cow", "start": 0, "end": 2}],
        "response_selector": {"all_retrieval_intents": ["faq"]},
    }
    events: List[Event] = [
        UserUttered("my back hurts", parse_data["intent"], parse_data["entities"], parse_data),
        ActionExecuted("utter_greet", policy="RulePolicy", confidence=1.0),
        SlotSet("pain_level", 7),
        EntitiesAdded([{"entity": "exercise", "value": "cat_cow"}]),
        DefinePrevUserUtteredFeaturization(False),
        ReminderCancelled(name="check_in"),
        ReminderScheduled("EXTERNAL_check_in", when, name="check_in"),
        ActionExecutionRejected("assessment_form"),
        LoopInterrupted(True),
        ActiveLoop("assessment_form"),
        ActiveLoop(None),
        AllSlotsReset(),
        ConversationResumed(),
        ConversationPaused(),
        FollowupAction("utter_ask_rephrase"),
        StoryExported(),
        Restarted(),
        UserUtteranceReverted(),
        ActionReverted(),
        BotUttered("Hello", {"buttons": [{"title": "Yes", "payload": "/affirm"}]}),
        SessionStarted(),
        AgentUttered("Hello"),
    ]
    return [event.as_dict() for event in events]


def variants(event: Dict[str, Any]) -> Iterator[Dict[str, Any]]:
    """`event` as written, with each field missing or of another type, and as another or no type."""
    yield event
    for key in event:
        yield {name: value for name, value in event.items() if name != key}
        for other in (5, 0.5, "text", None, True, [], {}, [{"entity": 1}]):
            yield {**event, key: other}
    for other_type in ("user", "action", "slot", "entities", "bot", "form", "nonsense", ""):
        yield {**event, "event": other_type}


def test_decides_every_event_as_rasas_schema_decides() -> None:
    schema = RemoteAction.action_response_format_spec()
    rasas = jsonschema.validators.validator_for(schema)(schema)
    ours = action_validation.response_validator()
    decided = {True: 0, False: 0}
    for event in rasas_events():
        for variant in variants(event):
            response = {"events": [variant], "responses": []}
            expected = rasas.is_valid(response)
            assert ours.is_valid(response) is expected, variant
            decided[expected] += 1
    assert decided[True] > 200 and decided[False] > 200, decided
