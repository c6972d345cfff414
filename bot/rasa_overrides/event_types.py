"""Finds an event's class by its type name in a table built once.

Rasa's `Event.resolve_by_type` walks every subclass of `Event` (recursively,
asking `inspect.isabstract` of each) for every event it reads back: loading a
conversation of 3,000 events from the tracker store spent a fifth of the
server's time in that walk. The table maps each type name to the class the
walk finds first; a name it does not hold (a subclass imported after it was
built, "topic", a typo) rebuilds it and otherwise gets exactly Rasa's answer:
None for the old "topic" events, the default, or Rasa's ValueError.
"""

from __future__ import annotations

from typing import Dict, Optional, Text, Type

from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

stock_resolve_by_type = Event.resolve_by_type

_classes: Dict[Text, Type[Event]] = {}


def event_classes() -> Dict[Text, Type[Event]]:
    """Each type name with the class Rasa's walk over the subclasses returns for it."""
    table: Dict[Text, Type[Event]] = {}
    for event_class in all_subclasses(Event):
        table.setdefault(event_class.type_name, event_class)
    return table


def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    """Drop-in for `Event.resolve_by_type`."""
    event_class = _classes.get(type_name)
    if event_class is None:
        _classes.clear()
        _classes.update(event_classes())
        event_class = _classes.get(type_name)
    if event_class is None:
        return stock_resolve_by_type(type_name, default)
    return event_class


def install() -> None:
    """Makes every event lookup by type name use the table (idempotent)."""
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign]
