"""Telegram updates as the Bot API sends them, posted to BackCare's webhook with its secret."""

from __future__ import annotations

import itertools
import time
from typing import Any, Dict, Optional

import requests

from bot.channels.telegram import SECRET_HEADER
from support.client import BackCareClient
from support.telegram_standin import TELEGRAM_TEST_SECRET

_ids = itertools.count(int(time.time()) % 100000 * 100)


def update_id() -> int:
    """A fresh id for an update, message or chat."""
    return next(_ids)


def chat() -> int:
    """A fresh chat id."""
    return update_id()


def message(chat_id: int, **content: Any) -> Dict[str, Any]:
    return {
        "update_id": next(_ids),
        "message": {
            "message_id": next(_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Test"},
            **content,
        },
    }


def post(backcare: BackCareClient, update: Dict[str, Any], secret: Optional[str] = TELEGRAM_TEST_SECRET):
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    return requests.post(
        f"{backcare.settings.rasa_url}/webhooks/telegram/webhook", json=update, headers=headers, timeout=60
    )
