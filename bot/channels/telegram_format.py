"""Turns BackCare replies into what the Telegram Bot API accepts."""

from __future__ import annotations

import html
import re
from typing import Any, Dict, List, Sequence

MAX_MESSAGE_LENGTH = 4096  # Telegram's limit for one message
MAX_CALLBACK_BYTES = 64  # Telegram's limit for callback_data


def to_html(text: str) -> str:
    """Simple markdown (**bold**, *italic*) as Telegram HTML, everything else escaped."""
    escaped = html.escape(text, quote=False)
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escaped, flags=re.S)
    return re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", escaped, flags=re.S)


def split_message(text: str, limit: int = MAX_MESSAGE_LENGTH) -> List[str]:
    """Splits text under `limit` characters, preferring paragraph, line and word breaks."""
    parts: List[str] = []
    remaining = text.strip()
    while len(remaining) > limit:
        window = remaining[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        if cut <= 0:
            cut = limit
        parts.append(remaining[:cut].rstrip())
        remaining = remaining[cut:].lstrip()
    if remaining:
        parts.append(remaining)
    return parts


def callback_data(button: Dict[str, Any]) -> str:
    """The button's payload, or its title when the payload is too long for Telegram."""
    payload = str(button.get("payload") or button.get("title") or "")
    if len(payload.encode("utf-8")) <= MAX_CALLBACK_BYTES:
        return payload
    return str(button.get("title", ""))[: MAX_CALLBACK_BYTES // 4]


def inline_keyboard(buttons: Sequence[Dict[str, Any]], per_row: int = 2) -> Dict[str, Any]:
    keys = [{"text": str(b.get("title", "")), "callback_data": callback_data(b)} for b in buttons]
    return {"inline_keyboard": [keys[i : i + per_row] for i in range(0, len(keys), per_row)]}
