"""Deleting a conversation through the privacy channel, and racing that against a turn."""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from typing import List

import requests
from sqlalchemy import text

from bot.knowledge import create_engine_for
from support.client import BackCareClient


def stored_user_texts(tracker_url: str, sender: str) -> List[str]:
    engine = create_engine_for(tracker_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("select data from events where sender_id = :s and type_name = 'user'"), {"s": sender}
        )
        return [json.loads(row[0]).get("text") or "" for row in rows]


def delete(backcare: BackCareClient, conversation_id: str) -> requests.Response:
    quoted = requests.utils.quote(conversation_id, safe="")
    return requests.delete(
        f"{backcare.settings.rasa_url}/webhooks/privacy/conversations/{quoted}",
        headers={"Authorization": f"Bearer {backcare.settings.api_token}"},
        timeout=60,
    )


def race_deletion(client: BackCareClient, deleter: BackCareClient, tries: int, tracker_url: str) -> List[str]:
    """Deletes each conversation while a turn is in flight; returns those whose
    earlier history survived."""
    survivors = []
    for attempt in range(tries):
        sender = f"race-{attempt}-{uuid.uuid4().hex[:6]}"
        client.say(sender, "hello")
        turn = threading.Thread(target=client.say, args=(sender, "my lower back hurts, 5 out of 10"))
        turn.start()
        time.sleep(random.uniform(0, 0.08))
        reply = delete(deleter, sender)
        turn.join()
        assert reply.status_code == 200, reply.text
        if "hello" in stored_user_texts(tracker_url, sender):
            survivors.append(sender)
    return survivors
