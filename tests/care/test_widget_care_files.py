"""The web widget shows the chart and offers the summary as a download, in a real headless Chromium.

The replies come from Rasa's own socket.io output (`SocketIOOutput`), the
class that sends an action's `image=` and `attachment=` to the page; a small
socket.io server stands in for the rest of Rasa, so no model is needed.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import socketio
from aiohttp import web
from rasa.core.channels.socketio import SocketIOOutput

from bot import clock
from bot.care.links import care_link
from bot.care.records import CareRecords
from bot.knowledge import create_engine_for
from bot.settings import Settings
from support.database import seeded_sqlite
from support.page_server import serving_app, serving_page, settings_for_page
from support.ports import free_port

pytestmark = pytest.mark.e2e  # serves the page and a socket.io stand-in; drives Chromium (`browser`)

NOW = datetime(2026, 3, 14, 10, 0, tzinfo=timezone.utc)
PERSON = "web:0123456789abcdef0123456789abcdef"


def rasa_stand_in(replies: List[Dict[str, Any]]) -> web.Application:
    """Confirms any session and answers every message with `replies`, through Rasa's SocketIOOutput."""
    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
    app = web.Application()
    sio.attach(app)

    @sio.on("session_request")
    async def session_request(sid: str, data: Any = None) -> None:
        await sio.emit("session_confirm", "stand-in-session", room=sid)

    @sio.on("user_uttered")
    async def user_uttered(sid: str, data: Any = None) -> None:
        output = SocketIOOutput(sio, "bot_uttered")
        for reply in replies:
            await output.send_response(sid, dict(reply))

    return app


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    database_url = seeded_sqlite(tmp_path_factory.mktemp("widget") / "backcare.db")
    records = CareRecords(create_engine_for(database_url))
    try:
        for days_ago, pain in ((2, 7), (0, 5)):
            clock.use_clock(NOW - timedelta(days=days_ago))
            records.record_check_in(PERSON, pain, "none", "check_in", stage="acute", duration_weeks=1)
    finally:
        clock.use_clock(None)
    return settings_for_page(database_url=database_url, session_secret=secrets.token_hex(32))


@pytest.fixture
def links(settings: Settings) -> Iterator[Dict[str, str]]:
    clock.use_clock(NOW)
    yield {kind: care_link(PERSON, kind, NOW, settings) for kind in ("chart", "summary")}
    clock.use_clock(None)


@pytest.fixture
def page_url(settings: Settings, links: Dict[str, str]) -> Iterator[str]:
    replies = [
        {"text": "Your pain record, one score a day:", "image": links["chart"]},
        {"text": "The same summary as a PDF:", "attachment": links["summary"]},
    ]
    with serving_app(rasa_stand_in(replies), free_port()) as rasa_url:
        with serving_page(settings, rasa_url) as url:
            yield url


def test_the_chart_shows_and_the_summary_downloads(
    browser: Any, page_url: str, links: Dict[str, str], tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 760}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(page_url + "/")
        page.get_by_label("Your message").fill("my summary please")
        page.get_by_label("Your message").press("Enter")

        chart = page.get_by_alt_text("Chart of your pain scores, one a day")
        chart.wait_for()
        assert chart.get_attribute("src") == links["chart"]
        chart.evaluate("img => img.decode()")  # the page's CSP lets it load
        assert chart.evaluate("img => img.naturalWidth") == 640

        download_link = page.get_by_role("link", name="Download the summary (PDF)")
        download_link.wait_for()
        assert download_link.get_attribute("href") == links["summary"]
        with page.expect_download() as started:
            download_link.click()
        download = started.value
        assert download.suggested_filename == "backcare-summary.pdf"
        saved = tmp_path / "summary.pdf"
        download.save_as(saved)
        assert saved.read_bytes().startswith(b"%PDF-")

        page.reload()  # the transcript keeps both
        page.get_by_role("link", name="Download the summary (PDF)").wait_for()
        assert page.get_by_alt_text("Chart of your pain scores, one a day").count() == 1
    finally:
        context.close()
