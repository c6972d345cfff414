"""What one conversation did, built event by event: the markers that applied, the stage, the signs.

A conversation is one Rasa session: from `action_session_start` to the next
(after `session_expiration_time` of silence, or a restart), the unit Rasa's
markers are evaluated on. Nothing of what the person wrote is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, FrozenSet, List, Optional, Set

from bot.report import definitions as d
from bot.report.store import StoredEvent


@dataclass(frozen=True)
class ConversationFacts:
    started_at: float  # epoch seconds of its action_session_start
    chat: int  # which conversation id it belongs to, numbered in reading order
    user_turns: int  # messages from the person (not those a reminder triggered)
    fallback_turns: int  # of them, those the bot did not understand
    markers: FrozenSet[str]  # the markers (definitions.MARKERS) that applied at least once
    stage: Optional[str]  # the last stage set (definitions.STAGES)
    new_signs: FrozenSet[str]  # warning-sign codes raised in this conversation
    remembered_signs: FrozenSet[str]  # codes brought back from an earlier conversation
    urgency: Optional[str]  # the most urgent referral given (definitions.URGENCIES)
    new_referral: bool  # urgent advice for a sign raised in this conversation, not only remembered ones
    exercises_started: int
    exercises_completed: int
    it_hurts: int  # "it hurts" while an exercise was under way

    @property
    def signs(self) -> FrozenSet[str]:
        return self.new_signs | self.remembered_signs

    def furthest_step(self) -> Optional[int]:
        """The index in definitions.FUNNEL of the furthest assessment step, if it started."""
        if d.ASSESSMENT_STARTED not in self.markers:
            return None
        return max(index for index, marker in enumerate(d.FUNNEL) if marker in self.markers)


@dataclass
class FactsBuilder:
    """Takes a conversation's events in order; `facts()` says what it did."""

    started_at: float
    chat: int
    user_turns: int = 0
    fallback_turns: int = 0
    markers: Set[str] = field(default_factory=set)
    stage: Optional[str] = None
    new_signs: Set[str] = field(default_factory=set)
    remembered_signs: Set[str] = field(default_factory=set)
    urgencies: Set[str] = field(default_factory=set)
    exercises_started: int = 0
    exercises_completed: int = 0
    it_hurts: int = 0
    _last_action: Optional[str] = None
    _exercise_under_way: bool = False
    _turn_fell_back: bool = True  # no turn yet: nothing to count

    def add(self, event: StoredEvent) -> None:
        if event.kind == "user":
            self._user(event.intent or "")
        elif event.kind == "action" and event.name:
            self._action(event.name)
        elif event.kind == "slot" and event.name:
            self._slot(event.name, event.value)

    def _user(self, intent: str) -> None:
        if intent.startswith(d.EXTERNAL_INTENT_PREFIX):
            return
        self.user_turns += 1
        self._turn_fell_back = False
        if intent == d.NLU_FALLBACK_INTENT:
            self._fell_back()

    def _fell_back(self) -> None:
        self.markers.add(d.FALLBACK)
        if not self._turn_fell_back:
            self.fallback_turns += 1
            self._turn_fell_back = True

    def _action(self, name: str) -> None:
        self._last_action = name
        if name == d.ASSESSMENT_FORM:
            self.markers.add(d.ASSESSMENT_STARTED)
        elif name == d.CORE_FALLBACK_ACTION:
            self._fell_back()
        elif name == d.IT_HURTS_ACTION and self._exercise_under_way:
            self.it_hurts += 1
            self.markers.add(d.IT_HURTS)

    def _slot(self, name: str, value: Any) -> None:
        if name == d.CURRENT_EXERCISE_SLOT:
            self._exercise_under_way = value is not None
        if value is None:
            return
        if name in d.SLOT_MARKERS:
            self.markers.add(d.SLOT_MARKERS[name])
        from_earlier = self._last_action == d.SESSION_START_ACTION
        if name == d.STAGE_SLOT:
            self.stage = str(value)
        elif name == d.RED_FLAGS_SLOT and isinstance(value, list):
            codes = {str(code) for code in value}
            if from_earlier:
                self.remembered_signs |= codes
            else:
                self.new_signs |= codes - self.remembered_signs
        elif name == d.URGENCY_SLOT:
            self.urgencies.add(str(value))
        elif name == d.CURRENT_EXERCISE_SLOT:
            self.exercises_started += 1
        elif name == d.EXERCISES_DONE_SLOT and self._last_action == d.NEXT_STEP_ACTION:
            # Only the last step's "next" adds the exercise to exercises_done.
            self.exercises_completed += 1
            self.markers.add(d.EXERCISE_COMPLETED)

    def facts(self) -> ConversationFacts:
        # The most urgent first; a value the domain does not know last.
        ranked: List[str] = sorted(
            self.urgencies, key=lambda u: (d.URGENCIES.index(u) if u in d.URGENCIES else len(d.URGENCIES), u)
        )
        return ConversationFacts(
            started_at=self.started_at,
            chat=self.chat,
            user_turns=self.user_turns,
            fallback_turns=self.fallback_turns,
            markers=frozenset(self.markers),
            stage=self.stage,
            new_signs=frozenset(self.new_signs),
            remembered_signs=frozenset(self.remembered_signs),
            urgency=ranked[0] if ranked else None,
            # Advice repeated for remembered signs only (at session start, or at triage) is not new.
            new_referral=bool(self.urgencies and self.new_signs),
            exercises_started=self.exercises_started,
            exercises_completed=self.exercises_completed,
            it_hurts=self.it_hurts,
        )
