"""What people actually ask, end to end: self-care questions, worry, navigation, corrections.

The sentences come from conversations held with BackCare as new users would;
the conversation-quality set (tests/quality/) measures the same at scale.
"""

from __future__ import annotations

import uuid

import pytest

from support.client import BackCareClient
from support.conversation import NO_LEG_PAIN, clear_screening, texts

pytestmark = pytest.mark.e2e


@pytest.fixture
def sender() -> str:
    return f"quality-{uuid.uuid4().hex[:12]}"


def assessed(
    backcare: BackCareClient, sender: str, first: str = "my lower back hurts, 5 out of 10, since monday"
) -> str:
    """An acute person at the first step of their first exercise; returns the advice turn."""
    backcare.say(sender, first)
    return clear_screening(backcare, sender)


@pytest.mark.parametrize(
    ("question", "answer_says"),
    [
        ("is walking good for it?", "walk"),
        ("is sitting all day making it worse?", "sit"),
        ("should i use heat or ice?", "hot-water bottle"),
        ("should i stay in bed?", "staying in bed"),
        ("can I keep going to work?", "work"),
    ],
)
def test_self_care_questions_are_answered_without_a_false_alarm(
    backcare: BackCareClient, sender: str, question: str, answer_says: str
) -> None:
    assessed(backcare, sender)
    reply = texts(backcare.say(sender, question))
    assert answer_says in reply.lower()
    assert "doctor today" not in reply and "emergency department now" not in reply
    assert (
        "Back to the exercise" in str(backcare.say(sender, "ok")) or backcare.slots(sender)["red_flags"] == []
    )
    assert backcare.slots(sender)["red_flags"] == [] and backcare.slots(sender)["triage"] == "acute"


def test_a_question_mid_exercise_keeps_the_place(backcare: BackCareClient, sender: str) -> None:
    assessed(backcare, sender)
    backcare.say(sender, "next")
    reply = texts(backcare.say(sender, "how long will this last?"))
    assert "few weeks" in reply and "step 2" in reply
    assert "Step 2 of" in texts(backcare.say(sender, "yes, back to it"))


def test_worry_gets_reassurance(backcare: BackCareClient, sender: str) -> None:
    reply = texts(backcare.say(sender, "I'm scared"))
    assert "not caused by anything serious" in reply


def test_after_emergency_advice_the_follow_up_repeats_the_urgency(
    backcare: BackCareClient, sender: str
) -> None:
    backcare.say(sender, "its numb around my bum when i wipe since this morning")
    reply = texts(backcare.say(sender, "should i go to hospital now or wait for my GP on monday?"))
    assert "go now" in reply and "Sorry, I didn't understand" not in reply and "exercise" not in reply.lower()


def test_a_misheard_sign_is_asked_about_again_not_locked_in(backcare: BackCareClient, sender: str) -> None:
    backcare.say(sender, "back pain 6/10 for a week and my legs feel weak")
    assert backcare.slots(sender)["red_flags"] == ["leg_weakness"]
    recheck = texts(backcare.say(sender, "i was exaggerating, my legs are fine"))
    assert "misunderstood" in recheck and "gives way" in recheck
    texts(backcare.say(sender, "no"))
    slots = backcare.slots(sender)
    assert slots["red_flags"] == [] and slots["triage"] is None


def test_exercise_navigation_like_a_person_expects(backcare: BackCareClient, sender: str) -> None:
    assessed(backcare, sender)
    assert "Step 2 of" in texts(backcare.say(sender, "ok"))
    assert "Step 3 of" in texts(backcare.say(sender, "done"))
    step_two = texts(backcare.say(sender, "what was step 2 again?"))
    assert "Step 2 of" in step_two
    assert "10 circles" in texts(backcare.say(sender, "how many times?"))
    listed = texts(backcare.say(sender, "go back"))
    assert "Your exercises" in listed and "Safety check" not in listed
    assert backcare.slots(sender)["triage"] == "acute"


def test_harder_gives_the_harder_variant(backcare: BackCareClient, sender: str) -> None:
    assessed(backcare, sender, "my back is much better, only a 2 now, it started 3 weeks ago")
    backcare.say(sender, "can we do the knee to chest one")
    reply = texts(backcare.say(sender, "this is too easy, do you have something harder?"))
    assert "Hamstring stretch" in reply and "gentler" not in reply


def test_after_it_hurts_the_next_exercise_is_a_different_one(backcare: BackCareClient, sender: str) -> None:
    assessed(backcare, sender)
    first = backcare.slots(sender)["current_exercise"]
    backcare.say(sender, "ouch that hurts")
    texts(backcare.say(sender, "ok whats next"))
    assert backcare.slots(sender)["current_exercise"] not in (None, first)


def test_pregnancy_is_understood(backcare: BackCareClient, sender: str) -> None:
    reply = texts(
        backcare.say(
            sender, "hi, I'm 28 weeks pregnant and my lower back has been aching for about a week, maybe 5/10"
        )
    )
    assert "spread into a leg" in reply
    backcare.say(sender, NO_LEG_PAIN)
    advice = clear_screening(backcare, sender)
    assert "midwife" in advice
    slots = backcare.slots(sender)
    assert slots["pain_duration_weeks"] == 1 and slots["triage"] == "acute"
    assert "Package seat" not in advice  # nothing pressing on the bump


def test_leg_pain_is_asked_once_and_used(backcare: BackCareClient, sender: str) -> None:
    backcare.say(sender, "back pain 6/10 since friday")
    backcare.say(sender, "it goes down my left leg past the knee")
    advice = clear_screening(backcare, sender)
    assert "sciatica" in advice
    assert backcare.slots(sender)["leg_pain"] == "below_knee"


@pytest.mark.parametrize("goodbye", ["bye for now!", "no bye", "👋"])
def test_goodbyes_in_any_form(backcare: BackCareClient, sender: str, goodbye: str) -> None:
    assert "Take care of your back" in texts(backcare.say(sender, goodbye))


def test_a_thumbs_up_is_a_yes(backcare: BackCareClient, sender: str) -> None:
    assessed(backcare, sender)
    assert "Step 2 of" in texts(backcare.say(sender, "👍"))


@pytest.mark.parametrize(
    "message", ["j'ai très mal au dos depuis trois jours", "hola me duele la espalda", "ik heb rugpijn"]
)
def test_another_language_gets_one_clear_sentence(
    backcare: BackCareClient, sender: str, message: str
) -> None:
    reply = texts(backcare.say(sender, message))
    assert "only chat in English or German" in reply and "medicines" not in reply
    assert backcare.slots(sender)["language"] is None  # neither English nor German was chosen for them
