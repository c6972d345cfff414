"""Conversations survive restarts and are shared by several Rasa replicas.

Uses Rasa's own SQLTrackerStore (SQLite file, PostgreSQL) and RedisLockStore,
against the PostgreSQL and Redis servers on this machine.
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import List

import pytest

from bot.knowledge import create_engine_for, create_schema, seed_exercises
from support.conversation import NO_LEG_PAIN, NO_WARNING_SIGNS, THANKS, texts, user_turns
from support.database import seeded_sqlite
from support.deletion import race_deletion
from support.deployment import deployment
from support.services import postgres_database, redis_url
from support.telegram_standin import BotApiStandIn
from support.telegram_updates import chat, message, post

pytestmark = pytest.mark.e2e


def test_sqlite_conversation_survives_a_restart(tmp_path: Path) -> None:
    environment = {
        "BACKCARE_DATABASE_URL": seeded_sqlite(tmp_path / "exercises.db"),
        "BACKCARE_TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'conversations.db'}",
    }
    sender = f"restart-{uuid.uuid4().hex[:8]}"
    with deployment(environment, tmp_path / "servers.log") as running:
        client = running.replicas[0].client
        client.say(sender, "my back hurts")
        client.say(sender, "8")
        before = client.tracker(sender)
        running.restart_rasa(0)
        after = client.tracker(sender)
        assert after["events"] == before["events"]
        assert after["active_loop"]["name"] == "assessment_form"
        assert "spread into a leg" in texts(client.say(sender, "since yesterday"))
        assert "Safety check 1 of 4" in texts(client.say(sender, NO_LEG_PAIN))
        slots = client.slots(sender)
        assert slots["pain_level"] == 8 and slots["pain_duration_weeks"] == pytest.approx(1 / 7, abs=0.01)


@pytest.mark.services
def test_two_replicas_share_conversations_on_postgres_and_redis(tmp_path: Path) -> None:
    lock_url = redis_url()
    with postgres_database() as database_url:
        # The exercise database on PostgreSQL, seeded twice: idempotent.
        engine = create_engine_for(database_url)
        create_schema(engine)
        first, second = seed_exercises(engine), seed_exercises(engine)
        assert first.created > 0 and (second.created, second.updated) == (0, 0)
        engine.dispose()
        telegram_api = BotApiStandIn().start()
        environment = {
            "BACKCARE_DATABASE_URL": database_url,
            "BACKCARE_TRACKER_STORE_URL": database_url,
            "BACKCARE_LOCK_STORE_URL": lock_url,
            **telegram_api.backcare_environment(),
        }
        with deployment(environment, tmp_path / "servers.log", count=2) as running:
            a, b = (replica.client for replica in running.replicas)

            # Telegram sends an update again (same update_id), this time to the
            # other replica: it is answered once, the ids are shared in Redis.
            update = message(chat(), text="hello")
            assert post(a, update).json() == {"status": "ok"}
            assert post(b, update).json() == {"status": "duplicate"}
            sender = f"telegram:{update['message']['chat']['id']}"
            assert [e["text"] for e in b.tracker(sender)["events"] if e["event"] == "user"] == ["hello"]
            telegram_api.stop()

            # Turns alternate between the replicas, as behind a load balancer.
            sender = f"alternate-{uuid.uuid4().hex[:8]}"
            assert "How long" in texts(a.say(sender, "my lower back hurts a lot, 8/10"))
            assert "spread into a leg" in texts(b.say(sender, "since yesterday"))
            assert "Safety check 1 of 4" in texts(a.say(sender, NO_LEG_PAIN))
            for replica, answer in zip((a, b, a, b), NO_WARNING_SIGNS, strict=True):
                advice = texts(replica.say(sender, answer))
            assert "spare your back" in advice and "Step 1 of" in advice
            assert "Step 2 of" in texts(b.say(sender, "next"))
            assert a.tracker(sender)["events"] == b.tracker(sender)["events"]
            slots = b.slots(sender)
            assert (slots["pain_level"], slots["triage"], slots["current_step"]) == (8, "acute", 2)

            # A restart of one replica loses nothing (PostgreSQL tracker store).
            running.restart_rasa(0)
            assert "Step 3 of" in texts(a.say(sender, "next"))

            # A burst to one conversation across both replicas is serialised by
            # the Redis lock store: every turn stays whole, none lost or doubled.
            burst = f"burst-{uuid.uuid4().hex[:8]}"
            messages = list(THANKS[:12])
            errors: List[BaseException] = []

            def send(index: int, text: str) -> None:
                try:
                    (a if index % 2 else b).say(burst, text)
                except BaseException as error:  # reported below
                    errors.append(error)

            threads = [threading.Thread(target=send, args=(i, m)) for i, m in enumerate(messages)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
            assert not errors
            events = a.tracker(burst)["events"]
            turns = user_turns(events)
            assert sorted(turn[0]["text"] for turn in turns) == sorted(messages)
            for turn in turns:
                actions = [e["name"] for e in turn if e["event"] == "action"]
                assert actions == ["utter_you_are_welcome", "action_listen"], turn[0]["text"]
            timestamps = [e["timestamp"] for e in events]
            assert len(timestamps) == len(set(timestamps))  # no duplicated events

            # A deletion on one replica while the other handles a turn of the
            # same conversation: the Redis lock serialises them, no history returns.
            assert race_deletion(a, b, 100, database_url) == []
