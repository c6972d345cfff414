"""`backcare telegram set-webhook`: registers the webhook with its secret token."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict

from bot.channels.telegram import TelegramSettings
from bot.settings import Settings


class TelegramSetupError(RuntimeError):
    pass


def webhook_request(settings: TelegramSettings) -> Dict[str, Any]:
    if not settings.webhook_url.startswith("https://"):
        raise TelegramSetupError(
            "TELEGRAM_WEBHOOK_URL must be the public https:// URL of /webhooks/telegram/webhook"
        )
    if not settings.secret_token:
        raise TelegramSetupError(
            "TELEGRAM_SECRET_TOKEN must be set: Telegram echoes it so forged requests are refused"
        )
    return {
        "url": settings.webhook_url,
        "secret_token": settings.secret_token,
        # Only what the bot handles; everything else is never sent.
        "allowed_updates": json.dumps(["message", "edited_message", "callback_query"]),
        "drop_pending_updates": False,
    }


async def _set_webhook(settings: TelegramSettings) -> Any:
    bot = settings.make_bot()
    try:
        # Raw call: aiogram 2.15's set_webhook has no secret_token parameter.
        return await bot.request("setWebhook", webhook_request(settings))
    finally:
        await bot.session.close()


def set_webhook(backcare: Settings) -> str:
    settings = TelegramSettings.from_settings(backcare)
    if settings is None:
        raise TelegramSetupError("TELEGRAM_TOKEN is not set")
    asyncio.run(_set_webhook(settings))
    return settings.webhook_url
