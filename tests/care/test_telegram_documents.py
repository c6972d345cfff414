"""Telegram gets a person's chart and summary as uploads, fetched from the real page server.

Telegram's servers cannot open our page's private links, so the channel sends
the files' bytes: the Bot API stand-in records each multipart upload.
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Iterator, List

import pytest
import requests

from bot import clock
from bot.care.links import LINK_LIFETIME, care_link
from bot.care.records import CareRecords
from bot.channels import telegram_format as fmt
from bot.channels.telegram import NOT_ATTACHED_REPLIES, TelegramInput, TelegramOutput, TelegramSettings
from bot.knowledge import create_engine_for
from bot.replies import reply_text
from bot.settings import Settings
from support.database import seeded_sqlite
from support.page_server import serving_page, settings_for_page
from support.ports import free_port
from support.telegram_standin import TELEGRAM_TEST_SECRET, TELEGRAM_TEST_TOKEN, BotApiStandIn, RecordedCall

pytestmark = pytest.mark.e2e  # serves the page and a Bot API stand-in on ports

NOW = datetime(2026, 3, 14, 10, 0, tzinfo=timezone.utc)
CHAT = "1001"
PERSON = f"telegram:{CHAT}"


@pytest.fixture(scope="module")
def telegram_api() -> Iterator[BotApiStandIn]:
    stand_in = BotApiStandIn().start()
    yield stand_in
    stand_in.stop()


def with_telegram(telegram_api: BotApiStandIn, **fields: Any) -> Settings:
    return settings_for_page(
        session_secret=secrets.token_hex(32),
        telegram_token=TELEGRAM_TEST_TOKEN,
        telegram_secret_token=TELEGRAM_TEST_SECRET,
        telegram_api_url=telegram_api.url,
        **fields,
    )


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory, telegram_api: BotApiStandIn) -> Settings:
    database_url = seeded_sqlite(tmp_path_factory.mktemp("telegram-documents") / "backcare.db")
    records = CareRecords(create_engine_for(database_url))
    try:
        for days_ago, pain in ((3, 8), (1, 6), (0, 5)):
            clock.use_clock(NOW - timedelta(days=days_ago))
            records.record_check_in(PERSON, pain, "none", "check_in", stage="acute", duration_weeks=1)
    finally:
        clock.use_clock(None)
    return with_telegram(telegram_api, database_url=database_url)


@pytest.fixture(scope="module")
def page(settings: Settings) -> Iterator[str]:
    with serving_page(settings) as url:
        yield url


@pytest.fixture(autouse=True)
def pinned_clock(telegram_api: BotApiStandIn) -> Iterator[None]:
    clock.use_clock(NOW)
    telegram_api.take()
    yield
    clock.use_clock(None)


def send(settings: Settings, *messages: Dict[str, Any]) -> None:
    """Sends `messages` as Rasa does after a turn, through the output channel the input
    channel gives (also what Rasa's trigger_intent uses)."""

    async def run() -> None:
        output = TelegramInput(TelegramSettings.from_settings(settings)).get_output_channel()
        assert isinstance(output, TelegramOutput)
        try:
            for message in messages:
                await output.send_response(PERSON, dict(message))
        finally:
            await output.bot.session.close()

    asyncio.run(run())


def methods(calls: List[RecordedCall]) -> List[str]:
    return [call.method for call in calls]


def test_the_chart_is_uploaded_as_a_photo(page: str, settings: Settings, telegram_api: BotApiStandIn) -> None:
    link = care_link(PERSON, "chart", NOW, settings)
    send(settings, {"text": "Your pain record, one score a day:", "image": link})
    calls = telegram_api.take()
    assert methods(calls) == ["sendMessage", "sendPhoto"]
    photo = calls[1]
    assert photo.token == TELEGRAM_TEST_TOKEN
    assert photo.data["chat_id"] == CHAT
    assert "photo" not in photo.data  # an upload, not a link Telegram would have to fetch
    upload = photo.files["photo"]
    assert upload.filename == "backcare-chart.png"
    assert upload.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert upload.data == requests.get(link, timeout=30).content


def test_the_summary_is_uploaded_as_a_document(
    page: str, settings: Settings, telegram_api: BotApiStandIn
) -> None:
    link = care_link(PERSON, "summary", NOW, settings)
    send(settings, {"text": "The same summary as a PDF:", "attachment": link})
    calls = telegram_api.take()
    assert methods(calls) == ["sendMessage", "sendDocument"]
    document = calls[1]
    assert document.data["chat_id"] == CHAT
    upload = document.files["document"]
    assert upload.filename == "backcare-summary.pdf"
    assert upload.data.startswith(b"%PDF-")
    assert upload.data == requests.get(link, timeout=30).content


def test_a_file_that_cannot_be_fetched_is_said_in_words(
    page: str, settings: Settings, telegram_api: BotApiStandIn
) -> None:
    expired = care_link(PERSON, "chart", NOW - LINK_LIFETIME, settings)  # the page answers 404
    nobody = care_link("telegram:2002", "summary", NOW, settings)  # no records: 404 too
    send(settings, {"image": expired}, {"attachment": nobody})
    calls = telegram_api.take()
    assert methods(calls) == ["sendMessage", "sendMessage"]
    assert calls[0].data["text"] == fmt.to_html(reply_text(NOT_ATTACHED_REPLIES["chart"]))
    assert calls[1].data["text"] == fmt.to_html(reply_text(NOT_ATTACHED_REPLIES["summary"]))
    assert all(call.data["chat_id"] == CHAT for call in calls)


def test_a_page_that_does_not_answer_is_said_in_words(telegram_api: BotApiStandIn) -> None:
    closed = with_telegram(telegram_api, database_url="sqlite://")  # no page is served for it
    send(closed, {"attachment": care_link(PERSON, "summary", NOW, closed)})
    calls = telegram_api.take()
    assert methods(calls) == ["sendMessage"]
    assert calls[0].data["text"] == fmt.to_html(reply_text(NOT_ATTACHED_REPLIES["summary"]))


def test_other_images_and_attachments_keep_their_links(
    page: str, settings: Settings, telegram_api: BotApiStandIn
) -> None:
    image = f"{page}/static/img/exercise-bird_dog.png"
    elsewhere = f"http://127.0.0.1:{free_port()}/care/chart/token.png"  # not our page
    send(settings, {"image": image}, {"image": elsewhere}, {"attachment": "https://example.org/leaflet.pdf"})
    calls = telegram_api.take()
    assert methods(calls) == ["sendPhoto", "sendPhoto", "sendMessage"]
    assert calls[0].data["photo"] == image and not calls[0].files
    assert calls[1].data["photo"] == elsewhere
    assert "https://example.org/leaflet.pdf" in calls[2].data["text"]
