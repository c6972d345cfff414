"""The recent part of a long conversation session: what a turn needs of it.

Rasa loads every event of the session for each turn and replays it; policies
build a state for every past action, the tracker is copied for every action,
and the action server is sent the whole history. All of that grows with the
session: turn 300 of one conversation took ten times as long as turn 1.

What a turn reads of the past is bounded: the slots, the latest user
messages and actions (`MemoizationPolicy` looks at `max_history` = 5 states, the
longest rule at fewer), and the actions look back to the user message before
the latest at most (`actions/conversation.py`). So a conversation is kept as

- a *checkpoint*: `SlotSet` events that give every slot the value it had at
  the cut (only slots that differ from their initial value), and
- its *tail*: the stored events from the cut on, exactly as stored.

The cut is always placed at an `action_listen` with no form active and no
follow-up action pending, with at least `KEEP_EVENTS` events after it, and
moved on only once the tail has grown to `CUT_AT_EVENTS` (so the work of
moving it is spread over many turns). Replaying checkpoint + tail gives the
slots, latest message, latest action and loop state of the whole session; the
policies' states differ only for the first actions of the tail, far outside
what they read. The tests play long sessions through this store and Rasa's
own side by side, and ask the trained policies, for every action of a long
conversation, what they predict from the whole session.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence, Text, Tuple

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker

# Some forty events are about four turns: more than any rule or memoized story reads.
KEEP_EVENTS = 60
CUT_AT_EVENTS = 120


@dataclass
class RecentConversation:
    """One conversation's latest session as the store holds it, with its history cut."""

    rows: int  # rows of this conversation in the store, all sessions
    last_id: int  # the highest row id of this conversation
    checkpoint: List[Dict[Text, Any]] = field(default_factory=list)  # SlotSets at the cut, as dicts
    tail: List[Text] = field(default_factory=list)  # stored events from the cut on, as stored (JSON)

    def append(self, rows: Iterable[Tuple[Text, Text]]) -> None:
        """Stored (type name, data) rows that follow the tail; a new session starts the tail afresh.

        As Rasa's query, which reads the events from the latest `session_started` on.
        """
        for type_name, data in rows:
            if type_name == SessionStarted.type_name:
                self.checkpoint, self.tail = [], []
            self.tail.append(data)

    def events(self) -> List[Dict[Text, Any]]:
        return [*self.checkpoint, *(json.loads(data) for data in self.tail)]

    def tracker(self, sender_id: Text, slots: Iterable[Slot]) -> DialogueStateTracker:
        return DialogueStateTracker.from_dict(sender_id, self.events(), slots)

    def cut_if_long(self, sender_id: Text, slots: Sequence[Slot]) -> None:
        """Moves the cut forward once the tail has reached `CUT_AT_EVENTS` events."""
        if len(self.tail) < CUT_AT_EVENTS:
            return
        cut = checkpoint_at_latest_cut(sender_id, self.checkpoint, self.tail, slots)
        if cut is not None:
            index, self.checkpoint = cut
            self.tail = self.tail[index:]


def checkpoint_at_latest_cut(
    sender_id: Text,
    checkpoint: List[Dict[Text, Any]],
    tail: Sequence[Text],
    slots: Sequence[Slot],
    keep: int = KEEP_EVENTS,
) -> Optional[Tuple[int, List[Dict[Text, Any]]]]:
    """(index into `tail`, the checkpoint there) for the latest safe cut leaving `keep` events, or None."""
    tracker = DialogueStateTracker.from_dict(sender_id, checkpoint, slots)
    best: Optional[Tuple[int, List[Dict[Text, Any]]]] = None
    for index, data in enumerate(tail):
        if len(tail) - index < keep:
            break
        event = Event.from_parameters(json.loads(data))
        if event is None:
            continue
        if is_safe_cut(tracker, event):
            best = (index, checkpoint_of(tracker, event.timestamp))
        tracker.update(event)
    return best


def is_safe_cut(tracker: DialogueStateTracker, next_event: Event) -> bool:
    """Whether the history can be cut just before `next_event`, given the state before it."""
    return (
        isinstance(next_event, ActionExecuted)
        and next_event.action_name == ACTION_LISTEN_NAME
        and tracker.latest_action_name not in (None, ACTION_LISTEN_NAME)
        and tracker.active_loop_name is None
        and tracker.followup_action is None
        and not tracker.is_paused()
    )


def checkpoint_of(tracker: DialogueStateTracker, timestamp: float) -> List[Dict[Text, Any]]:
    """`SlotSet` events (as dicts) that give a fresh tracker the slot values of `tracker`."""
    return [
        SlotSet(name, _copied(slot.value), timestamp=timestamp).as_dict()
        for name, slot in tracker.slots.items()
        if slot.value != slot.initial_value
    ]


def _copied(value: Any) -> Any:
    # Slot values are JSON (they are stored as such); the checkpoint must not share them.
    return json.loads(json.dumps(value))
