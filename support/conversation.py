"""Steps of a conversation that many end-to-end tests take on the way to what they check."""

from __future__ import annotations

from typing import Any, Dict, List

from support.client import BackCareClient

# Four screening groups (data/red_flags.yml), each answered "no".
NO_WARNING_SIGNS = ("no", "no", "none of those", "no")
NO_LEG_PAIN = "no, only my back"
# Thanks in many words: each is one whole turn (utter_you_are_welcome, action_listen),
# for bursts of concurrent messages to one conversation.
THANKS = (
    "thanks",
    "thank you",
    "thanks a lot",
    "many thanks",
    "thank you very much",
    "thx",
    "cheers",
    "thanks so much",
    "thank you so much",
    "much appreciated",
    "appreciate it",
    "ty",
    "thanks again",
    "great, thanks",
    "thanks!",
    "thank you!",
)


def texts(replies: List[Dict[str, Any]]) -> str:
    """All reply texts of one turn, joined, for readable assertions."""
    return "\n".join(reply.get("text", "") for reply in replies)


def clear_screening(client: BackCareClient, sender: str) -> str:
    """Answers a pending leg-pain question "only my back" and every screening
    question "no"; returns the text of the last turn."""
    reply = ""
    if client.slots(sender).get("requested_slot") == "leg_pain":
        client.say(sender, NO_LEG_PAIN)
    for answer in NO_WARNING_SIGNS:
        reply = texts(client.say(sender, answer))
    return reply


def user_turns(events: List[Dict[str, Any]]) -> List[List[Dict[str, Any]]]:
    """A tracker's events grouped per user message: each group starts with a `user` event."""
    turns: List[List[Dict[str, Any]]] = []
    for event in events:
        if event["event"] == "user":
            turns.append([event])
        elif turns:
            turns[-1].append(event)
    return turns
