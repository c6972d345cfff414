"""RulePolicy finds the rules that fit a conversation without asking all of them every time.

`RulePolicy._get_possible_keys` filters the learnt rules (190 in BackCare)
against the conversation, from its latest state back to its first, asking
`_is_rule_applicable` of every rule still in the set at every turn: 4% of the
Rasa server's time under load. Two things make most of those questions
unnecessary, and the set returned is the set Rasa's loop returns:

- Which rules fit the latest state depends on that state alone, and the same
  states come back again and again (the same intent after the same action
  with the same slots): the answer for the latest state is kept per state.
- A rule of n states can only fail on the conversation's last n turns (Rasa's
  `_is_rule_applicable` answers True for any earlier turn without looking),
  so the filter stops at the first turn older than the longest rule left.

Among several fitting rules RulePolicy takes the longest key, and between
keys of equal length the first in the set's order, which depends on
Python's per-process string hashing in Rasa as here.
"""

from __future__ import annotations

from typing import Dict, FrozenSet, Hashable, List, Optional, Set, Text, Tuple

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.domain import State

stock_get_possible_keys = RulePolicy._get_possible_keys

# Latest states remembered per lookup; a conversation's slots make the states many, not unbounded.
KEPT_STATES = 4096
_fitting: Dict[int, Tuple[Dict[Text, Text], Dict[Hashable, FrozenSet[Text]]]] = {}


def rule_length(rule_key: Text) -> int:
    """How many states the rule compares (its key is the JSON list of them)."""
    return len(RulePolicy._rule_key_to_state(rule_key))


def hashable(state: State) -> Optional[Hashable]:
    """The state as nested sorted tuples (its values are strings and tuples), None if it cannot be."""
    try:
        frozen = tuple(sorted((part, tuple(sorted(sub_state.items()))) for part, sub_state in state.items()))
        hash(frozen)
    except TypeError:
        return None
    return frozen


def rules_fitting_latest_state(policy: RulePolicy, lookup: Dict[Text, Text], state: State) -> Set[Text]:
    key = hashable(state)
    kept = _fitting.get(id(lookup))
    if kept is None or kept[0] is not lookup:
        kept = _fitting[id(lookup)] = (lookup, {})
    answers = kept[1]
    if key is None or key not in answers:
        fitting = frozenset(rule for rule in lookup if policy._is_rule_applicable(rule, 0, state))
        if key is None:
            return set(fitting)
        if len(answers) >= KEPT_STATES:
            answers.clear()
        answers[key] = fitting
    return set(answers[key])


def get_possible_keys(self: RulePolicy, lookup: Dict[Text, Text], states: List[State]) -> Set[Text]:
    """Drop-in for `RulePolicy._get_possible_keys`."""
    if not states:
        return set(lookup.keys())
    possible_keys = rules_fitting_latest_state(self, lookup, states[-1])
    for turn_index in range(1, len(states)):
        if turn_index >= max(map(rule_length, possible_keys), default=0):
            break  # every rule left is applicable at this turn and all earlier ones
        state = states[-1 - turn_index]
        possible_keys = {key for key in possible_keys if self._is_rule_applicable(key, turn_index, state)}
    return possible_keys


def install() -> None:
    """Makes RulePolicy use the lookup above (idempotent)."""
    RulePolicy._get_possible_keys = get_possible_keys  # type: ignore[method-assign]
