"""Care over weeks against the real servers: a person comes back the next day (the
servers' clock moved forward), sees the trend, gets the plan and the summary.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Iterator

import pytest
import requests

from bot import clock
from bot.care.records import CareRecords
from bot.knowledge import create_engine_for
from support.client import BackCareClient
from support.conversation import clear_screening, texts

pytestmark = pytest.mark.e2e

DAY = 86400.0


@pytest.fixture
def clock_file(backcare: BackCareClient) -> Iterator[Path]:
    """The servers' clock offset; back to the real clock after the test."""
    path = Path(backcare.configuration.clock_file)
    yield path
    clock.reset(path)


def finish_exercise(backcare: BackCareClient, sender: str) -> str:
    for _ in range(10):
        said = texts(backcare.say(sender, "next"))
        if "That's the whole of" in said:
            return said
    raise AssertionError("the exercise never finished")


def test_a_returning_person_is_known_the_next_day(backcare: BackCareClient, clock_file: Path) -> None:
    sender = f"care-{uuid.uuid4().hex[:8]}"
    backcare.say(sender, "my lower back hurts, about 6 out of 10, since yesterday")
    offered = clear_screening(backcare, sender)
    assert "Step 1 of" in offered
    finished = finish_exercise(backcare, sender)
    exercise = finished.split("**")[1]

    # The next day, in a conversation that starts from nothing in Rasa.
    clock.advance(clock_file, DAY)
    backcare.say(sender, "/restart")
    welcome = texts(backcare.say(sender, "hi there"))
    assert f"Welcome back. Last time (yesterday) your pain was 6/10 and you did {exercise}." in welcome
    assert "How is it today" in welcome
    safety = texts(backcare.say(sender, "better today, about 4"))
    assert "Since we last spoke" in safety  # one short question, not the four groups
    assert "Safety check" not in safety
    after = texts(backcare.say(sender, "no, none of that"))
    assert "Step 1 of" in after
    assert "Week 1 of your plan" in after

    progress = backcare.say(sender, "how am I doing?")
    assert "6/10 -> 4/10 over 1 day" in texts(progress)
    assert "real improvement" in texts(progress)
    chart = next(reply["image"] for reply in progress if reply.get("image"))
    image = requests.get(chart, timeout=30)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")

    summary = backcare.say(sender, "can I have a summary for my doctor")
    assert exercise in texts(summary)
    link = next(reply["attachment"] for reply in summary if reply.get("attachment"))
    document = requests.get(link, timeout=30)
    assert document.status_code == 200 and document.content.startswith(b"%PDF")
    # The link is this person's only: another person's token does not open it.
    assert requests.get(link.replace("/summary/", "/summary/x"), timeout=30).status_code == 404

    history = CareRecords(create_engine_for(backcare.configuration.database_url)).history(sender)
    assert history is not None
    assert [(entry.pain, entry.source) for entry in history.check_ins] == [(6, "assessment"), (4, "check_in")]


def test_a_check_in_answered_yes_gets_the_emergency_advice(
    backcare: BackCareClient, clock_file: Path
) -> None:
    sender = f"care-{uuid.uuid4().hex[:8]}"
    backcare.say(sender, "lower back pain, 5/10, for two days")
    clear_screening(backcare, sender)
    clock.advance(clock_file, 2 * DAY)
    backcare.say(sender, "/restart")
    assert "Welcome back" in texts(backcare.say(sender, "hello"))
    backcare.say(sender, "5")
    urgent = texts(backcare.say(sender, "yes"))
    assert "emergency" in urgent.lower()
    assert "Step 1 of" not in urgent
    assert backcare.slots(sender)["triage"] == "urgent"
