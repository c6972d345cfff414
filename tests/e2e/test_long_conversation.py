"""A long conversation is answered as stock Rasa would answer it with the whole session.

BackCare hands each turn only the recent history of a session (the slots at a
cut and the events after it: `bot/rasa_overrides/recent_history.py`). Here one
conversation of 200 turns (assessments, exercise steps, self-care questions,
a switch to German and back) is held over REST; then the trained policies
are asked, for every action the bot took, what they predict from the whole
session up to that point, as stock Rasa reads it. Every prediction must be
the action that was taken.
"""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

from rasa.core.agent import Agent
from rasa.shared.core.events import ActionExecuted, Event, LoopInterrupted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bench.long_conversation import long_script
from bot.rasa_overrides.recent_history import CUT_AT_EVENTS
from support.client import BackCareClient
from support.model import trained_model

ASIDES = [
    "is walking good for it?",
    "auf Deutsch bitte",
    "weiter",
    "danke",
    "English please",
    "should i use heat or ice?",
    "thanks",
]


def script(turns: int) -> List[str]:
    """The benchmark's long conversation with an aside every 25 turns."""
    messages: List[str] = []
    for number, text in enumerate(long_script(turns - turns // 25), start=1):
        messages.append(text)
        if number % 24 == 0:
            messages.append(ASIDES[(number // 24) % len(ASIDES)])
    return messages


def session_events(tracker: Dict[str, Any]) -> List[Event]:
    events = [Event.from_parameters(data) for data in tracker["events"]]
    starts = [index for index, event in enumerate(events) if isinstance(event, SessionStarted)]
    return [event for event in events[starts[-1] if starts else 0 :] if event is not None]


def test_every_action_of_a_long_conversation_is_what_the_whole_history_predicts(
    backcare: BackCareClient,
) -> None:
    sender = "long-conversation"
    for text in script(200):
        assert backcare.say(sender, text), f"no reply to {text!r}"
    events = session_events(backcare.tracker(sender))
    assert len(events) > 4 * CUT_AT_EVENTS, "the conversation is long enough to have been cut"

    agent = Agent.load(str(trained_model()))
    slots = agent.domain.slots
    checked, different = 0, []
    first_message = next(index for index, event in enumerate(events) if isinstance(event, UserUttered))
    for index in range(first_message, len(events)):
        taken = events[index]
        if not isinstance(taken, ActionExecuted):
            continue
        before = events[:index]
        while before and isinstance(before[-1], LoopInterrupted):  # the prediction's own event
            before.pop()
        tracker = DialogueStateTracker.from_events(sender, before, slots)
        prediction = asyncio.run(_predict(agent, tracker))
        checked += 1
        if prediction != taken.action_name:
            different.append((index, taken.action_name, prediction))
    assert checked > 400
    assert not different, different[:5]


async def _predict(agent: Agent, tracker: DialogueStateTracker) -> str:
    prediction = agent.processor._predict_next_with_tracker(tracker)
    return agent.domain.action_names_or_texts[prediction.max_confidence_index]
