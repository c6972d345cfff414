"""Faults BackCare survives, end to end: the action server or Redis goes away mid-conversation.

A BackCare of its own (the action server is killed and started again, which the
shared one of conftest.py must not see), on free ports, SQLite stores; for the
Redis fault, a private redis-server as its lock store. PostgreSQL restarted and
a replica killed during a burst need a private PostgreSQL and two replicas:
`make chaos` (bench/chaos.py).
"""

from __future__ import annotations

import secrets
import signal
import subprocess
import uuid
from pathlib import Path
from typing import Iterator, List

import pytest
import requests
import yaml

from bot import paths, servers
from support.backcare import READY_TIMEOUT_S, settings_on_free_ports
from support.client import BackCareClient
from support.conversation import NO_LEG_PAIN, texts
from support.database import seeded_sqlite
from support.model import trained_model
from support.redis_server import PrivateRedis

pytestmark = pytest.mark.e2e

TROUBLE = yaml.safe_load(paths.DOMAIN_FILE.read_text())["responses"]["utter_technical_trouble"][0]["text"]


class FaultyBackCare:
    """A Rasa server and an action server whose process the test may kill and start again."""

    def __init__(self, workdir: Path, lock_store_url: str = "") -> None:
        self.settings = settings_on_free_ports(secrets.token_urlsafe(16))
        self.log_file = workdir / "servers.log"
        self.environment = {
            "BACKCARE_DATABASE_URL": seeded_sqlite(workdir / "exercises.db"),
            "BACKCARE_TRACKER_STORE_URL": f"sqlite:///{workdir / 'conversations.db'}",
            "BACKCARE_LOCK_STORE_URL": lock_store_url,
        }
        self.actions = self._start(servers.action_server_command(self.settings))
        self.rasa = self._start(servers.rasa_server_command(self.settings, trained_model()))
        self.client = BackCareClient(self.settings)

    def _start(self, command: List[str]) -> subprocess.Popen:
        return servers.start(command, self.settings, self.log_file, self.environment)

    def wait_until_ready(self) -> None:
        servers.wait_until_ready(self.settings, [self.actions, self.rasa], timeout=READY_TIMEOUT_S)

    def kill_action_server(self) -> None:
        """As a crash would: SIGKILL, no goodbye."""
        self.actions.send_signal(signal.SIGKILL)
        self.actions.wait(timeout=30)

    def start_action_server(self) -> None:
        self.actions = self._start(servers.action_server_command(self.settings))
        self.wait_until_ready()

    def stop(self) -> None:
        servers.stop([self.rasa, self.actions])


@pytest.fixture
def lock_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis(password=secrets.token_hex(8)).start()
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture
def faulty(tmp_path: Path, lock_redis: PrivateRedis) -> Iterator[FaultyBackCare]:
    running = FaultyBackCare(tmp_path, lock_store_url=lock_redis.url)
    try:
        running.wait_until_ready()
        yield running
    except Exception:
        print(running.log_file.read_text(errors="replace")[-5000:])
        raise
    finally:
        running.stop()


def user_texts(client: BackCareClient, sender: str) -> List[str]:
    return [event["text"] for event in client.tracker(sender)["events"] if event["event"] == "user"]


def test_the_action_server_down_mid_conversation(faulty: FaultyBackCare) -> None:
    client = faulty.client
    sender = f"faults-{uuid.uuid4().hex[:8]}"
    assert "How long" in texts(client.say(sender, "my lower back hurts a lot, 8/10"))

    faulty.kill_action_server()
    # The form's validation cannot run: one clear reply, and nothing else.
    assert [reply.get("text") for reply in client.say(sender, "since yesterday")] == [TROUBLE]
    assert client.tracker(sender)["active_loop"]["name"] == "assessment_form"  # still waiting for the answer
    # A conversation that starts while the server is away gets the same reply.
    newcomer = f"faults-new-{uuid.uuid4().hex[:8]}"
    assert [reply.get("text") for reply in client.say(newcomer, "hello")] == [TROUBLE]

    faulty.start_action_server()
    # The person tries again and the assessment goes on where it was.
    assert "spread into a leg" in texts(client.say(sender, "since yesterday"))
    assert "Safety check 1 of 4" in texts(client.say(sender, NO_LEG_PAIN))
    slots = client.slots(sender)
    assert slots["pain_level"] == 8 and slots["pain_duration_weeks"] == pytest.approx(1 / 7, abs=0.01)
    assert user_texts(client, sender) == [
        "my lower back hurts a lot, 8/10",
        "since yesterday",  # kept, although it could not be handled then
        "since yesterday",
        NO_LEG_PAIN,
    ]
    assert "not a doctor" in texts(client.say(newcomer, "hello"))
    assert user_texts(client, newcomer) == ["hello", "hello"]


def test_redis_away_gets_a_clear_error_and_nothing_is_lost_or_doubled(
    faulty: FaultyBackCare, lock_redis: PrivateRedis
) -> None:
    client = faulty.client
    sender = f"redis-away-{uuid.uuid4().hex[:8]}"
    assert "How long" in texts(client.say(sender, "my lower back hurts a lot, 8/10"))

    lock_redis.stop()
    answer = requests.post(
        f"{faulty.settings.rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": "since yesterday"},
        timeout=60,
    )
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "30"
    assert [reply["text"] for reply in answer.json()] == [TROUBLE]  # a clear reply, not `200 []`

    lock_redis.start()  # back on the same port
    assert "spread into a leg" in texts(client.say(sender, "since yesterday"))
    # The failed turn was never stored; the one sent again is stored once.
    assert user_texts(client, sender) == ["my lower back hurts a lot, 8/10", "since yesterday"]
    events = client.tracker(sender)["events"]
    assert len({(event["event"], event["timestamp"]) for event in events}) == len(events)
