"""The states of a conversation's past turns, replayed once per tracker and brought up to date.

Each policy turns the tracker into the list of its past states
(`Domain.states_for_tracker_history`): the tracker's events are replayed and
the state before every action is read. For one prediction MemoizationPolicy
asks once and RulePolicy twice after a user message (text first, then
intent), and a turn makes a prediction after every action it runs, each
replaying all the events again: 10% of the Rasa server's time under the
benchmark's load (bench/profile.md).

Here a tracker's replay is kept with what both kinds of states are built
from: the state before each action, whether the turn is hidden from stories,
and the action before it, plus the replayed tracker itself. Asked again with
the same events (same domain, same `omit_unset_slots`), it is reused; asked
after events were added (the turn's next prediction), only those are replayed,
unless one of them changes which earlier events Rasa applies (a restart, a
new session, an undo, a loop's name or its execution): then everything is
replayed, as Rasa does. Rule states (`ignore_rule_only_turns=False`) and story
states (`True`, with the caller's `rule_only_data`) are built from the kept
turns exactly as Rasa's method builds them, and every caller gets state
dictionaries of its own (the featurizers delete keys from them). A replay is
dropped with its tracker.
"""

from __future__ import annotations

import itertools
import weakref
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Set, Text

from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

stock_states_for_tracker_history = Domain.states_for_tracker_history


@dataclass(frozen=True)
class PriorTurn:
    """What the tracker looked like before one of its actions (or at its end)."""

    state: State
    hidden_from_stories: bool
    # A follow-up action or a loop's own step keeps the previous turn's hiding.
    keeps_hiding: bool
    previous_action: Optional[Dict[Text, Any]]


@dataclass
class Replay:
    """One tracker's prior turns, with what tells whether the tracker has changed since."""

    tracker: weakref.ReferenceType[DialogueStateTracker]
    events: Any
    event_count: int
    last_event: Optional[Event]
    domain: Domain
    omit_unset_slots: bool
    loop_names: Set[Text]
    # The turn before each action replayed so far, and the tracker replayed to the last event.
    before_actions: List[PriorTurn]
    replayed: DialogueStateTracker

    def is_for(self, tracker: DialogueStateTracker, domain: Domain, omit_unset_slots: bool) -> bool:
        """Whether this replay is of `tracker` as it stands, or of it before its latest events."""
        events = tracker.events
        return (
            self.tracker() is tracker
            and self.events is events
            and self.event_count <= len(events)
            and self.last_event is (events[self.event_count - 1] if self.event_count else None)
            and self.domain is domain
            and self.omit_unset_slots == omit_unset_slots
        )

    def extend(self, new_events: List[Event]) -> bool:
        """Replays events added since; False where they change which earlier events apply."""
        if any(changes_earlier_events(event, self.loop_names) for event in new_events):
            return False
        for event in new_events:
            replay_event(self, event)
        self.event_count += len(new_events)
        self.last_event = new_events[-1]
        return True

    def turns(self) -> List[PriorTurn]:
        """The turn before each action, then the tracker as it stands (as Rasa's replay yields them)."""
        return [*self.before_actions, prior_turn(self.replayed, False, self.domain, self.omit_unset_slots)]


def changes_earlier_events(event: Event, loop_names: Set[Text]) -> bool:
    """Whether Rasa's `applied_events` would, on this event, drop or change the meaning of earlier ones."""
    if isinstance(event, (Restarted, SessionStarted, ActionReverted, UserUtteranceReverted)):
        return True
    if isinstance(event, ActiveLoop):
        return event.name is not None  # a new loop name changes how its earlier executions count
    return isinstance(event, ActionExecuted) and event.action_name in loop_names


def prior_turn(prior: DialogueStateTracker, hide_rule_turn: bool, domain: Domain, omit: bool) -> PriorTurn:
    return PriorTurn(
        state=domain.get_active_state(prior, omit_unset_slots=omit),
        hidden_from_stories=hide_rule_turn,
        keeps_hiding=bool(prior.followup_action) or prior.latest_action_name == prior.active_loop_name,
        previous_action=Domain._get_prev_action_sub_state(prior),
    )


def replay_event(kept: Replay, event: Event) -> None:
    # Rasa's `generate_all_prior_trackers`: the state before each action, then the event applied.
    if isinstance(event, ActionExecuted):
        kept.before_actions.append(
            prior_turn(kept.replayed, event.hide_rule_turn, kept.domain, kept.omit_unset_slots)
        )
    kept.replayed.update(event)


# One replay per tracker alive (a turn's tracker lives for the turn); the bound is a safeguard.
KEPT_TRACKERS = 256
_kept: Dict[int, Replay] = {}


def forget(key: int, kept: Dict[int, Replay]) -> Callable[[Any], None]:
    def drop(_: Any) -> None:
        kept.pop(key, None)

    return drop


def replay(tracker: DialogueStateTracker, domain: Domain, omit_unset_slots: bool) -> List[PriorTurn]:
    """The prior turns of `tracker`: kept from the last call for it, brought up to date, or replayed now."""
    events = tracker.events
    kept = _kept.get(id(tracker))
    if kept is not None and kept.is_for(tracker, domain, omit_unset_slots):
        added = list(itertools.islice(events, kept.event_count, None))
        if not added or kept.extend(added):
            return kept.turns()
    if len(_kept) >= KEPT_TRACKERS:
        _kept.clear()
    kept = _kept[id(tracker)] = Replay(
        tracker=weakref.ref(tracker, forget(id(tracker), _kept)),
        events=events,
        event_count=len(events),
        last_event=events[-1] if events else None,
        domain=domain,
        omit_unset_slots=omit_unset_slots,
        loop_names={event.name for event in events if isinstance(event, ActiveLoop) and event.name},
        before_actions=[],
        replayed=tracker.init_copy(),
    )
    for event in tracker.applied_events():
        replay_event(kept, event)
    return kept.turns()


def own_copy(state: State) -> State:
    """A state whose dictionaries are new (their values are strings and tuples)."""
    return {part: dict(sub_state) for part, sub_state in state.items()}


def states_for_tracker_history(
    self: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: Optional[Dict[Text, Any]] = None,
) -> List[State]:
    """Drop-in for `Domain.states_for_tracker_history`, built from one kept replay."""
    turns = replay(tracker, self, omit_unset_slots)
    if not ignore_rule_only_turns:
        return [self._clean_state(own_copy(turn.state)) for turn in turns]
    # Rasa's loop for the states stories are learnt from, on the kept turns.
    states: List[State] = []
    last_ml_action_sub_state: Optional[Dict[Text, Any]] = None
    turn_was_hidden = False
    for turn in turns:
        if not turn_was_hidden:
            last_ml_action_sub_state = turn.previous_action
        if not turn.keeps_hiding:
            turn_was_hidden = turn.hidden_from_stories
        if turn_was_hidden:
            continue
        state = own_copy(turn.state)
        self._remove_rule_only_features(state, rule_only_data)
        if states:
            self._substitute_rule_only_user_input(state, states[-1])
        if last_ml_action_sub_state:
            state[PREVIOUS_ACTION] = dict(last_ml_action_sub_state)
        states.append(self._clean_state(state))
    return states


def install() -> None:
    """Makes every policy's past states come from the kept replay (idempotent)."""
    Domain.states_for_tracker_history = states_for_tracker_history  # type: ignore[method-assign]
