"""The two secrets the servers share besides the API token.

- `BACKCARE_ACTION_TOKEN`: the header Rasa sends to the action server and the
  action server requires. Unset, it is derived from `BACKCARE_API_TOKEN`, so a
  deployment that sets the API token needs nothing more (`backcare run` makes
  an API token for its run when none is set).
- `BACKCARE_SESSION_SECRET`: signs the web widget's session ids
  (bot.channels.conversation_ids). Every replica needs the same one. Unset, it
  is kept in `var/session.secret`, made once, so web sessions survive a
  restart of `backcare run`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from typing import TYPE_CHECKING

from bot.paths import RUNTIME_DIR
from bot.settings import Settings

if TYPE_CHECKING:
    from sanic.request import Request

SESSION_SECRET_FILE = RUNTIME_DIR / "session.secret"


def carries_token(request: Request, expected: str) -> bool:
    """The request presents `expected` (`Authorization: Bearer <token>` or `?token=`).

    With no token set, every request is refused.

    How the privacy and metrics endpoints check their token.
    """
    header = request.headers.get("Authorization", "")
    presented = header[7:].strip() if header.lower().startswith("bearer ") else request.args.get("token", "")
    return bool(expected) and hmac.compare_digest(presented.encode(), expected.encode())


def action_token(settings: Settings) -> str:
    """The configured action token, else one derived from the API token, else "" (none to share)."""
    if settings.action_token:
        return settings.action_token
    if not settings.api_token:
        return ""
    return hmac.new(settings.api_token.encode(), b"backcare action server", hashlib.sha256).hexdigest()


def session_secret(settings: Settings) -> str:
    if settings.session_secret:
        return settings.session_secret
    if not SESSION_SECRET_FILE.exists():
        RUNTIME_DIR.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(SESSION_SECRET_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
    return SESSION_SECRET_FILE.read_text().strip()
