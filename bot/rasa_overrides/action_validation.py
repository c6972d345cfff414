"""Validates action server responses with a validator compiled once.

Rasa's `RemoteAction` checks every action server response with
`jsonschema.validate(response, schema)`. That helper first re-validates the
schema itself against the JSON Schema meta-schema, on every call; profiling
the Rasa server under load (see bench/profile.md) put 39% of its CPU time
there. The schema is a constant, so it is checked once and a compiled
validator is reused: the same responses pass and the same errors are raised,
with Rasa's own hint appended to the message.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text

from jsonschema import ValidationError, validators
from jsonschema.protocols import Validator
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def response_validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Drop-in for `RemoteAction._validate_action_result`."""
    try:
        response_validator().validate(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> None:
    """Makes every `RemoteAction` use the compiled validator (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
