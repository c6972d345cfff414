"""RulePolicy's rule filter that stops at the longest rule finds the rules Rasa's full filter finds.

RulePolicy is trained on the project's stories and rules; every story and
rule is then replayed turn by turn and, at each turn, the rules (and the
rules for a loop's unhappy path) that fit the conversation are looked up both
ways.
"""

from __future__ import annotations

from typing import Any, Dict, List

import pytest
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_overrides import rule_lookup
from support.rasa_cli_check import assert_installed_by_rasa_cli
from tests.components.project_stories import project_trackers


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> RulePolicy:
    domain, trackers = project_trackers()
    trained = RulePolicy(
        {**RulePolicy.get_default_config(), "restrict_rules": False, "check_for_contradictions": False},
        LocalModelStorage(tmp_path_factory.mktemp("rules")),
        Resource("rules"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    trained.train(trackers, domain)
    return trained


Asked = Dict[str, int]


def compare_turn_by_turn(policy: RulePolicy, events: List[Any], asked: Asked) -> int:
    """Replays `events`, looking the rules up both ways at every step; how many steps found some."""
    domain, _ = project_trackers()
    lookups = [policy.lookup[RULES], policy.lookup[RULES_FOR_LOOP_UNHAPPY_PATH]]
    assert len(lookups[0]) > 100 and lookups[1]
    found = 0
    tracker = DialogueStateTracker("someone", domain.slots)
    for event in events:
        tracker.update(event, domain)
        for use_text in (True, False):
            states = policy._prediction_states(tracker, domain, use_text, policy._get_rule_only_data())
            for lookup in lookups:
                asked["now"] = "stock"
                expected = rule_lookup.stock_get_possible_keys(policy, lookup, states)
                asked["now"] = "ours"
                assert rule_lookup.get_possible_keys(policy, lookup, states) == expected
                found += bool(expected)
    return found


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> Asked:
    """How often each way asks whether a rule applies at a turn."""
    counts: Asked = {"stock": 0, "ours": 0, "now": "stock"}  # type: ignore[dict-item]
    applicable = RulePolicy._is_rule_applicable

    def counted(self: RulePolicy, key: str, turn: int, state: Any) -> bool:
        counts[counts["now"]] += 1  # type: ignore[index]
        return applicable(self, key, turn, state)

    monkeypatch.setattr(RulePolicy, "_is_rule_applicable", counted)
    return counts


def test_every_turn_of_every_story_and_rule_finds_the_rules_rasa_finds(
    policy: RulePolicy, asked: Asked
) -> None:
    _, trackers = project_trackers()
    assert sum(compare_turn_by_turn(policy, list(story.events), asked) for story in trackers) > 500
    assert asked["ours"] <= asked["stock"]


def test_a_long_conversation_finds_them_with_a_fraction_of_the_questions(
    policy: RulePolicy, asked: Asked
) -> None:
    """The project's stories one after the other, as one person might go through them in one session."""
    _, trackers = project_trackers()
    conversation = [event for story in trackers if not story.is_rule_tracker for event in story.events]
    assert len(conversation) > 200
    assert compare_turn_by_turn(policy, conversation, asked) > 100
    assert asked["ours"] < asked["stock"] / 3, asked


def test_installed_by_the_command_that_starts_the_rasa_server() -> None:
    assert_installed_by_rasa_cli(
        "from rasa.core.policies.rule_policy import RulePolicy\nfrom bot.rasa_overrides import rule_lookup",
        "RulePolicy._get_possible_keys is not rule_lookup.get_possible_keys",
        "RulePolicy._get_possible_keys is rule_lookup.get_possible_keys",
    )


def test_another_lookup_or_a_state_that_cannot_be_kept_is_filtered_afresh(policy: RulePolicy) -> None:
    domain, trackers = project_trackers()
    story = max(
        (story for story in trackers if not story.is_rule_tracker), key=lambda story: len(story.events)
    )
    states = policy._prediction_states(story, domain, False, policy._get_rule_only_data())
    everything = dict(policy.lookup[RULES])
    found = rule_lookup.get_possible_keys(policy, everything, states)
    assert found == rule_lookup.stock_get_possible_keys(policy, everything, states) and found
    # A lookup without the rules found: none of them may come back from what was kept.
    fewer = {key: action for key, action in everything.items() if key not in found}
    assert rule_lookup.get_possible_keys(policy, fewer, states) == rule_lookup.stock_get_possible_keys(
        policy, fewer, states
    )
    assert not rule_lookup.get_possible_keys(policy, fewer, states) & found
    # A list where the states hold tuples: not kept, still answered.
    odd = [*states[:-1], {**states[-1], "slots": {"pain_level": [1.0]}}]
    assert rule_lookup.hashable(odd[-1]) is None
    assert rule_lookup.get_possible_keys(policy, everything, odd) == rule_lookup.stock_get_possible_keys(
        policy, everything, odd
    )
