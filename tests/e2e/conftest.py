"""The BackCare every end-to-end test talks to: started once per session on free ports."""

from __future__ import annotations

import secrets
from typing import Iterator

import pytest

from support.backcare import page_environment, running_backcare, settings_on_free_ports
from support.client import BackCareClient
from support.database import seeded_sqlite
from support.model import trained_model
from support.telegram_standin import BotApiStandIn


@pytest.fixture(scope="session")
def backcare(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackCareClient]:
    """A whole BackCare with its own stores and a Telegram stand-in.

    Tests read the stores' URLs from `backcare.configuration` and call
    `bot.privacy` with them, as an operator would.
    """
    model = trained_model()
    workdir = tmp_path_factory.mktemp("backcare-e2e")
    settings = settings_on_free_ports(secrets.token_urlsafe(16))
    database_url = seeded_sqlite(workdir / "exercises.db")
    telegram_api = BotApiStandIn().start()
    environment = {
        "BACKCARE_DATABASE_URL": database_url,
        "BACKCARE_TRACKER_STORE_URL": f"sqlite:///{workdir / 'conversations.db'}",
        # Care over weeks: tests move the servers' clock forward by writing this file.
        "BACKCARE_CLOCK_FILE": str(workdir / "clock-offset"),
        **telegram_api.backcare_environment(),
        **page_environment(settings),
    }
    try:
        log_file = workdir / "servers.log"
        with running_backcare(settings, environment, model, log_file, telegram_api) as client:
            yield client
    finally:
        telegram_api.stop()
