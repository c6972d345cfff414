"""BackCare auf Deutsch over REST, Telegram and the web widget: the same conversations, the same safety.

Every reply of a German conversation is checked to be German with the same
detector that reads the person's messages (bot/nlu/language_detection.py).
"""

from __future__ import annotations

import uuid
from typing import Any, Dict, List

import pytest

from bot.nlu.language_detection import written_language
from support.client import BackCareClient
from support.conversation import texts
from support.telegram_updates import chat, message, post

pytestmark = pytest.mark.e2e

NO_LEG_PAIN_DE = "nein, nur im rücken"
NO_WARNING_SIGNS_DE = ("nein", "nee, nichts davon", "nein, nichts", "nö")


@pytest.fixture
def sender() -> str:
    return f"e2e-de-{uuid.uuid4().hex[:12]}"


def assert_german(reply: str) -> None:
    """Every paragraph long enough to tell is German, never English."""
    paragraphs = [part for part in reply.split("\n") if len(part.split()) >= 4]
    assert paragraphs, reply
    english = [part for part in paragraphs if written_language(part) == "en"]
    assert not english, english
    assert written_language(reply) == "de", reply


def assert_english(reply: str) -> None:
    assert written_language(reply) == "en", reply


def say(backcare: BackCareClient, sender: str, text: str) -> str:
    return texts(backcare.say(sender, text))


def clear_screening_de(backcare: BackCareClient, sender: str, reply: str) -> str:
    """Answers the leg question and the four screening questions "no", in German."""
    if "in ein Bein" in reply:
        reply = say(backcare, sender, NO_LEG_PAIN_DE)
    for answer in NO_WARNING_SIGNS_DE:
        if backcare.slots(sender)["triage"] is not None:
            break
        reply = say(backcare, sender, answer)
    return reply


def to_first_exercise(backcare: BackCareClient, sender: str) -> str:
    say(backcare, sender, "Hallo")
    reply = say(backcare, sender, "Mein unterer Rücken tut seit gestern richtig weh, so 8 von 10")
    return clear_screening_de(backcare, sender, reply)


def test_a_german_conversation_from_greeting_to_the_second_step(
    backcare: BackCareClient, sender: str
) -> None:
    greeting = say(backcare, sender, "Hallo")
    assert_german(greeting)
    assert "kein Arzt" in greeting and "112" in greeting

    asked = say(backcare, sender, "Mein unterer Rücken tut seit gestern richtig weh, so 8 von 10")
    assert_german(asked)
    slots = backcare.slots(sender)
    assert slots["language"] == "de"
    assert slots["pain_level"] == 8 and slots["pain_duration_weeks"] == pytest.approx(1 / 7, abs=0.01)

    advice = clear_screening_de(backcare, sender, asked)
    assert_german(advice)
    slots = backcare.slots(sender)
    assert slots["triage"] == "acute" and slots["red_flags"] == [] and slots["crisis"] is False
    assert slots["current_exercise"] == "shoulder_circles"
    assert "Schulterkreisen" in advice and "Schritt 1 von" in advice

    step = say(backcare, sender, "weiter")
    assert "Schritt 2 von" in step
    assert_german(step)
    assert backcare.slots(sender)["current_step"] == 2


def test_the_first_message_of_the_german_ux_report_is_understood(
    backcare: BackCareClient, sender: str
) -> None:
    reply = say(
        backcare, sender, "Hallo, ich habe seit 3 Tagen starke Rückenschmerzen im unteren Rücken, so 7 von 10"
    )
    assert_german(reply)
    slots = backcare.slots(sender)
    assert slots["pain_level"] == 7 and slots["pain_duration_weeks"] == pytest.approx(3 / 7, abs=0.01)
    assert slots["red_flags"] == [] and slots["triage"] is None  # asked, not alarmed


def test_a_warning_sign_in_the_middle_of_an_exercise_stops_it(backcare: BackCareClient, sender: str) -> None:
    to_first_exercise(backcare, sender)
    assert backcare.slots(sender)["current_exercise"]

    alert = say(backcare, sender, "ich kann seit heute morgen nicht mehr pinkeln")
    assert_german(alert)
    assert "112" in alert
    slots = backcare.slots(sender)
    assert "bladder_bowel" in slots["red_flags"]
    assert slots["red_flag_urgency"] == "emergency" and slots["triage"] == "urgent"
    assert slots["current_exercise"] is None

    refused = say(backcare, sender, "weiter")
    assert_german(refused)
    assert "Schritt" not in refused
    assert backcare.slots(sender)["current_exercise"] is None


def test_crisis_talk_in_german_gets_german_crisis_lines(backcare: BackCareClient, sender: str) -> None:
    say(backcare, sender, "hab seit einer woche rückenschmerzen")
    reply = say(backcare, sender, "ich will einfach nicht mehr leben")
    assert_german(reply)
    assert "0800 111 0 111" in reply and "112" in reply
    assert backcare.slots(sender)["crisis"] is True


