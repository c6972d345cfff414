"""Private links to a person's pain chart and doctor's summary, served by the web page.

    <page url>/care/chart/<token>.png
    <page url>/care/summary/<token>.pdf

The token carries the conversation id and an expiry time, signed with
HMAC-SHA256 under `BACKCARE_SESSION_SECRET`; whoever holds the link can open it
until it expires, so it is only ever sent to the person, in their own chat.
The signed message starts with a purpose label and names the kind of file, so
a link's signature cannot stand for a web session id or for the other kind.
The conversation id is readable in the token (base64), not secret: a web
conversation id lacks the signature that makes a session id usable.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Dict, Optional

from bot import clock
from bot.settings import Settings, current_settings

# Long enough to open the chart or download the summary after asking for it,
# short enough that a link forwarded or found later shows nothing.
LINK_LIFETIME = timedelta(hours=1)
# Kind of file -> the suffix of its path.
SUFFIXES: Dict[str, str] = {"chart": "png", "summary": "pdf"}
PURPOSE = b"backcare care link v1"
PATH_PREFIX = "/care/"
MAX_TOKEN_CHARS = 600  # a conversation id is at most a few hundred characters


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _secret(settings: Settings) -> bytes:
    if not settings.session_secret:
        raise RuntimeError("BACKCARE_SESSION_SECRET is not set: care links cannot be signed")
    return settings.session_secret.encode()


def _signature(payload: str, kind: str, settings: Settings) -> str:
    message = b"\0".join([PURPOSE, kind.encode("ascii"), payload.encode("ascii")])
    return _encode(hmac.new(_secret(settings), message, hashlib.sha256).digest())


def care_token(
    conversation_id: str, kind: str, now: Optional[datetime] = None, settings: Optional[Settings] = None
) -> str:
    """`<payload>.<signature>`: the payload is base64url of "<expiry unix time>:<conversation id>"."""
    if kind not in SUFFIXES:
        raise ValueError(f"no care link of kind {kind!r}")
    expires = int(((now or clock.now()) + LINK_LIFETIME).timestamp())
    payload = _encode(f"{expires}:{conversation_id}".encode())
    return f"{payload}.{_signature(payload, kind, settings or current_settings())}"


def care_link(
    conversation_id: str, kind: str, now: Optional[datetime] = None, settings: Optional[Settings] = None
) -> str:
    """The full URL of the person's `kind` file ("chart" or "summary"), valid for LINK_LIFETIME."""
    settings = settings or current_settings()
    token = care_token(conversation_id, kind, now, settings)
    return f"{settings.page_url()}{PATH_PREFIX}{kind}/{token}.{SUFFIXES[kind]}"


def verify_care_token(
    token: str, kind: str, now: Optional[datetime] = None, settings: Optional[Settings] = None
) -> Optional[str]:
    """The conversation id a valid, unexpired `kind` token names; None for anything else."""
    settings = settings or current_settings()
    if kind not in SUFFIXES or not settings.session_secret or len(token) > MAX_TOKEN_CHARS:
        return None
    payload, dot, signature = token.partition(".")
    if not dot or not payload.isascii() or not signature.isascii():
        return None
    if not hmac.compare_digest(signature.encode(), _signature(payload, kind, settings).encode()):
        return None
    try:
        expires, colon, conversation_id = _decode(payload).decode("utf-8").partition(":")
        expiry = int(expires)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not colon or not conversation_id or (now or clock.now()).timestamp() >= expiry:
        return None
    return conversation_id


def care_link_kind(url: str, page_url: str) -> Optional[str]:
    """The kind of care file `url` names on the page at `page_url`, or None for any other URL."""
    prefix = page_url.rstrip("/") + PATH_PREFIX
    if not url.startswith(prefix):
        return None
    kind, slash, name = url[len(prefix) :].partition("/")
    if slash and kind in SUFFIXES and "/" not in name and name.endswith("." + SUFFIXES[kind]):
        return kind
    return None
