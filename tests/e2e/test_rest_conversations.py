"""Whole conversations over the REST channel, checked through the tracker API."""

from __future__ import annotations

import uuid

import pytest
import requests

from support.client import BackCareClient
from support.conversation import NO_LEG_PAIN, NO_WARNING_SIGNS, clear_screening, texts

pytestmark = pytest.mark.e2e


@pytest.fixture
def sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}"


def assess(backcare: BackCareClient, sender: str, first: str, *answers: str) -> str:
    """Sends the first message and the answers; returns the text of the last turn."""
    reply = texts(backcare.say(sender, first))
    for answer in answers:
        reply = texts(backcare.say(sender, answer))
    return reply


def test_greeting_says_it_is_not_a_doctor(backcare: BackCareClient, sender: str) -> None:
    reply = texts(backcare.say(sender, "hello"))
    assert "not a doctor" in reply
    assert "emergency" in reply
    assert backcare.slots(sender)["triage"] is None


def test_acute_severe_pain_gets_rest_advice_and_gentle_mobilisation(
    backcare: BackCareClient, sender: str
) -> None:
    backcare.say(sender, "hi")
    asked_duration = texts(backcare.say(sender, "my lower back hurts a lot, 8/10"))
    assert "How long" in asked_duration
    assert "spread into a leg" in texts(backcare.say(sender, "since yesterday"))
    asked_flags = texts(backcare.say(sender, NO_LEG_PAIN))
    assert "Safety check 1 of 4" in asked_flags and "bottom, genitals" in asked_flags
    for number, answer in enumerate(NO_WARNING_SIGNS[:-1], 2):
        assert f"Safety check {number} of 4" in texts(backcare.say(sender, answer))
    advice = texts(backcare.say(sender, NO_WARNING_SIGNS[-1]))
    assert "spare your back" in advice and "avoid bed rest" in advice
    assert "Shoulder circles" in advice and "Pelvic tilt (lying down)" in advice
    assert "Package seat" not in advice  # no kneeling on the floor at 8/10
    assert "Step 1 of" in advice

    slots = backcare.slots(sender)
    assert slots["pain_level"] == 8
    assert slots["pain_duration_weeks"] == pytest.approx(1 / 7, abs=0.01)
    assert slots["red_flags"] == [] and slots["red_flag_urgency"] is None
    assert slots["triage"] == "acute" and slots["crisis"] is False and slots["flare_up"] is False
    assert slots["current_exercise"] == "shoulder_circles"

    assert "Step 2 of" in texts(backcare.say(sender, "next"))
    assert "Step 2 of" in texts(backcare.say(sender, "say that again"))
    assert backcare.slots(sender)["current_step"] == 2


def test_acute_moderate_pain_in_one_message_skips_answered_questions(
    backcare: BackCareClient, sender: str
) -> None:
    first = texts(backcare.say(sender, "I hurt my back lifting a box, about five out of ten, two days ago"))
    assert "spread into a leg" in first and "How strong" not in first and "How long" not in first
    advice = clear_screening(backcare, sender)
    assert "Pelvic tilt (seated)" in advice and "Package seat" in advice
    slots = backcare.slots(sender)
    assert (slots["pain_level"], slots["triage"]) == (5, "acute")
    assert slots["pain_duration_weeks"] == pytest.approx(2 / 7, abs=0.01)


def test_recovery_gets_the_training_plan(backcare: BackCareClient, sender: str) -> None:
    assess(backcare, sender, "my back is a lot better now", "2", "three weeks")
    reply = clear_screening(backcare, sender)
    assert "training plan" in reply and "mild" in reply
    slots = backcare.slots(sender)
    assert (slots["pain_level"], slots["pain_duration_weeks"], slots["triage"]) == (2, 3, "recovery")
    assert slots["current_exercise"] in {
        "back_extensor_strengthening",
        "abdominal_strengthening",
        "hamstring_stretch",
        "hip_flexor_stretch",
        "glute_bridge",
        "bird_dog",
        "cat_camel",
        "knee_to_chest",
    }


def test_chronic_pain_is_sent_to_a_physiotherapist(backcare: BackCareClient, sender: str) -> None:
    assess(backcare, sender, "lower back pain for months now", "6")
    reply = clear_screening(backcare, sender)
    assert "physiotherapist" in reply
    slots = backcare.slots(sender)
    assert slots["triage"] == "chronic"
    assert slots["pain_duration_weeks"] >= 12


def test_pain_word_is_mapped_and_confirmed(backcare: BackCareClient, sender: str) -> None:
    backcare.say(sender, "my back hurts")
    reply = texts(backcare.say(sender, "it's severe"))
    assert "out of 10" in reply
    assert backcare.slots(sender)["pain_level"] == 8


def test_nonsense_answer_is_asked_again_politely(backcare: BackCareClient, sender: str) -> None:
    backcare.say(sender, "my back hurts")
    reply = texts(backcare.say(sender, "banana"))
    assert "Sorry" in reply and ("0 to 10" in reply or "How strong" in reply)
    tracker = backcare.tracker(sender)
    assert tracker["slots"]["pain_level"] is None
    assert tracker["active_loop"]["name"] == "assessment_form"
    texts(backcare.say(sender, "7"))
    assert backcare.slots(sender)["pain_level"] == 7


