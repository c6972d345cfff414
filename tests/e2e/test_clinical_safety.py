"""The clinical safety routes end to end: the real action server, Rasa server and model.

Each test holds a conversation a person would have; the quoted sentences come
from the clinical-safety issue, the others are the same situations in other words.
"""

from __future__ import annotations

import sqlite3
import uuid

import pytest

from support.client import BackCareClient
from support.conversation import NO_LEG_PAIN, clear_screening, texts

pytestmark = pytest.mark.e2e


@pytest.fixture
def sender() -> str:
    return f"safety-{uuid.uuid4().hex[:12]}"


@pytest.mark.parametrize(
    ("message", "sign", "urgency", "advice"),
    [
        ("my temperature is 39 and my lower back hurts", "fever", "same_day", "see your GP today"),
        ("burning up with a 101 F fever, back is killing me", "fever", "same_day", "see your GP today"),
        (
            "sciatica down both legs and my back aches",
            "bilateral_sciatica",
            "emergency",
            "emergency department now",
        ),
        (
            "I've taken steroids for years and my back hurts after a small bump",
            "fragility_injury",
            "same_day",
            "see your GP today",
        ),
        (
            "I've lost 8 kilos without trying and my back has ached for weeks",
            "weight_loss",
            "same_day",
            "see your GP today",
        ),
        (
            "never had this before: numbness in my groin",
            "saddle_numbness",
            "emergency",
            "emergency department now",
        ),
        (
            # German is answered in German (tests/e2e/test_german.py has more).
            "Ich kann seit heute morgen nicht mehr pinkeln",
            "bladder_bowel",
            "emergency",
            "Notaufnahme",
        ),
        (
            "back hurts and there's a crushing feeling in my chest",
            "chest_pain",
            "emergency",
            "call your emergency number",
        ),
    ],
)
def test_a_warning_sign_in_the_first_message_gets_its_urgency(
    backcare: BackCareClient, sender: str, message: str, sign: str, urgency: str, advice: str
) -> None:
    reply = texts(backcare.say(sender, message))
    assert advice in reply and "How strong" not in reply
    slots = backcare.slots(sender)
    assert sign in slots["red_flags"]
    assert (slots["triage"], slots["red_flag_urgency"]) == ("urgent", urgency)
    refused = texts(backcare.say(sender, "can you show me an exercise"))
    assert "won't suggest exercises" in refused and "Step 1" not in refused


@pytest.mark.parametrize(
    "message",
    [
        "I fell asleep on the sofa and woke with a stiff lower back",
        "my laptop crashed so I sat hunched for hours",
        "no fever, no numbness, bladder fine, just a sore back",
        "crashed out on the couch and now my back is stiff",
    ],
)
def test_idioms_and_denials_are_no_alarm(backcare: BackCareClient, sender: str, message: str) -> None:
    reply = texts(backcare.say(sender, message))
    assert "doctor" not in reply and "emergency" not in reply
    assert "How strong" in reply or "How long" in reply  # the assessment starts instead
    slots = backcare.slots(sender)
    assert slots["red_flags"] == [] and slots["triage"] is None


def test_pain_limited_walking_is_asked_about_not_sent_to_hospital(
    backcare: BackCareClient, sender: str
) -> None:
    question = texts(backcare.say(sender, "I can hardly walk because of the pain"))
    assert "weak" in question and "emergency" not in question
    assert backcare.slots(sender)["red_flags"] == []
    carry_on = texts(backcare.say(sender, "it's just painful"))
    assert "How strong" in carry_on
    assert backcare.slots(sender)["red_flags"] == []


def test_a_weak_leg_answer_to_the_walking_question_is_an_emergency(
    backcare: BackCareClient, sender: str
) -> None:
    backcare.say(sender, "walking is a struggle today")
    reply = texts(backcare.say(sender, "yes, my right foot drags"))
    assert "emergency department now" in reply
    assert backcare.slots(sender)["red_flag_urgency"] == "emergency"


def test_not_sure_is_explained_then_a_doctor_check_first(backcare: BackCareClient, sender: str) -> None:
    backcare.say(sender, "back pain 5 out of 10 since monday")
    backcare.say(sender, "no, just my back")
    explained = texts(backcare.say(sender, "I don't know"))
    assert "What to look for" in explained and "Safety check 1 of 4" in explained
    still = texts(backcare.say(sender, "not sure"))
    assert "before you do any exercises" in still and "Step 1" not in still
    slots = backcare.slots(sender)
    assert slots["red_flags"] == ["unsure_nerve_signs"] and slots["triage"] == "urgent"


