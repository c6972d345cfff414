"""The figures of the report: conversation facts added up, nothing kept per conversation."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from bot.report import definitions as d
from bot.report.facts import ConversationFacts

NOT_FINISHED, NO_ASSESSMENT = "assessment_unfinished", "no_assessment"
# Every conversation has one outcome: its last stage, or how far it got without one.
OUTCOMES: Tuple[str, ...] = (*d.STAGES, NOT_FINISHED, NO_ASSESSMENT)
OUTCOME_LABELS: Dict[str, str] = {
    "urgent": "Urgent (warning sign)",
    "acute": "Acute",
    "subacute": "Subacute",
    "recovery": "Recovery",
    "chronic": "Chronic",
    NOT_FINISHED: "Assessment not finished",
    NO_ASSESSMENT: "No assessment",
}
# Messages per conversation, grouped for the table: (lowest, highest or None).
TURN_BANDS: Tuple[Tuple[int, Optional[int]], ...] = ((1, 1), (2, 5), (6, 10), (11, 20), (21, 50), (51, None))


def outcome(facts: ConversationFacts) -> str:
    if facts.stage:
        return facts.stage if facts.stage in d.STAGES else NOT_FINISHED
    return NOT_FINISHED if d.ASSESSMENT_STARTED in facts.markers else NO_ASSESSMENT


@dataclass(frozen=True)
class FunnelStep:
    marker: str
    label: str
    reached: int  # conversations that got at least this far
    stopped: int  # conversations whose furthest step this was


@dataclass
class Totals:
    conversations: int = 0
    silent_sessions: int = 0  # sessions in which the person wrote nothing (an unanswered reminder)
    chats: int = 0  # conversation ids with at least one conversation
    user_turns: int = 0
    fallback_turns: int = 0
    exercises_started: int = 0
    exercises_completed: int = 0
    it_hurts: int = 0
    new_referrals: int = 0
    turns: Counter[int] = field(default_factory=Counter)  # messages per conversation -> conversations
    markers: Counter[str] = field(default_factory=Counter)  # marker -> conversations where it applied
    furthest: Counter[int] = field(default_factory=Counter)  # funnel index -> conversations
    outcomes: Counter[str] = field(default_factory=Counter)
    urgencies: Counter[str] = field(default_factory=Counter)  # of the urgent referrals
    new_signs: Counter[str] = field(default_factory=Counter)  # sign code -> conversations
    remembered_signs: Counter[str] = field(default_factory=Counter)
    _last_chat: Optional[int] = None

    def add(self, facts: ConversationFacts) -> None:
        if facts.user_turns == 0:
            self.silent_sessions += 1
            return
        self.conversations += 1
        if facts.chat != self._last_chat:
            self.chats += 1
            self._last_chat = facts.chat
        self.user_turns += facts.user_turns
        self.fallback_turns += facts.fallback_turns
        self.turns[facts.user_turns] += 1
        self.markers.update(facts.markers)
        furthest = facts.furthest_step()
        if furthest is not None:
            self.furthest[furthest] += 1
        self.outcomes[outcome(facts)] += 1
        if d.URGENT_REFERRAL in facts.markers:
            self.urgencies[facts.urgency or "unknown"] += 1
            self.new_referrals += int(facts.new_referral)
            self.new_signs.update(facts.new_signs)
            self.remembered_signs.update(facts.remembered_signs - facts.new_signs)
        self.exercises_started += facts.exercises_started
        self.exercises_completed += facts.exercises_completed
        self.it_hurts += facts.it_hurts

    def conversations_with(self, marker: str) -> int:
        return int(self.markers[marker])

    def funnel(self) -> List[FunnelStep]:
        steps = []
        for index, marker in enumerate(d.FUNNEL):
            reached = sum(count for step, count in self.furthest.items() if step >= index)
            steps.append(FunnelStep(marker, d.MARKERS[marker].label, reached, int(self.furthest[index])))
        return steps

    def turn_bands(self) -> List[Tuple[str, int]]:
        bands = []
        for low, high in TURN_BANDS:
            count = sum(
                n for turns, n in self.turns.items() if turns >= low and (high is None or turns <= high)
            )
            label = (
                str(low) if low == high else f"{low}-{high}" if high is not None else f"more than {low - 1}"
            )
            bands.append((label, count))
        return bands

    def turn_percentile(self, fraction: float) -> int:
        """The number of messages that `fraction` of conversations do not exceed (nearest rank)."""
        if not self.conversations:
            return 0
        rank = max(1, math.ceil(fraction * self.conversations - 1e-9))
        seen = 0
        for turns in sorted(self.turns):
            seen += self.turns[turns]
            if seen >= rank:
                return int(turns)
        return int(max(self.turns))

    def signs(self) -> List[str]:
        """Every sign code referred for, most frequent first."""
        both = self.new_signs + self.remembered_signs
        return [code for code, _ in sorted(both.items(), key=lambda item: (-item[1], item[0]))]
