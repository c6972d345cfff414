"""The web chat page: static widget files and a tiny server for them."""

from __future__ import annotations

from bot.settings import current_settings


def image_url(name: str) -> str:
    """An image served with the chat page, where people's browsers (and Telegram) can fetch it."""
    return f"{current_settings().page_url()}/static/img/{name}"
