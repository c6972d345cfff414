"""Talks to a running BackCare as an integration would: REST channel and HTTP API."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

import requests

from bot import servers
from bot.settings import Settings
from support.telegram_standin import BotApiStandIn


@dataclass
class BackCareClient:
    """Talks to a running BackCare over the REST channel and the HTTP API."""

    settings: servers.ServerSettings
    configuration: Settings = Settings()  # what its servers read: stores, page address, tokens
    telegram_api: Optional[BotApiStandIn] = None  # the stand-in its Telegram channel calls, if any
    log_file: Optional[Path] = None  # where its servers write, for tests that search their logs

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
