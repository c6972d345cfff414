"""Deleting one person's data, and retention, against the running servers."""

from __future__ import annotations

import uuid
from typing import Tuple

import pytest
import requests
from sqlalchemy import text

from bot.knowledge import create_engine_for
from bot.privacy import apply_retention, forget_conversation
from support.client import BackCareClient
from support.conversation import clear_screening

pytestmark = pytest.mark.e2e


def stored_events(backcare: BackCareClient, sender: str) -> int:
    engine = create_engine_for(backcare.configuration.tracker_store_url)
    with engine.connect() as connection:
        return connection.execute(
            text("select count(*) from events where sender_id = :s"), {"s": sender}
        ).scalar_one()


def feedback_rows(backcare: BackCareClient, sender: str) -> int:
    engine = create_engine_for(backcare.configuration.database_url)
    with engine.connect() as connection:
        return connection.execute(
            text("select count(*) from exercise_feedback where conversation_id = :s"), {"s": sender}
        ).scalar_one()


def stores(backcare: BackCareClient) -> Tuple[str, str]:
    """The tracker store's and the exercise database's URLs, as `bot.privacy` takes them."""
    return backcare.configuration.tracker_store_url, backcare.configuration.database_url


def exercise_conversation(backcare: BackCareClient) -> str:
    sender = f"privacy-{uuid.uuid4().hex[:8]}"
    backcare.say(sender, "back pain 5/10 since 3 days")
    clear_screening(backcare, sender)
    backcare.say(sender, "that hurts")  # records feedback in our own table
    return sender


def test_delete_endpoint_forgets_exactly_one_conversation(backcare: BackCareClient) -> None:
    keep, forget = exercise_conversation(backcare), exercise_conversation(backcare)
    assert stored_events(backcare, forget) > 0 and feedback_rows(backcare, forget) == 1
    url = f"{backcare.settings.rasa_url}/webhooks/privacy/conversations/{forget}"
    assert requests.delete(url, timeout=10).status_code == 401
    assert requests.delete(url, params={"token": "wrong"}, timeout=10).status_code == 401
    reply = requests.delete(
        url, headers={"Authorization": f"Bearer {backcare.settings.api_token}"}, timeout=30
    )
    assert reply.status_code == 200
    assert reply.json()["events"] > 0 and reply.json()["feedback"] == 1
    assert stored_events(backcare, forget) == 0 and feedback_rows(backcare, forget) == 0
    assert stored_events(backcare, keep) > 0 and feedback_rows(backcare, keep) == 1
    assert backcare.slots(forget)["pain_level"] is None  # a fresh start if they come back


def test_forget_command_and_retention(backcare: BackCareClient) -> None:
    old, recent = exercise_conversation(backcare), exercise_conversation(backcare)
    engine = create_engine_for(backcare.configuration.tracker_store_url)
    forty_days = 40 * 86400
    with engine.begin() as connection:
        connection.execute(
            text("update events set timestamp = timestamp - :d where sender_id = :s"),
            {"d": forty_days, "s": old},
        )
    exercises = create_engine_for(backcare.configuration.database_url)
    with exercises.begin() as connection:
        connection.execute(
            text(
                "update exercise_feedback set created_at = '2000-01-01 00:00:00' where conversation_id = :s"
            ),
            {"s": old},
        )
    deleted = apply_retention(30, *stores(backcare))
    assert deleted.events > 0 and deleted.feedback == 1
    assert stored_events(backcare, old) == 0 and feedback_rows(backcare, old) == 0
    assert stored_events(backcare, recent) > 0 and feedback_rows(backcare, recent) == 1
    assert apply_retention(30, *stores(backcare)).events == 0  # nothing else was old
    result = forget_conversation(recent, *stores(backcare))
    assert result.events > 0 and stored_events(backcare, recent) == 0
    assert "not a doctor" in "\n".join(r.get("text", "") for r in backcare.say(recent, "hello"))


def test_retention_endpoint_deletes_old_conversations_under_their_locks(backcare: BackCareClient) -> None:
    old, recent = exercise_conversation(backcare), exercise_conversation(backcare)
    engine = create_engine_for(backcare.configuration.tracker_store_url)
    with engine.begin() as connection:
        connection.execute(
            text("update events set timestamp = timestamp - :d where sender_id = :s"),
            {"d": 40 * 86400, "s": old},
        )
    url = f"{backcare.settings.rasa_url}/webhooks/privacy/conversations"
    auth = {"Authorization": f"Bearer {backcare.settings.api_token}"}
    assert requests.delete(url, params={"older_than_days": "30"}, timeout=10).status_code == 401
    for bad in ("", "zero", "-3", "0"):
        assert (
            requests.delete(url, params={"older_than_days": bad}, headers=auth, timeout=10).status_code == 400
        )
    reply = requests.delete(url, params={"older_than_days": "30"}, headers=auth, timeout=60)
    assert reply.status_code == 200 and reply.json()["events"] > 0 and reply.json()["feedback"] >= 1
    assert stored_events(backcare, old) == 0 and feedback_rows(backcare, old) == 0
    assert stored_events(backcare, recent) > 0 and feedback_rows(backcare, recent) == 1
