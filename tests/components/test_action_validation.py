"""Action server responses are checked by a compiled validator, as strictly as Rasa's."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
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
