"""Steps of a conversation that many end-to-end tests take on the way to what they check."""

from __future__ import annotations

from typing import Any, Dict, List

from support.client import BackCareClient

# Four screening groups (data/red_flags.yml), each answered "no".
NO_WARNING_SIGNS = ("no", "no", "none of those", "no")
NO_LEG_PAIN = "no, only my back"


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
