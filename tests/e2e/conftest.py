"""Starts the real action server and Rasa server on free ports for the session."""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest
import requests

from bot import servers, training
from bot.knowledge import create_engine_for, create_schema, seed_exercises
from tests.e2e.telegram_standin import BotApiStandIn

# A token in Telegram's format for the stand-in only; never a real bot.
TELEGRAM_TEST_TOKEN = "12345:stand-in-token"
TELEGRAM_TEST_SECRET = "e2e-secret-" + secrets.token_hex(8)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class BackCareClient:
    """Talks to a running BackCare over the REST channel and the HTTP API."""

    settings: servers.ServerSettings
    telegram_api: BotApiStandIn
    log_file: Optional[Path] = None

    def say(self, sender: str, text: str) -> List[Dict[str, Any]]:
        response = requests.post(
            f"{self.settings.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def tracker(self, sender: str) -> Dict[str, Any]:
        response = requests.get(
            f"{self.settings.rasa_url}/conversations/{sender}/tracker",
            params={"token": self.settings.api_token},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def slots(self, sender: str) -> Dict[str, Any]:
        return self.tracker(sender)["slots"]


# Four screening groups (data/red_flags.yml), each answered "no".
NO_WARNING_SIGNS = ("no", "no", "none of those", "no")
NO_LEG_PAIN = "no, only my back"


def clear_screening(client: BackCareClient, sender: str) -> str:
    """Answers a pending leg-pain question "only my back" and every screening
    question "no"; returns the text of the last turn."""
    reply = ""
    if client.slots(sender).get("requested_slot") == "leg_pain":
        client.say(sender, NO_LEG_PAIN)
    for answer in NO_WARNING_SIGNS:
        reply = texts(client.say(sender, answer))
    return reply


def texts(replies: List[Dict[str, Any]]) -> str:
    """All reply texts of one turn, joined, for readable assertions."""
    return "\n".join(reply.get("text", "") for reply in replies)


@pytest.fixture(scope="session")
def backcare(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackCareClient]:
    model = training.model_path()
    if not model.exists():
        pytest.fail(f"No trained model at {model}: run `make train` (make test does).")
    workdir: Path = tmp_path_factory.mktemp("backcare-e2e")
    database_url = f"sqlite:///{workdir / 'exercises.db'}"
    engine = create_engine_for(database_url)
    create_schema(engine)
    seed_exercises(engine)
    settings = servers.ServerSettings(
        rasa_port=free_port(),
        actions_port=free_port(),
        api_token=secrets.token_urlsafe(16),
        web_port=free_port(),
    )
    telegram_api = BotApiStandIn().start()
    environment = {
        "BACKCARE_DATABASE_URL": database_url,
        "BACKCARE_TRACKER_STORE_URL": f"sqlite:///{workdir / 'conversations.db'}",
        "TELEGRAM_TOKEN": TELEGRAM_TEST_TOKEN,
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_TEST_SECRET,
        "TELEGRAM_API_URL": telegram_api.url,
        "TELEGRAM_BOT_USERNAME": "BackCareTestBot",
        "BACKCARE_WEB_ORIGINS": ",".join(settings.web_origins),
        "BACKCARE_PUBLIC_URL": settings.web_url,
    }
    previous = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    log_file = workdir / "servers.log"
    processes = [
        servers.start(servers.action_server_command(settings), settings, log_file),
        servers.start(servers.rasa_server_command(settings, model), settings, log_file),
        servers.start(servers.web_server_command(settings), settings, log_file),
    ]
    try:
        servers.wait_until_ready(settings, processes, timeout=300, with_web=True)
        yield BackCareClient(settings, telegram_api, log_file)
    except Exception:
        print(log_file.read_text(errors="replace")[-5000:])
        raise
    finally:
        servers.stop(processes)
        telegram_api.stop()
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