def test_red_flag_in_first_message_sends_to_emergency(backcare: BackCareClient, sender: str) -> None:
    reply = texts(backcare.say(sender, "my back hurts and I can't feel my groin"))
    assert "emergency department" in reply
    slots = backcare.slots(sender)
    assert slots["triage"] == "urgent"
    assert "saddle_numbness" in slots["red_flags"]
    refused = texts(backcare.say(sender, "show me the pelvic tilt"))
    assert "won't suggest exercises" in refused
    assert "Step 1" not in refused


def test_red_flag_in_the_middle_of_the_form_interrupts_it(backcare: BackCareClient, sender: str) -> None:
    backcare.say(sender, "my back hurts")
    reply = texts(backcare.say(sender, "7, and I can't control my bladder since this morning"))
    assert "emergency department" in reply
    tracker = backcare.tracker(sender)
    assert tracker["active_loop"] in ({}, None) or not tracker["active_loop"].get("name")
    assert tracker["slots"]["triage"] == "urgent"
    assert "bladder_bowel" in tracker["slots"]["red_flags"]


def test_red_flag_after_advice_stops_the_exercises(backcare: BackCareClient, sender: str) -> None:
    backcare.say(sender, "back pain 6/10 for a week")
    clear_screening(backcare, sender)
    assert backcare.slots(sender)["triage"] == "acute"
    reply = texts(backcare.say(sender, "I had a fever all night and feel very unwell"))
    assert "doctor" in reply
    slots = backcare.slots(sender)
    assert slots["triage"] == "urgent" and "fever" in slots["red_flags"]
    assert slots["current_exercise"] is None
    assert "won't suggest exercises" in texts(backcare.say(sender, "next"))


def test_yes_to_an_emergency_screening_question_is_an_emergency(
    backcare: BackCareClient, sender: str
) -> None:
    reply = assess(backcare, sender, "back pain 5/10 since 3 days", NO_LEG_PAIN, "yes")
    assert "emergency department now" in reply and "Step 1" not in reply
    slots = backcare.slots(sender)
    assert slots["triage"] == "urgent" and slots["red_flags"] == ["nerve_signs"]
    assert slots["red_flag_urgency"] == "emergency"


def test_yes_to_a_same_day_screening_question_is_a_doctor_today(
    backcare: BackCareClient, sender: str
) -> None:
    reply = assess(backcare, sender, "back pain 5/10 since 3 days", NO_LEG_PAIN, "no", "no", "yes")
    assert "see your GP today" in reply and "emergency department now" not in reply
    assert backcare.slots(sender)["red_flag_urgency"] == "same_day"


def test_exercise_asked_by_name_comes_after_the_safety_questions(
    backcare: BackCareClient, sender: str
) -> None:
    first = texts(backcare.say(sender, "how do I do shoulder circles"))
    assert "a few short questions" in first
    assess(backcare, sender, "4", "a few days")
    reply = clear_screening(backcare, sender)
    assert "Shoulder circles" in reply
    assert backcare.slots(sender)["current_exercise"] == "shoulder_circles"


def test_it_hurts_stops_and_offers_something_gentler(backcare: BackCareClient, sender: str) -> None:
    backcare.say(sender, "back pain 2/10, started 4 weeks ago")
    clear_screening(backcare, sender)
    hurt = backcare.slots(sender)["current_exercise"]
    assert hurt
    replies = backcare.say(sender, "ouch, that hurts")
    reply = texts(replies)
    assert "Stop" in reply and "doctor" in reply
    assert "gentler exercise" in reply
    offered = [button["payload"] for message in replies for button in message.get("buttons", [])]
    assert "/another_exercise" in offered
    gentler = texts(backcare.say(sender, "/another_exercise"))
    assert "Step 1 of" in gentler and backcare.slots(sender)["current_exercise"] not in (None, hurt)


def test_medication_and_diagnosis_are_declined(backcare: BackCareClient, sender: str) -> None:
    medication = texts(backcare.say(sender, "how much ibuprofen should I take"))
    assert "pharmacist" in medication
    assert "mg" not in medication.lower()
    diagnosis = texts(backcare.say(sender, "do I have a slipped disc?"))
    assert "I can't tell you what is causing your pain" in diagnosis


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "back " * 2000,
        "😭😭😭",
        "Mir tut der Rücken weh, was soll ich tun?",
        "<script>alert('x')</script>",
        "'; DROP TABLE exercises; --",
        "/inform",
        "/no_such_intent",
        '/report_pain{"pain_level": 99}',
        "qwpoeiru zxmvn",
    ],
    ids=[
        "empty",
        "whitespace",
        "10000-chars",
        "emoji",
        "german",
        "markup",
        "sql",
        "intent-payload",
        "unknown-intent",
        "payload-with-bad-slot",
        "gibberish",
    ],
)
def test_bad_input_gets_an_answer_and_the_server_keeps_serving(
    backcare: BackCareClient, sender: str, message: str
) -> None:
    replies = backcare.say(sender, message)
    assert replies, f"no reply to {message[:40]!r}"
    assert any(reply.get("text") for reply in replies)
    assert "not a doctor" in texts(backcare.say(sender, "hello"))


def test_tracker_api_needs_the_token(backcare: BackCareClient, sender: str) -> None:
    backcare.say(sender, "hello")
    url = f"{backcare.settings.rasa_url}/conversations/{sender}/tracker"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, params={"token": "wrong"}, timeout=10).status_code == 401


def test_message_text_is_not_logged(backcare: BackCareClient, sender: str) -> None:
    secret_phrase = f"my private back story {uuid.uuid4().hex}"
    backcare.say(sender, secret_phrase)
    assert backcare.log_file is not None and backcare.log_file.exists()
    assert secret_phrase not in backcare.log_file.read_text(errors="replace")
