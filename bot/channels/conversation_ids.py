"""Conversation ids per channel, and the web widget's unguessable session ids.

Telegram and web conversations live under their own prefix (`telegram:<chat>`,
`web:<id>`); REST senders are kept exactly as the caller gives them and may not
use those prefixes, so one channel can never reach another's conversation.

The web widget's session id is issued by the server: 128 random bits and an
HMAC signature, `<random>.<signature>`. A client that sends any other id (one
it made up, or an old unsigned one) gets a new session. The secret comes from
`BACKCARE_SESSION_SECRET`, shared by every replica; `backcare run` keeps one
in `var/session.secret`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any, Optional

from bot.settings import current_settings

TELEGRAM_PREFIX = "telegram:"
WEB_PREFIX = "web:"
RESERVED_PREFIXES = (TELEGRAM_PREFIX, WEB_PREFIX)
MAX_SENDER_CHARS = 128
SESSION_RANDOM_BYTES = 16  # 128 bits


def is_reserved(sender_id: str) -> bool:
    return sender_id.lower().startswith(RESERVED_PREFIXES)


def telegram_conversation(chat_id: str) -> str:
    return TELEGRAM_PREFIX + chat_id


def telegram_chat(conversation_id: str) -> str:
    """The Bot API chat id of a conversation id (plain chat ids pass unchanged)."""
    return (
        conversation_id[len(TELEGRAM_PREFIX) :]
        if conversation_id.startswith(TELEGRAM_PREFIX)
        else conversation_id
    )


def web_conversation(session_id: str) -> str:
    return WEB_PREFIX + session_id.split(".", 1)[0]


def _secret() -> bytes:
    secret = current_settings().session_secret
    if not secret:
        raise RuntimeError("BACKCARE_SESSION_SECRET is not set: web sessions cannot be issued")
    return secret.encode()


def _signature(random_part: str) -> str:
    return hmac.new(_secret(), random_part.encode(), hashlib.sha256).hexdigest()[:32]


def issue_session_id() -> str:
    random_part = secrets.token_hex(SESSION_RANDOM_BYTES)
    return f"{random_part}.{_signature(random_part)}"


def verified_session_id(claimed: Any) -> Optional[str]:
    """`claimed` if this server issued it, else None."""
    if not isinstance(claimed, str) or claimed.count(".") != 1 or len(claimed) > 100:
        return None
    random_part, signature = claimed.split(".")
    if len(random_part) != SESSION_RANDOM_BYTES * 2:
        return None
    return claimed if hmac.compare_digest(signature.encode(), _signature(random_part).encode()) else None
