"""Private links to a person's pain chart and doctor's summary, served by the web page.

    <page url>/care/chart/<token>.png
    <page url>/care/summary/<token>.pdf

The token carries the conversation id, the person's language and an expiry
time, signed with HMAC-SHA256 under `BACKCARE_SESSION_SECRET`; whoever holds
the link can open it until it expires, so it is only ever sent to the person,
in their own chat. The language travels in the link because the page serves
it without the conversation: a link made in a German conversation gives a
German chart and PDF, wherever it is opened. The signed message starts with a
purpose label and names the kind of file, so a link's signature cannot stand
for a web session id or for the other kind. The label names the payload's
layout (v2 added the language): the v1 link of a sender "de:x" ("<expiry>:de:x")
would read under v2 as the link of sender "x", so a v1 signature never verifies.
The conversation id is readable in the token (base64), not secret: a web
conversation id lacks the signature that makes a session id usable.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Dict, Optional

from bot import clock
from bot.languages import DEFAULT, SUPPORTED, normalise
from bot.settings import Settings, current_settings

# Long enough to open the chart or download the summary after asking for it,
# short enough that a link forwarded or found later shows nothing.
LINK_LIFETIME = timedelta(hours=1)
# Kind of file -> the suffix of its path.
SUFFIXES: Dict[str, str] = {"chart": "png", "summary": "pdf"}
PURPOSE = b"backcare care link v2"
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


@dataclass(frozen=True)
class CareLink:
    """What a correctly signed token names: whose file, in which language, until when."""

    conversation_id: str
    language: str
    expires_at: int  # unix time

    def expired(self, now: Optional[datetime] = None) -> bool:
        return (now or clock.now()).timestamp() >= self.expires_at


def care_token(
    conversation_id: str,
    kind: str,
    now: Optional[datetime] = None,
    settings: Optional[Settings] = None,
    language: Optional[str] = None,
) -> str:
    """`<payload>.<signature>`, the payload base64url of "<expiry unix time>:<language>:<conversation id>"."""
    if kind not in SUFFIXES:
        raise ValueError(f"no care link of kind {kind!r}")
    expires = int(((now or clock.now()) + LINK_LIFETIME).timestamp())
    payload = _encode(f"{expires}:{normalise(language) or DEFAULT}:{conversation_id}".encode())
    return f"{payload}.{_signature(payload, kind, settings or current_settings())}"


def care_link(
    conversation_id: str,
    kind: str,
    now: Optional[datetime] = None,
    settings: Optional[Settings] = None,
    language: Optional[str] = None,
) -> str:
    """The URL of the person's `kind` file ("chart" or "summary") in `language`, valid for LINK_LIFETIME."""
    settings = settings or current_settings()
    token = care_token(conversation_id, kind, now, settings, language)
    return f"{settings.page_url()}{PATH_PREFIX}{kind}/{token}.{SUFFIXES[kind]}"


def read_care_token(token: str, kind: str, settings: Optional[Settings] = None) -> Optional[CareLink]:
    """What a correctly signed `kind` token names, expired or not; None for anything else.

    An expired link still tells the page which language to refuse it in.
    """
    settings = settings or current_settings()
    if kind not in SUFFIXES or not settings.session_secret or len(token) > MAX_TOKEN_CHARS:
        return None
    payload, dot, signature = token.partition(".")
    if not dot or not payload.isascii() or not signature.isascii():
        return None
    if not hmac.compare_digest(signature.encode(), _signature(payload, kind, settings).encode()):
        return None
    try:
        expires, language, conversation_id = _decode(payload).decode("utf-8").split(":", 2)
        expiry = int(expires)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if language not in SUPPORTED or not conversation_id:
        return None
    return CareLink(conversation_id, language, expiry)


def open_care_token(
    token: str, kind: str, now: Optional[datetime] = None, settings: Optional[Settings] = None
) -> Optional[CareLink]:
    """What a valid, unexpired `kind` token names; None for anything else."""
    link = read_care_token(token, kind, settings)
    return None if link is None or link.expired(now) else link


def verify_care_token(
    token: str, kind: str, now: Optional[datetime] = None, settings: Optional[Settings] = None
) -> Optional[str]:
    """The conversation id a valid, unexpired `kind` token names; None for anything else."""
    link = open_care_token(token, kind, now, settings)
    return link.conversation_id if link else None


def care_link_kind(url: str, page_url: str) -> Optional[str]:
    """The kind of care file `url` names on the page at `page_url`, or None for any other URL."""
    prefix = page_url.rstrip("/") + PATH_PREFIX
    if not url.startswith(prefix):
        return None
    kind, slash, name = url[len(prefix) :].partition("/")
    if slash and kind in SUFFIXES and "/" not in name and name.endswith("." + SUFFIXES[kind]):
        return kind
    return None
