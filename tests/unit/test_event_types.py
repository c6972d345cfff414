"""The event-class table returns what Rasa's walk over the subclasses returns."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

from bot.rasa_overrides import event_types


def test_every_type_name_resolves_to_the_class_rasas_walk_finds() -> None:
    names = set(event_types.event_classes())
    assert {"user", "action", "slot", "session_started"} <= names
    for name in names:
        assert event_types.resolve_by_type(name) is event_types.stock_resolve_by_type(name)


def test_names_outside_the_table_get_rasas_answers() -> None:
    assert event_types.resolve_by_type("topic") is None
    assert event_types.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        event_types.resolve_by_type("no_such_event")


def test_a_subclass_imported_after_the_table_was_built_is_found() -> None:
    event_types.resolve_by_type("user")

    class LateEvent(SlotSet):
        type_name = "late_event_for_the_table_test"

    assert event_types.resolve_by_type("late_event_for_the_table_test") is LateEvent


def test_installed_events_read_back_as_before() -> None:
    stored = [
        UserUttered("my back hurts", {"name": "report_pain", "confidence": 0.9}).as_dict(),
        ActionExecuted("utter_greet").as_dict(),
        SlotSet("language", "de").as_dict(),
    ]
    expected = [Event.from_parameters(parameters) for parameters in stored]
    event_types.install()
    try:
        assert [Event.from_parameters(parameters) for parameters in stored] == expected
        assert Event.resolve_by_type("slot") is SlotSet
    finally:
        Event.resolve_by_type = staticmethod(event_types.stock_resolve_by_type)  # type: ignore[method-assign,assignment]
