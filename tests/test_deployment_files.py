"""docker-compose.yml and the Dockerfile (Docker cannot run here: check what can be)."""

from __future__ import annotations

import re

import yaml

from bot import paths
from bot.cli import build_parser
from bot.settings import Settings

COMPOSE = yaml.safe_load((paths.PROJECT_ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (paths.PROJECT_ROOT / "Dockerfile").read_text()


def test_compose_has_replicas_and_the_shared_stores() -> None:
    services = COMPOSE["services"]
    assert {"rasa-1", "rasa-2", "actions-1", "actions-2", "postgres", "redis", "web", "migrate"} <= set(
        services
    )
    for name in ("rasa-1", "rasa-2", "actions-1", "actions-2"):
        environment = services[name]["environment"]
        assert environment["BACKCARE_TRACKER_STORE_URL"].startswith("postgresql://")
        assert environment["BACKCARE_LOCK_STORE_URL"] == "redis://redis:6379/0"
        assert environment["BACKCARE_DATABASE_URL"].startswith("postgresql://")


def test_compose_commands_are_the_tested_backcare_commands() -> None:
    parser = build_parser(Settings())
    used = set()
    for service in COMPOSE["services"].values():
        command = service.get("command")
        if command and command[0] == "backcare":
            args = parser.parse_args(command[1:])  # raises SystemExit on a wrong option
            used.add(args.command)
            if args.command == "serve":
                assert args.actions_host in COMPOSE["services"]
    assert {"serve", "actions", "db", "reminders"} <= used


def test_compose_reminders_reach_a_rasa_replica_and_the_shared_database() -> None:
    services = COMPOSE["services"]
    reminders = services["reminders"]
    assert reminders["command"] == ["backcare", "reminders"]
    environment = reminders["environment"]
    assert environment["BACKCARE_DATABASE_URL"] == services["rasa-1"]["environment"]["BACKCARE_DATABASE_URL"]
    assert environment["BACKCARE_API_TOKEN"] == services["rasa-1"]["environment"]["BACKCARE_API_TOKEN"]
    rasa_host, rasa_port = environment["BACKCARE_RASA_URL"].removeprefix("http://").split(":")
    assert rasa_host in reminders["depends_on"] and rasa_host in services
    assert services[rasa_host]["command"][services[rasa_host]["command"].index("--port") + 1] == rasa_port


def test_no_secret_is_written_into_the_deployment_files() -> None:
    text = (paths.PROJECT_ROOT / "docker-compose.yml").read_text()
    for key in ("BACKCARE_API_TOKEN", "POSTGRES_PASSWORD", "TELEGRAM_TOKEN", "TELEGRAM_SECRET_TOKEN"):
        for value in re.findall(rf"{key}: (.*)", text):
            assert value.strip().startswith("${") or value.strip() == "${POSTGRES_PASSWORD}", value


def test_dockerfile_installs_the_pinned_set() -> None:
    assert "FROM python:3.10" in DOCKERFILE
    assert (
        "requirements/lock.txt" in DOCKERFILE
        and "--require-hashes -r requirements/spacy-model.txt" in DOCKERFILE
    )