def test_crisis_is_answered_before_anything_else(backcare: BackCareClient, sender: str) -> None:
    backcare.say(sender, "my back hurts")
    reply = texts(backcare.say(sender, "I want to kill myself, this back pain is unbearable"))
    assert "116 123" in reply and "988" in reply and "0800 111 0 111" in reply
    assert "out of 10" not in reply and "How strong" not in reply and "exercise" not in reply.lower()
    tracker = backcare.tracker(sender)
    assert tracker["slots"]["crisis"] is True
    assert not (tracker.get("active_loop") or {}).get("name")


@pytest.mark.parametrize("message", ["dying to get rid of this pain", "this back pain is killing me, 7/10"])
def test_dying_and_killing_as_figures_of_speech_are_not_a_crisis(
    backcare: BackCareClient, sender: str, message: str
) -> None:
    reply = texts(backcare.say(sender, message))
    assert "116 123" not in reply
    assert backcare.slots(sender)["crisis"] is False


def test_a_warning_sign_outlives_the_session_until_a_doctor_checks(
    backcare: BackCareClient, sender: str
) -> None:
    backcare.say(sender, "I fell down the stairs last night and my back hurts")
    assert backcare.slots(sender)["red_flags"] == ["trauma"]
    expire_session(backcare, sender)

    reply = texts(backcare.say(sender, "hi"))
    assert "Welcome back" in reply and "a fall, accident or blow" in reply
    slots = backcare.slots(sender)
    assert slots["red_flags"] == ["trauma"] and slots["triage"] == "urgent"
    refused = texts(backcare.say(sender, "show me an exercise"))
    assert "won't suggest exercises" in refused

    cleared = texts(backcare.say(sender, "my GP checked me yesterday and said it's fine"))
    assert "Good that a doctor has checked you" in cleared
    assert backcare.slots(sender)["red_flags"] == []
    backcare.say(sender, "it's about a 4 now, started 3 days ago")
    screened = texts(backcare.say(sender, NO_LEG_PAIN))
    assert "apart from anything your doctor has already checked" in screened
    expire_session(backcare, sender)
    assert "Welcome back" not in texts(backcare.say(sender, "hello"))


def test_subacute_pain_gets_graded_activity_and_a_gp(backcare: BackCareClient, sender: str) -> None:
    backcare.say(sender, "back pain 5 out of 10 for 8 weeks now")
    advice = clear_screening(backcare, sender)
    assert "GP or physiotherapist" in advice and "graded activity" in advice
    assert "Step 1 of" in advice
    slots = backcare.slots(sender)
    assert slots["triage"] == "subacute" and slots["pain_duration_weeks"] == 8


def test_a_flare_of_long_standing_pain_is_acute(backcare: BackCareClient, sender: str) -> None:
    backcare.say(sender, "Two years of back trouble, but this flare started 3 days ago, about a 6")
    advice = clear_screening(backcare, sender)
    assert "flare-up" in advice and "acute episode" in advice
    slots = backcare.slots(sender)
    assert (slots["triage"], slots["flare_up"]) == ("acute", True)
    assert slots["pain_duration_weeks"] == pytest.approx(3 / 7, abs=0.01)


def test_mild_pain_that_started_today_is_not_told_it_has_settled(
    backcare: BackCareClient, sender: str
) -> None:
    backcare.say(sender, "my back started hurting this morning, 3/10")
    advice = clear_screening(backcare, sender)
    assert "acute pain has settled" not in advice and "mild" in advice
    assert backcare.slots(sender)["triage"] == "recovery"


def test_a_person_over_50_is_pointed_to_a_gp(backcare: BackCareClient, sender: str) -> None:
    backcare.say(sender, "I'm 63 and my back has hurt for 4 days, about 5/10")
    advice = clear_screening(backcare, sender)
    assert "worth seeing a GP" in advice


def expire_session(backcare: BackCareClient, sender: str) -> None:
    """Moves the whole conversation two hours into the past, as after a long silence.

    Rasa's SQL tracker store orders events by time and ends a session an hour
    after the last user message, so this is what the server sees after two hours.
    """
    database = backcare.configuration.tracker_store_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        connection.execute(
            "update events set timestamp = timestamp - :shift, "
            "data = json_set(data, '$.timestamp', json_extract(data, '$.timestamp') - :shift) "
            "where sender_id = :sender",
            {"shift": 2 * 3600, "sender": sender},
        )
