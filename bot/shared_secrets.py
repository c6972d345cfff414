"""The two secrets the servers share besides the API token.

- `BACKCARE_ACTION_TOKEN`: the header Rasa sends to the action server and the
  action server requires. Unset, it is derived from `BACKCARE_API_TOKEN`, so a
  deployment that sets the API token needs nothing more; with neither, one is
  made for the servers this process starts.
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
from typing import Mapping

from bot.paths import RUNTIME_DIR

SESSION_SECRET_FILE = RUNTIME_DIR / "session.secret"


def action_token(environ: Mapping[str, str] = os.environ) -> str:
    explicit = environ.get("BACKCARE_ACTION_TOKEN", "")
    if explicit:
        return explicit
    api_token = environ.get("BACKCARE_API_TOKEN", "")
    if not api_token:
        return os.environ.setdefault("BACKCARE_ACTION_TOKEN", secrets.token_hex(32))
    return hmac.new(api_token.encode(), b"backcare action server", hashlib.sha256).hexdigest()


def session_secret(environ: Mapping[str, str] = os.environ) -> str:
    explicit = environ.get("BACKCARE_SESSION_SECRET", "")
    if explicit:
        return explicit
    if not SESSION_SECRET_FILE.exists():
        RUNTIME_DIR.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(SESSION_SECRET_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
    return SESSION_SECRET_FILE.read_text().strip()
