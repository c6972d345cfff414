"""The page server's chart and summary, over HTTP from the real app with a real SQLite database."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest
import requests

from bot import clock
from bot.care.links import LINK_LIFETIME, care_link
from bot.care.records import CareRecords
from bot.care.wording import wording
from bot.knowledge import ExerciseRepository, create_engine_for
from bot.settings import Settings
from bot.web.care_pages import browser_language
from support.database import seeded_sqlite
from support.page_server import serving_page, settings_for_page
from support.ports import free_port

pytestmark = pytest.mark.e2e  # serves the page on a port

NOW = datetime(2026, 3, 14, 10, 0, tzinfo=timezone.utc)
PERSON = "telegram:1001"
NOT_FOUND = wording().say("pages.not_found")


def record_person(database_url: str, conversation_id: str) -> None:
    """Three days of check-ins and one exercise, as the actions record them."""
    records = CareRecords(create_engine_for(database_url))
    for days_ago, pain in ((4, 7), (2, 6), (0, 4)):
        clock.use_clock(NOW - timedelta(days=days_ago))
        records.record_check_in(conversation_id, pain, "none", "check_in", stage="acute", duration_weeks=1)
    ExerciseRepository(create_engine_for(database_url)).record_feedback(
        conversation_id, "pelvic_tilt_lying", "completed"
    )


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    database_url = seeded_sqlite(tmp_path_factory.mktemp("care-pages") / "backcare.db")
    try:
        record_person(database_url, PERSON)
    finally:
        clock.use_clock(None)
    return settings_for_page(database_url=database_url, session_secret=secrets.token_hex(32))


@pytest.fixture(scope="module")
def page(settings: Settings) -> Iterator[str]:
    with serving_page(settings) as url:
        yield url


@pytest.fixture(autouse=True)
def pinned_clock(settings: Settings) -> Iterator[None]:
    clock.use_clock(NOW)
    yield
    clock.use_clock(None)


def get(url: str) -> requests.Response:
    return requests.get(url, timeout=30)


def assert_refused(response: requests.Response) -> None:
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.text == NOT_FOUND
    assert response.headers["Cache-Control"] == "no-store, private"


def test_the_chart_link_gives_the_persons_chart(page: str, settings: Settings) -> None:
    response = get(care_link(PERSON, "chart", NOW, settings))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Cache-Control"] == "no-store, private"
    assert response.headers["X-Content-Type-Options"] == "nosniff"  # the page's headers apply too
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_the_summary_link_downloads_a_pdf(page: str, settings: Settings) -> None:
    response = get(care_link(PERSON, "summary", NOW, settings))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="backcare-summary.pdf"'
    assert response.headers["Cache-Control"] == "no-store, private"
    assert response.content.startswith(b"%PDF-")
    assert b"/Subtype /Image" in response.content  # the chart is in it


def test_someone_without_records_gets_nothing(page: str, settings: Settings) -> None:
    assert_refused(get(care_link("telegram:2002", "chart", NOW, settings)))
    assert_refused(get(care_link("telegram:2002", "summary", NOW, settings)))


def test_a_changed_expired_or_misplaced_link_gets_nothing(page: str, settings: Settings) -> None:
    chart = care_link(PERSON, "chart", NOW, settings)
    other = care_link("telegram:2002", "chart", NOW, settings)
    payload, signature = chart.rsplit("/", 1)[1].removesuffix(".png").split(".")
    other_payload = other.rsplit("/", 1)[1].split(".")[0]
    assert_refused(get(f"{page}/care/chart/{other_payload}.{signature}.png"))  # another person's id
    assert_refused(get(f"{page}/care/chart/{payload}.{signature[::-1]}.png"))
    assert_refused(get(f"{page}/care/summary/{payload}.{signature}.pdf"))  # a chart token for the summary
    assert_refused(get(care_link(PERSON, "chart", NOW - LINK_LIFETIME, settings)))  # made an hour ago
    stranger = Settings(session_secret=secrets.token_hex(32), public_url=page)
    assert_refused(get(care_link(PERSON, "chart", NOW, stranger)))
    assert get(f"{page}/care/chart/{payload}.{signature}.pdf").status_code == 404
    assert get(f"{page}/care/other/{payload}.{signature}.png").status_code == 404


def test_a_database_that_is_down_gets_503_without_a_traceback(tmp_path: Path) -> None:
    down = settings_for_page(
        database_url=f"postgresql://backcare@127.0.0.1:{free_port()}/backcare",  # nothing listens
        session_secret=secrets.token_hex(32),
    )
    with serving_page(down) as url:
        assert get(f"{url}/health").status_code == 200  # the chat page itself still works
        for kind in ("chart", "summary"):
            response = get(care_link(PERSON, kind, NOW, down))
            assert response.status_code == 503
            assert response.text == wording().say("pages.unavailable")
            assert "Traceback" not in response.text and "postgresql" not in response.text
            assert response.headers["Cache-Control"] == "no-store, private"


def pdf_title(pdf: bytes) -> str:
    """The title in the PDF's information dictionary: plain ASCII, or UTF-16 with a byte-order mark."""
    unicode = re.search(rb"/Title <feff([0-9a-f]+)>", pdf)
    if unicode:
        return bytes.fromhex(unicode[1].decode()).decode("utf-16-be")
    plain = re.search(rb"/Title \(([^)]*)\)", pdf)
    assert plain, "no title"
    return plain[1].decode("ascii")


