"""Runs actions with rasa-sdk's own tracker and dispatcher on a real SQLite database."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest
import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.library import forget_connections
from bot import paths
from bot.rasa_overrides.response_variations import MostSpecificVariationFilter
from support.database import seeded_sqlite

DOMAIN: Dict[str, Any] = yaml.safe_load(Path(paths.DOMAIN_FILE).read_text())
# data/exercises.yml read as plain YAML, not through the seeder: what the exercise tests expect.
EXERCISE_FILE: Dict[str, Dict[str, Any]] = {
    item["slug"]: item
    for item in yaml.safe_load((paths.PROJECT_ROOT / "data" / "exercises.yml").read_text())["exercises"]
}

# Assessed slots of a person at each stage, shared by the exercise tests.
ACUTE_SEVERE = {"triage": "acute", "pain_level": 8.0, "pain_duration_weeks": 0.2}
ACUTE_MODERATE = {"triage": "acute", "pain_level": 5.0, "pain_duration_weeks": 0.2}
RECOVERY = {"triage": "recovery", "pain_level": 2.0, "pain_duration_weeks": 3.0}


@pytest.fixture(autouse=True)
def exercise_database(tmp_path: Path, use_settings) -> Iterator[str]:
    url = seeded_sqlite(tmp_path / "exercises.db")
    use_settings(database_url=url, session_secret="actions-test-secret")
    forget_connections()
    yield url
    forget_connections()


def make_tracker(
    text: str = "",
    intent: Optional[str] = None,
    slots: Optional[Dict[str, Any]] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    active_loop: Optional[str] = None,
    latest_action: str = "action_listen",
    sender_id: str = "unit-test",
) -> Tracker:
    all_slots = dict.fromkeys(DOMAIN["slots"])
    all_slots.update(
        {
            name: spec["initial_value"]
            for name, spec in DOMAIN["slots"].items()
            if spec.get("initial_value") is not None
        }
    )
    all_slots.update(slots or {})
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities or []}
    return Tracker(
        sender_id=sender_id,
        slots=all_slots,
        latest_message=latest,
        events=[
            {"event": "user", "text": text, "parse_data": latest},
            *([{"event": "action", "name": latest_action}] if latest_action != "action_listen" else []),
            # The form's own run, as Rasa records it before calling the validation action.
            *([{"event": "action", "name": active_loop}] if active_loop else []),
        ],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name=latest_action,
    )


def render(message: Dict[str, Any], slots: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """A dispatched message as the person sees it: the domain response filled in, as Rasa does.

    The variation is the one Rasa would choose for the tracker's slots (its
    conditions, the most specific first: bot/rasa_overrides/response_variations.py).
    """
    name = message.get("response")
    if not name:
        return message
    eligible = MostSpecificVariationFilter(DOMAIN["responses"]).responses_for_utter_action(
        name, "rest", slots or {}
    )
    variant = eligible[0] if eligible else DOMAIN["responses"][name][0]
    values = {key: value for key, value in message.items() if key not in ("response", "buttons", "text")}
    return {
        **message,
        "text": variant.get("text", "").format(**values),
        "buttons": [*(variant.get("buttons") or []), *(message.get("buttons") or [])],
    }


class Run:
    """The outcome of one action run: what it said and which slots it set."""

    def __init__(
        self,
        dispatcher: CollectingDispatcher,
        events: List[Dict[str, Any]],
        slots: Optional[Dict[str, Any]] = None,
    ) -> None:
        self.messages = [render(message, slots) for message in dispatcher.messages]
        self.events = events

    @property
    def text(self) -> str:
        return "\n".join(m.get("text") or "" for m in self.messages)

    @property
    def responses(self) -> List[str]:
        return [m["response"] for m in self.messages if m.get("response")]

    @property
    def slots(self) -> Dict[str, Any]:
        return {e["name"]: e["value"] for e in self.events if e.get("event") == "slot"}

    @property
    def buttons(self) -> List[str]:
        return [b["payload"] for m in self.messages for b in m.get("buttons") or []]


def run_action(action: Action, tracker: Tracker) -> Run:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return Run(dispatcher, events, tracker.slots)
