"""The web chat widget in a real headless Chromium against the real servers."""

from __future__ import annotations

import os
import shutil
from typing import Iterator

import pytest
import requests

from bot import paths
from tests.e2e.conftest import BackCareClient

pytestmark = pytest.mark.e2e

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOT = paths.RUNTIME_DIR / "screenshots" / "web-chat.png"


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium is missing: install Debian's `chromium` package (make browser-deps does).")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


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
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())

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
    slots = backcare.slots(session_id)
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
    allowed = requests.get(url, headers={"Origin": backcare.settings.web_url}, timeout=10)
    assert allowed.status_code == 200
    assert allowed.headers.get("Access-Control-Allow-Origin") == backcare.settings.web_url
    refused = requests.get(url, headers={"Origin": "http://evil.example"}, timeout=10)
    assert refused.status_code >= 400
    cors = requests.options(
        f"{backcare.settings.rasa_url}/webhooks/rest/webhook",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    assert cors.headers.get("Access-Control-Allow-Origin") in (None, "")
