"""Care links: signed, expiring, bound to their kind of file and to this deployment's secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta, timezone
from typing import Callable

import pytest

from bot import clock
from bot.care.links import (
    LINK_LIFETIME,
    PURPOSE,
    _encode,
    care_link,
    care_link_kind,
    care_token,
    open_care_token,
    read_care_token,
    verify_care_token,
)
from bot.settings import Settings

NOW = datetime(2026, 3, 14, 10, 0, tzinfo=timezone.utc)
PERSON = "telegram:123456789"
PAGE = "https://backcare.example.org"


@pytest.fixture
def settings(use_settings: Callable[..., Settings]) -> Settings:
    return use_settings(session_secret="s" * 64, public_url=PAGE)


def test_a_link_names_the_person_until_it_expires(settings: Settings) -> None:
    token = care_token(PERSON, "chart", NOW, settings)
    assert verify_care_token(token, "chart", NOW, settings) == PERSON
    assert verify_care_token(token, "chart", NOW + LINK_LIFETIME - timedelta(seconds=1), settings) == PERSON
    assert verify_care_token(token, "chart", NOW + LINK_LIFETIME, settings) is None
    assert verify_care_token(token, "chart", NOW + timedelta(days=30), settings) is None


def test_the_urls_live_under_the_page(settings: Settings) -> None:
    chart = care_link(PERSON, "chart", NOW, settings)
    summary = care_link(PERSON, "summary", NOW, settings)
    assert chart.startswith(f"{PAGE}/care/chart/") and chart.endswith(".png")
    assert summary.startswith(f"{PAGE}/care/summary/") and summary.endswith(".pdf")
    token = chart[len(f"{PAGE}/care/chart/") : -len(".png")]
    assert verify_care_token(token, "chart", NOW, settings) == PERSON
    assert care_link_kind(chart, PAGE) == "chart"
    assert care_link_kind(summary, PAGE + "/") == "summary"
    assert care_link_kind(chart, "https://elsewhere.example.org") is None
    assert care_link_kind(f"{PAGE}/static/img/exercise-bird_dog.png", PAGE) is None
    assert care_link_kind(f"{PAGE}/care/chart/a/b.png", PAGE) is None
    assert care_link_kind(f"{PAGE}/care/chart/token.pdf", PAGE) is None


def test_the_defaults_are_this_process_settings_and_clock(settings: Settings) -> None:
    clock.use_clock(NOW)
    try:
        link = care_link(PERSON, "summary")
        token = link.rsplit("/", 1)[1].removesuffix(".pdf")
        assert verify_care_token(token, "summary") == PERSON
        clock.use_clock(NOW + LINK_LIFETIME)
        assert verify_care_token(token, "summary") is None
    finally:
        clock.use_clock(None)


def test_a_changed_token_names_nobody(settings: Settings) -> None:
    token = care_token(PERSON, "chart", NOW, settings)
    payload, signature = token.split(".")
    other = care_token("telegram:987654321", "chart", NOW, settings).split(".")[0]
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    for tampered in (
        f"{other}.{signature}",  # someone else's id under this signature
        f"{payload}.{flipped}",
        f"{payload[:-2]}.{signature}",
        f"{payload}{signature}",
        f"{payload}..{signature}",
        f"{payload}.",
        "",
        ".",
        "not-a-token",
        "é.é",
        "x" * 5000 + "." + signature,
    ):
        assert verify_care_token(tampered, "chart", NOW, settings) is None, tampered


def test_a_chart_link_does_not_open_the_summary(settings: Settings) -> None:
    token = care_token(PERSON, "chart", NOW, settings)
    assert verify_care_token(token, "summary", NOW, settings) is None
    assert verify_care_token(token, "anything", NOW, settings) is None
    with pytest.raises(ValueError):
        care_token(PERSON, "anything", NOW, settings)


def test_another_secret_does_not_accept_the_link(settings: Settings) -> None:
    token = care_token(PERSON, "chart", NOW, settings)
    other = Settings(session_secret="t" * 64, public_url=PAGE)
    assert verify_care_token(token, "chart", NOW, other) is None
    assert verify_care_token(token, "chart", NOW, Settings(public_url=PAGE)) is None  # no secret at all
    with pytest.raises(RuntimeError, match="BACKCARE_SESSION_SECRET"):
        care_link(PERSON, "chart", NOW, Settings(public_url=PAGE))


def test_a_signature_without_the_purpose_is_refused(settings: Settings) -> None:
    """A plain HMAC of the payload (how web session ids are signed) is not a care-link signature."""
    payload = care_token(PERSON, "chart", NOW, settings).split(".")[0]
    plain = hmac.new(settings.session_secret.encode(), payload.encode(), hashlib.sha256)
    for signature in (plain.hexdigest()[:32], base64.urlsafe_b64encode(plain.digest()).decode().rstrip("=")):
        assert verify_care_token(f"{payload}.{signature}", "chart", NOW, settings) is None


def test_the_link_carries_the_persons_language(settings: Settings) -> None:
    german = care_token(PERSON, "summary", NOW, settings, language="de")
    link = open_care_token(german, "summary", NOW, settings)
    assert link is not None and (link.conversation_id, link.language) == (PERSON, "de")
    assert verify_care_token(german, "summary", NOW, settings) == PERSON
    for language, read_as in (("de-AT", "de"), ("en", "en"), (None, "en"), ("fr", "en")):
        token = care_token(PERSON, "chart", NOW, settings, language=language)
        assert read_care_token(token, "chart", settings).language == read_as  # type: ignore[union-attr]
    # An expired link still names its language (the page refuses it in German), but opens nothing.
    late = NOW + LINK_LIFETIME
    assert open_care_token(german, "summary", late, settings) is None
    expired = read_care_token(german, "summary", settings)
    assert expired is not None and expired.expired(late) and expired.language == "de"


def test_the_language_cannot_be_changed_or_made_up(settings: Settings) -> None:
    """The language is signed with the rest; a payload with a language BackCare does not speak is refused."""
    german = care_token(PERSON, "chart", NOW, settings, language="de")
    english_payload = care_token(PERSON, "chart", NOW, settings, language="en").split(".")[0]
    assert verify_care_token(f"{english_payload}.{german.split('.')[1]}", "chart", NOW, settings) is None
    expires = int((NOW + LINK_LIFETIME).timestamp())
    payload = _encode(f"{expires}:fr:{PERSON}".encode())
    signature = _encode(
        hmac.new(
            settings.session_secret.encode(),
            b"\0".join([PURPOSE, b"chart", payload.encode()]),
            hashlib.sha256,
        ).digest()
    )
    assert read_care_token(f"{payload}.{signature}", "chart", settings) is None


def test_a_link_of_the_old_layout_does_not_verify(settings: Settings) -> None:
    """v1 payloads had no language: the v1 link of sender "de:x" must not open sender "x" in German."""
    expires = int((NOW + LINK_LIFETIME).timestamp())
    payload = _encode(f"{expires}:de:x".encode())
    message = b"\0".join([b"backcare care link v1", b"chart", payload.encode()])
    signature = _encode(hmac.new(settings.session_secret.encode(), message, hashlib.sha256).digest())
    assert read_care_token(f"{payload}.{signature}", "chart", settings) is None