@pytest.mark.parametrize(
    "question",
    [
        "ist spazieren gehen gut bei hexenschuss?",
        "darf ich mit kreuzschmerzen noch arbeiten gehen",
        "wärme oder kälte, was hilft besser?",
        "ich bin gestern beim fernsehen fast eingeschlafen, ist das schlimm für den rücken?",
    ],
)
def test_ordinary_german_questions_get_answers_not_alarms(
    backcare: BackCareClient, sender: str, question: str
) -> None:
    reply = say(backcare, sender, question)
    assert_german(reply)
    slots = backcare.slots(sender)
    assert slots["red_flags"] == [] and slots["triage"] is None and slots["crisis"] is False


def test_switching_language_in_the_middle_of_the_assessment(backcare: BackCareClient, sender: str) -> None:
    asked = say(backcare, sender, "my lower back hurts")
    assert_english(asked)
    switched = say(backcare, sender, "auf Deutsch bitte")
    assert_german(switched)
    assert backcare.slots(sender)["language"] == "de"
    assert backcare.slots(sender)["requested_slot"] == "pain_level"  # the form asks its question again

    answered = say(backcare, sender, "so eine 6")
    assert_german(answered)
    assert backcare.slots(sender)["pain_level"] == 6

    back = say(backcare, sender, "English please")
    assert_english(back)
    assert backcare.slots(sender)["language"] == "en"
    assert backcare.slots(sender)["requested_slot"] == "pain_duration_weeks"
    assert_english(say(backcare, sender, "ok"))  # a short reply keeps the language


def test_a_returning_person_is_answered_in_their_language(backcare: BackCareClient, sender: str) -> None:
    say(backcare, sender, "Hallo, mein Rücken tut weh")
    # A later message too short to tell keeps the remembered language.
    reply = say(backcare, sender, "ok")
    assert_german(reply)
    assert backcare.slots(sender)["language"] == "de"


# --- Telegram --------------------------------------------------------------------


def sent_texts(backcare: BackCareClient, chat_id: int) -> List[str]:
    return [
        call.data["text"]
        for call in backcare.telegram_api.take()
        if call.method == "sendMessage" and str(call.data["chat_id"]) == str(chat_id)
    ]


def german_app(chat_id: int, text: str) -> Dict[str, Any]:
    update = message(chat_id, text=text)
    update["message"]["from"]["language_code"] = "de"
    return update


def test_telegram_start_in_a_german_app_greets_in_german(backcare: BackCareClient) -> None:
    chat_id = chat()
    backcare.telegram_api.take()
    assert post(backcare, german_app(chat_id, "/start")).status_code == 200
    greeting = "\n".join(sent_texts(backcare, chat_id))
    assert_german(greeting)
    assert "kein Arzt" in greeting

    post(backcare, german_app(chat_id, "mein kreuz tut weh"))
    calls = [c for c in backcare.telegram_api.take() if c.method == "sendMessage"]
    asked = "\n".join(call.data["text"] for call in calls)
    assert_german(asked)
    keyboards = [call.data["reply_markup"] for call in calls if "reply_markup" in call.data]
    assert keyboards and "stark" in keyboards[-1]  # the pain buttons are German too


def test_telegram_a_german_message_from_an_english_app_is_answered_in_german(
    backcare: BackCareClient,
) -> None:
    chat_id = chat()
    backcare.telegram_api.take()
    post(backcare, message(chat_id, text="Hallo, ich habe seit gestern Hexenschuss"))
    assert_german("\n".join(sent_texts(backcare, chat_id)))


def test_telegram_a_german_warning_sign_is_an_emergency(backcare: BackCareClient) -> None:
    chat_id = chat()
    backcare.telegram_api.take()
    post(backcare, german_app(chat_id, "seit heute ist alles taub untenrum, im schritt und am po"))
    alert = "\n".join(sent_texts(backcare, chat_id))
    assert_german(alert)
    assert "112" in alert


# --- the web widget in a German browser -------------------------------------------


@pytest.fixture
def german_page(browser, backcare: BackCareClient):
    context = browser.new_context(viewport={"width": 390, "height": 760}, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(backcare.settings.web_url + "/")
    yield page
    context.close()


def test_the_widget_in_a_german_browser_speaks_german_and_switches(
    german_page, backcare: BackCareClient
) -> None:
    page = german_page
    field = page.get_by_label("Ihre Nachricht")
    assert field.get_attribute("placeholder") == "Wie geht es Ihrem Rücken heute?"
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("button", name="Senden").is_visible()

    field.fill("hallo")
    field.press("Enter")
    page.locator(".msg--bot", has_text="kein Arzt").last.wait_for()

    field.fill("mein rücken tut seit 2 tagen weh, so eine 5")
    field.press("Enter")
    page.locator(".msg--bot").nth(2).wait_for()
    assert_german(page.locator(".msg--bot").last.inner_text())

    page.get_by_role("button", name="Switch to English").click()
    page.locator(".msg--bot", has_text="English").last.wait_for()
    assert page.get_by_label("Your message").get_attribute("placeholder") == "How is your back today?"
    assert page.locator("html").get_attribute("lang") == "en"