def test_a_link_made_in_german_serves_a_german_pdf(page: str, settings: Settings) -> None:
    response = get(care_link(PERSON, "summary", NOW, settings, language="de"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "de"
    assert response.headers["Content-Disposition"] == 'attachment; filename="backcare-zusammenfassung.pdf"'
    assert b"/Lang (de)" in response.content
    assert (
        pdf_title(response.content)
        == wording("de").say("summary.title")
        == ("BackCare-Bericht für Arzt- oder Physiotherapiepraxis")
    )
    english = get(care_link(PERSON, "summary", NOW, settings))
    assert english.headers["Content-Language"] == "en" and b"/Lang (en)" in english.content
    assert pdf_title(english.content) == wording("en").say("summary.title")


def test_a_link_made_in_german_serves_a_german_chart(page: str, settings: Settings) -> None:
    german = get(care_link(PERSON, "chart", NOW, settings, language="de"))
    english = get(care_link(PERSON, "chart", NOW, settings, language="en"))
    assert german.status_code == english.status_code == 200
    assert german.headers["Content-Language"] == "de"
    assert german.content.startswith(b"\x89PNG") and german.content != english.content  # other words


def test_refusals_speak_the_links_or_the_browsers_language(page: str, settings: Settings) -> None:
    expired = care_link(PERSON, "summary", NOW - LINK_LIFETIME, settings, language="de")
    response = get(expired)
    assert response.status_code == 404
    assert response.text == wording("de").say("pages.not_found")
    assert response.headers["Content-Language"] == "de"
    forged = f"{page}/care/chart/not-a-token.png"
    german_browser = requests.get(forged, headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.8"}, timeout=30)
    assert german_browser.status_code == 404 and german_browser.text == wording("de").say("pages.not_found")
    english_first = requests.get(forged, headers={"Accept-Language": "en-GB,de;q=0.5"}, timeout=30)
    assert english_first.text == NOT_FOUND
    assert get(forged).text == NOT_FOUND  # no header: English


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("de-AT", "de"),
        ("en-US,en;q=0.9,de;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,de;q=0.7,en;q=0.5", "de"),
        ("fr-FR", "en"),
        ("en;q=0.2,de;q=0.8", "de"),
        ("de;q=0", "en"),
        ("de;q=abc,en", "en"),
        ("", "en"),
    ],
)
def test_the_browsers_language(header: str, language: str) -> None:
    assert browser_language(header) == language
