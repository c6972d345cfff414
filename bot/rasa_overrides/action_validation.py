"""Validates action server responses with a validator compiled once.

Rasa's `RemoteAction` checks every action server response with
`jsonschema.validate(response, schema)`. That helper first re-validates the
schema itself against the JSON Schema meta-schema, on every call; profiling
the Rasa server under load (see bench/profile.md) put 39% of its CPU time
there. The schema is a constant, so it is checked once and a compiled
validator is reused: the same responses pass and the same errors are raised,
with Rasa's own hint appended to the message.

Each event of a response must match exactly one of some twenty event schemas
(`oneOf`), and jsonschema tries every one of them for every event, even after
one has matched: 4% of the server's time under load. Every one of those
schemas fixes the event's type (`"event": {"const": ...}`), so a schema for
another type cannot match; here only the schemas of the event's own type are
tried, with jsonschema's own `oneOf`. Any other `oneOf`, or an event without a
type, is checked against all of its schemas as before.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Iterator, List, Optional, Text

from jsonschema import ValidationError, _validators, validators
from jsonschema.protocols import Validator
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


def event_type_constant(subschema: Dict[Text, Any]) -> Optional[Text]:
    """The event type a schema requires (`properties.event.const`), if it requires one."""
    constant = subschema.get("properties", {}).get("event", {}).get("const")
    return constant if isinstance(constant, str) else None


def one_of_by_event_type(
    validator: Validator, one_of: List[Dict[Text, Any]], instance: Any, schema: Dict[Text, Any]
) -> Iterator[ValidationError]:
    """jsonschema's `oneOf`, given only the schemas that can match the event's type."""
    types = [event_type_constant(subschema) for subschema in one_of]
    event_type = instance.get("event") if isinstance(instance, dict) else None
    if isinstance(event_type, str) and None not in types:
        # The others fail on their `const`: no match among them, nothing to add to "more than one".
        one_of = [
            subschema for subschema, required in zip(one_of, types, strict=True) if required == event_type
        ]
    yield from _validators.oneOf(validator, one_of, instance, schema)


@lru_cache(maxsize=1)
def response_validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validators.extend(validator_class, {"oneOf": one_of_by_event_type})(schema)


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
