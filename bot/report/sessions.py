"""The stream of stored events cut into conversations (Rasa sessions), one at a time.

Rasa's markers cut a tracker the same way: at each `action_session_start`.
Events of a conversation id before its first session start in the stream
belong to a session that began before the range was read, and are skipped.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Optional

from bot.report.definitions import SESSION_START_ACTION
from bot.report.facts import ConversationFacts, FactsBuilder
from bot.report.store import StoredEvent


def conversations(events: Iterable[StoredEvent]) -> Iterator[ConversationFacts]:
    """The facts of each conversation in `events` (ordered by conversation id, then in order)."""
    builder: Optional[FactsBuilder] = None
    current: Optional[str] = None
    chat = -1
    for event in events:
        if event.conversation_id != current:
            if builder is not None:
                yield builder.facts()
            builder, current = None, event.conversation_id
            chat += 1
        if event.kind == "action" and event.name == SESSION_START_ACTION:
            if builder is not None:
                yield builder.facts()
            builder = FactsBuilder(started_at=event.timestamp, chat=chat)
        if builder is not None:
            builder.add(event)
    if builder is not None:
        yield builder.facts()
