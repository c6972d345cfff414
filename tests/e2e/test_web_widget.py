"""The web chat widget in a real headless Chromium against the real servers."""

from __future__ import annotations

import pytest
import requests

from bot import paths
from bot.channels.conversation_ids import web_conversation
from support.client import BackCareClient

pytestmark = pytest.mark.e2e

SCREENSHOT = paths.RUNTIME_DIR / "screenshots" / "web-chat.png"


@pytest.fixture
def page(browser, backcare: BackCareClient):
    context = browser.new_context(viewport={"width": 390, "height": 760})  # a phone screen
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(backcare.settings.web_url + "/")
    yield page
    context.close()


def bot_said(page, text: str) -> None:
    page.locator(".msg--bot", has_text=text).last.wait_for()


def send(page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_label("Your message").press("Enter")


def test_acute_conversation_with_buttons_image_and_reload(page, backcare: BackCareClient) -> None:
    send(page, "hello")
    bot_said(page, "not a doctor")
    send(page, "my lower back hurts")
    bot_said(page, "How strong is the pain")
    page.get_by_role("button", name="8 - severe").click()
    page.locator(".msg--user", has_text="8 - severe").wait_for()
    bot_said(page, "How long")
    send(page, "since yesterday")
    bot_said(page, "spread into a leg")
    page.get_by_role("button", name="No, only my back").click()
    for number in range(1, 5):
        bot_said(page, f"Safety check {number} of 4")
        page.get_by_role("button", name="No", exact=True).last.click()
    bot_said(page, "spare your back")
    bot_said(page, "Step 1 of")
    image = page.locator(".msg--bot img").last
    image.wait_for()
    assert image.get_attribute("src").endswith("/static/img/exercise-shoulder_circles.png")
    # The page's CSP forbids eval, so no wait_for_function: decode() waits for the image.
    image.evaluate("img => img.decode()")
    assert image.evaluate("img => img.naturalWidth") > 0

    # A narrow phone screen needs no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    before = page.locator(".msg").count()
    page.reload()
    bot_said(page, "spare your back")
    assert page.locator(".msg").count() == before
    send(page, "next")
    bot_said(page, "Step 2 of")  # replies still reach the reloaded page

    session_id = page.evaluate("JSON.parse(localStorage.getItem('backcare.chat.v1')).sessionId")
    slots = backcare.slots(web_conversation(session_id))
    assert (slots["pain_level"], slots["triage"]) == (8, "acute")


def test_red_flag_conversation(page, backcare: BackCareClient) -> None:
    send(page, "my back hurts and I can't feel my groin")
    bot_said(page, "emergency department")
    assert page.locator(".msg--bot img").count() == 0


def test_widget_is_accessible_by_keyboard_and_screen_reader(page) -> None:
    assert page.get_by_role("log").get_attribute("aria-live") == "polite"
    assert page.evaluate("document.activeElement.id") == "message"
    page.keyboard.type("hello")
    page.keyboard.press("Enter")
    bot_said(page, "not a doctor")
    assert page.evaluate("document.activeElement.id") == "message"


def test_socketio_accepts_only_the_page_origin(backcare: BackCareClient) -> None:
    url = f"{backcare.settings.rasa_url}/socket.io/?EIO=4&transport=polling"
    for origin in backcare.settings.web_origins:  # 127.0.0.1 and localhost
        allowed = requests.get(url, headers={"Origin": origin}, timeout=10)
        assert allowed.status_code == 200
        # Exactly one grant: two ("multiple values") make the browser refuse it.
        assert allowed.headers.get("Access-Control-Allow-Origin") == origin
        rest = requests.options(
            f"{backcare.settings.rasa_url}/webhooks/rest/webhook",
            headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
            timeout=10,
        )
        assert rest.headers.get("Access-Control-Allow-Origin") in (None, "")  # REST is not for browsers
    refused = requests.get(url, headers={"Origin": "http://evil.example"}, timeout=10)
    assert refused.status_code >= 400
    cors = requests.options(
        f"{backcare.settings.rasa_url}/webhooks/rest/webhook",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    assert cors.headers.get("Access-Control-Allow-Origin") in (None, "")


CHART_SCREENSHOT = paths.RUNTIME_DIR / "screenshots" / "care-chart.png"
SUMMARY_SCREENSHOT = paths.RUNTIME_DIR / "screenshots" / "care-summary.png"


def test_chart_summary_and_a_waiting_reminder_in_the_widget(page, backcare: BackCareClient) -> None:
    """A person with a week of check-ins sees their chart, downloads the summary,
    and a reminder that came while the page was closed shows when it opens."""
    from datetime import timedelta

    from bot import clock
    from bot.care.records import CareRecords
    from bot.care.reminders import ReminderStore
    from bot.knowledge import create_engine_for

    send(page, "hello")
    bot_said(page, "not a doctor")
    session_id = page.evaluate("JSON.parse(localStorage.getItem('backcare.chat.v1')).sessionId")
    person = web_conversation(session_id)
    engine = create_engine_for(backcare.configuration.database_url)
    records = CareRecords(engine)
    start = clock.now() - timedelta(days=6)
    try:
        for day, pain in enumerate((7, 7, 6, 5, 5, 4, 3)):
            clock.use_clock(start + timedelta(days=day))
            records.record_check_in(person, pain, "none", "check_in", stage="acute", duration_weeks=0.5)
    finally:
        clock.use_clock(None)

    send(page, "how am I doing?")
    bot_said(page, "7/10 -> 3/10 over 6 days")
    chart = page.locator(".msg--bot img").last
    chart.wait_for()
    assert "/care/chart/" in chart.get_attribute("src")
    chart.evaluate("img => img.decode()")
    assert chart.evaluate("img => img.naturalWidth") == 640
    CHART_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(CHART_SCREENSHOT))
    send(page, "summary for my doctor")
    link = page.get_by_role("link", name="Download the summary (PDF)")
    link.wait_for()
    document = requests.get(link.get_attribute("href"), timeout=30)
    assert document.status_code == 200 and document.content.startswith(b"%PDF")
    page.screenshot(path=str(SUMMARY_SCREENSHOT))

    # A reminder's slot came while the page was closed: it waits for the page.
    reminders = ReminderStore(engine)
    reminder = reminders.set(person, 8, 0, "Europe/Berlin")
    assert reminders.claim(reminder, reminder.next_due_at, waiting=True)
    page.reload()
    bot_said(page, "Time for your daily back check-in")
    before = page.locator(".msg--bot", has_text="Time for your daily back check-in").count()
    page.reload()  # shown once, not on every visit
    bot_said(page, "How is it today")
    assert page.locator(".msg--bot", has_text="Time for your daily back check-in").count() == before
