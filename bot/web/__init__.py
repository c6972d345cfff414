"""The web chat page: static widget files and a tiny server for them."""

from __future__ import annotations

import os

DEFAULT_WEB_PORT = 8080


def public_url() -> str:
    """Where people's browsers (and Telegram) can fetch the page and its images."""
    default = f"http://127.0.0.1:{os.environ.get('BACKCARE_WEB_PORT', DEFAULT_WEB_PORT)}"
    return (os.environ.get("BACKCARE_PUBLIC_URL") or default).rstrip("/")


def image_url(name: str) -> str:
    return f"{public_url()}/static/img/{name}"
