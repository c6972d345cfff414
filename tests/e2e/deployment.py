"""Starts several BackCare server processes for persistence and replica tests."""

from __future__ import annotations

import os
import secrets
import subprocess
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List

import psycopg2
import pytest
import redis

from bot import servers, training
from tests.e2e.conftest import BackCareClient, free_port
from tests.e2e.telegram_standin import BotApiStandIn

POSTGRES_ADMIN_URL = os.environ.get("BACKCARE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BACKCARE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def require_service(name: str, check) -> None:
    """Fails in CI, skips loudly elsewhere, when a service is unreachable."""
    try:
        check()
    except Exception as error:  # any connection problem
        message = f"{name} is not reachable ({error.__class__.__name__}: {error})"
        print(f"\n*** {message} ***")
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message + "; CI needs it")
        pytest.skip(message)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database; dropped afterwards."""
    require_service("PostgreSQL", lambda: psycopg2.connect(POSTGRES_ADMIN_URL, connect_timeout=3).close())
    name = f"backcare_test_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(POSTGRES_ADMIN_URL)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def redis_url() -> str:
    require_service("Redis", lambda: redis.Redis.from_url(REDIS_URL, socket_timeout=3).ping())
    return REDIS_URL


@dataclass
class Replica:
    settings: servers.ServerSettings
    rasa: subprocess.Popen
    actions: subprocess.Popen
    client: BackCareClient


@dataclass
class Deployment:
    """N Rasa servers, each with its own action server, sharing the stores."""

    environment: Dict[str, str]
    log_file: Path
    token: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    replicas: List[Replica] = field(default_factory=list)

    def _start(self, command, settings):
        saved = {name: os.environ.get(name) for name in self.environment}
        os.environ.update(self.environment)
        try:
            return servers.start(command, settings, self.log_file)
        finally:
            for name, value in saved.items():
                os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)

    def start(self, count: int) -> "Deployment":
        model = training.model_path()
        for _ in range(count):
            settings = servers.ServerSettings(
                rasa_port=free_port(), actions_port=free_port(), api_token=self.token, web_port=free_port()
            )
            actions = self._start(servers.action_server_command(settings), settings)
            rasa = self._start(servers.rasa_server_command(settings, model), settings)
            self.replicas.append(Replica(settings, rasa, actions, BackCareClient(settings, BotApiStandIn())))
        for replica in self.replicas:
            servers.wait_until_ready(replica.settings, [replica.rasa, replica.actions], timeout=300)
        return self

    def restart_rasa(self, index: int) -> None:
        replica = self.replicas[index]
        servers.stop([replica.rasa])
        replica.rasa = self._start(servers.rasa_server_command(replica.settings, training.model_path()), replica.settings)
        servers.wait_until_ready(replica.settings, [replica.rasa, replica.actions], timeout=300)

    def stop(self) -> None:
        servers.stop([p for r in self.replicas for p in (r.rasa, r.actions)])


@contextmanager
def deployment(environment: Dict[str, str], log_file: Path, count: int = 1) -> Iterator[Deployment]:
    running = Deployment(environment, log_file)
    try:
        yield running.start(count)
    except Exception:
        print(log_file.read_text(errors="replace")[-4000:] if log_file.exists() else "")
        raise
    finally:
        running.stop()
