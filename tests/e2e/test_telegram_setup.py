"""`backcare telegram set-webhook` against the Bot API stand-in."""

from __future__ import annotations

import json
from typing import Dict, Iterator

import pytest

from bot import cli
from support.telegram_standin import BotApiStandIn


@pytest.fixture
def bot_api() -> Iterator[BotApiStandIn]:
    stand_in = BotApiStandIn().start()
    yield stand_in
    stand_in.stop()


def telegram_environment(bot_api: BotApiStandIn) -> Dict[str, str]:
    return {
        "TELEGRAM_TOKEN": "12345:stand-in-token",
        "TELEGRAM_API_URL": bot_api.url,
        "TELEGRAM_SECRET_TOKEN": "setup-secret",
        "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/webhooks/telegram/webhook",
    }


def test_set_webhook_registers_url_and_secret(bot_api: BotApiStandIn) -> None:
    assert cli.main(["telegram", "set-webhook"], telegram_environment(bot_api)) == 0
    [call] = bot_api.take()
    assert call.method == "setWebhook"
    assert call.data["url"] == "https://bot.example.org/webhooks/telegram/webhook"
    assert call.data["secret_token"] == "setup-secret"
    assert "callback_query" in json.loads(call.data["allowed_updates"])


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("TELEGRAM_SECRET_TOKEN", "", "TELEGRAM_SECRET_TOKEN"),
        ("TELEGRAM_WEBHOOK_URL", "http://insecure.example.org/hook", "https://"),
        ("TELEGRAM_TOKEN", "", "TELEGRAM_TOKEN is not set"),
    ],
)
def test_set_webhook_refuses_unsafe_settings(
    bot_api: BotApiStandIn, capsys: pytest.CaptureFixture[str], variable: str, value: str, message: str
) -> None:
    environment = {**telegram_environment(bot_api), variable: value}
    assert cli.main(["telegram", "set-webhook"], environment) == 2
    assert message in capsys.readouterr().err
    assert bot_api.take() == []
