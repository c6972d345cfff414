"""Past states from one kept replay are exactly the states Rasa's own method builds.

Every story and rule of the project is replayed event by event into one
growing tracker (the way a conversation grows between predictions), and at
every step the states are asked for as the policies ask: stories' states
(with and without rule-only data, as MemoizationPolicy asks), rules' states
twice (as RulePolicy asks after a user message), with and without unset slots.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional, Set, Tuple

import pytest
from rasa.shared.core.constants import (
    ACTION_LISTEN_NAME,
    ACTIVE_LOOP,
    LOOP_NAME,
    RULE_ONLY_LOOPS,
    RULE_ONLY_SLOTS,
    SLOTS,
    USER,
)
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_overrides import past_states
from support.rasa_cli_check import assert_installed_by_rasa_cli
from tests.components.project_stories import project_trackers

stock = past_states.stock_states_for_tracker_history
Story = Tuple[bool, List[Any]]


@pytest.fixture(scope="module")
def project() -> Tuple[Domain, List[Story]]:
    domain, trackers = project_trackers()
    stories = [(tracker.is_rule_tracker, list(tracker.events)) for tracker in trackers]
    # In a conversation, the turns RulePolicy predicted from rule-only data are
    # marked hidden from stories (`hide_rule_turn`); the rules as they would be
    # played, for the states that skip those turns.
    played = [(True, [hidden(event) for event in events]) for is_rule, events in stories if is_rule]
    return domain, stories + played


def hidden(event: Any) -> Any:
    if not isinstance(event, ActionExecuted) or event.action_name == ACTION_LISTEN_NAME:
        return event
    return ActionExecuted(
        event.action_name,
        event.policy,
        event.confidence,
        event.timestamp,
        event.metadata,
        action_text=event.action_text,
        hide_rule_turn=True,
    )


def rule_only_data(domain: Domain, stories: List[Story]) -> Dict[str, List[str]]:
    """Slots and loops that appear in rules only, found as RulePolicy finds them."""
    found: Dict[bool, Tuple[Set[str], Set[str]]] = {True: (set(), set()), False: (set(), set())}
    for is_rule, events in stories:
        slots, loops = found[is_rule]
        for state in stock(domain, DialogueStateTracker.from_events("s", events, domain.slots)):
            slots.update(state.get(SLOTS, {}))
            loops.update([state[ACTIVE_LOOP][LOOP_NAME]] if state.get(ACTIVE_LOOP) else [])
    (rule_slots, rule_loops), (story_slots, story_loops) = found[True], found[False]
    return {
        RULE_ONLY_SLOTS: sorted(rule_slots - story_slots),
        RULE_ONLY_LOOPS: sorted(rule_loops - story_loops),
    }


def growing(domain: Domain, events: List[Any]) -> Iterator[DialogueStateTracker]:
    """One tracker, yielded after each of `events` is added to it."""
    tracker = DialogueStateTracker("someone", domain.slots)
    for event in events:
        tracker.update(event, domain)
        yield tracker


def asked_as_the_policies_ask(
    domain: Domain, tracker: DialogueStateTracker, rule_only: Optional[Dict[str, Any]], omit_unset_slots: bool
) -> List[List[State]]:
    return [
        domain.states_for_tracker_history(
            tracker, omit_unset_slots, ignore_rule_only_turns=True, rule_only_data=rule_only
        ),
        domain.states_for_tracker_history(tracker, omit_unset_slots),
        domain.states_for_tracker_history(tracker, omit_unset_slots),
    ]


def stocks(
    domain: Domain, tracker: DialogueStateTracker, rule_only: Optional[Dict[str, Any]], omit_unset_slots: bool
) -> List[List[State]]:
    return [
        stock(domain, tracker, omit_unset_slots, ignore_rule_only_turns=True, rule_only_data=rule_only),
        stock(domain, tracker, omit_unset_slots),
        stock(domain, tracker, omit_unset_slots),
    ]


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Domain, "states_for_tracker_history", stock)
    monkeypatch.setattr(past_states, "_kept", {})
    past_states.install()


@pytest.mark.usefixtures("installed")
def test_every_story_and_rule_step_by_step_gives_rasas_states(project: Tuple[Domain, List[Story]]) -> None:
    domain, stories = project
    rule_only = rule_only_data(domain, stories)
    assert rule_only[RULE_ONLY_SLOTS] or rule_only[RULE_ONLY_LOOPS], (
        "the project has rule-only data to remove"
    )
    assert any(is_rule for is_rule, _ in stories) and any(not is_rule for is_rule, _ in stories)
    compared = hidden = 0
    for _, events in stories:
        hidden += any(isinstance(event, ActionExecuted) and event.hide_rule_turn for event in events)
        # Each way of asking on its own growing tracker, so that the kept replay is brought up to date.
        for data, omit in ((rule_only, False), (None, False), (rule_only, True)):
            for tracker in growing(domain, events):
                assert asked_as_the_policies_ask(domain, tracker, data, omit) == stocks(
                    domain, tracker, data, omit
                )
                compared += 1
    assert hidden, "some rule turns are hidden from stories, so the story states skip turns"
    assert compared > 1000


@pytest.mark.usefixtures("installed")
def test_a_tracker_is_replayed_once_and_then_only_its_new_events(
    project: Tuple[Domain, List[Story]], monkeypatch: pytest.MonkeyPatch
) -> None:
    domain, stories = project
    replays: List[int] = []
    applied = DialogueStateTracker.applied_events

    def counted(tracker: DialogueStateTracker) -> Any:
        replays.append(len(tracker.events))
        return applied(tracker)

    monkeypatch.setattr(DialogueStateTracker, "applied_events", counted)
    events = max((events for is_rule, events in stories if not is_rule), key=len)
    tracker = DialogueStateTracker.from_events("someone", events, domain.slots)
    n = len(events)
    asked_as_the_policies_ask(domain, tracker, None, False)
    assert replays == [n]  # three questions, one replay
    # The turn goes on: an action and a slot, replayed on top of what was kept.
    tracker.update(ActionExecuted("utter_greet"))
    tracker.update(SlotSet("language", "de"))
    ours = asked_as_the_policies_ask(domain, tracker, None, False)
    assert replays == [n]
    assert ours == stocks(domain, tracker, None, False)
    replays.clear()
    # Other slot handling, a restart, another tracker, another domain: replayed again.
    asked_as_the_policies_ask(domain, tracker, None, True)
    tracker.update(Restarted())
    asked_as_the_policies_ask(domain, tracker, None, True)
    copy = tracker.copy()
    asked_as_the_policies_ask(domain, copy, None, True)
    asked_as_the_policies_ask(Domain.from_dict(domain.as_dict()), copy, None, True)
    assert [count - n for count in replays] == [2, 3, 3, 3]


def test_a_replay_is_dropped_with_its_tracker(project: Tuple[Domain, List[Story]]) -> None:
    domain, stories = project
    past_states.install()
    tracker = DialogueStateTracker.from_events("someone", stories[0][1], domain.slots)
    domain.states_for_tracker_history(tracker)
    assert id(tracker) in past_states._kept
    key = id(tracker)
    del tracker
    assert key not in past_states._kept


@pytest.mark.usefixtures("installed")
def test_a_long_conversation_with_undos_and_restarts_gives_rasas_states(
    project: Tuple[Domain, List[Story]],
) -> None:
    """The stories one after another, with what makes Rasa drop earlier events between them."""
    domain, stories = project
    rule_only = rule_only_data(domain, stories)
    between = [UserUtteranceReverted(), ActionReverted(), ActiveLoop(None), SessionStarted(), Restarted()]
    conversation: List[Any] = []
    for index, (_, events) in enumerate(story for story in stories if not story[0]):
        conversation.extend(events)
        conversation.append(between[index % len(between)])
    assert len(conversation) > 200
    for data, omit in ((rule_only, False), (None, True)):
        for tracker in growing(domain, conversation):
            assert asked_as_the_policies_ask(domain, tracker, data, omit) == stocks(
                domain, tracker, data, omit
            )


@pytest.mark.usefixtures("installed")
def test_a_caller_that_changes_its_states_does_not_change_the_next_callers(
    project: Tuple[Domain, List[Story]],
) -> None:
    domain, stories = project
    events = next(events for is_rule, events in stories if not is_rule and len(events) > 8)
    tracker = DialogueStateTracker.from_events("someone", events, domain.slots)
    expected = stock(domain, tracker)
    # What the featurizers do to the states they are given: drop the text or the intent.
    for state in domain.states_for_tracker_history(tracker):
        state.get(USER, {}).pop("text", None)
        state.get(USER, {}).pop("intent", None)
        state.pop(SLOTS, None)
    assert domain.states_for_tracker_history(tracker) == expected


def test_installed_by_the_command_that_starts_the_rasa_server() -> None:
    assert_installed_by_rasa_cli(
        "from rasa.shared.core.domain import Domain\nfrom bot.rasa_overrides import past_states",
        "Domain.states_for_tracker_history is not past_states.states_for_tracker_history",
        "Domain.states_for_tracker_history is past_states.states_for_tracker_history",
    )
