"""The assessment form with a German speaker: the same slots from German answers.

What the form says back is a domain response in the person's language (the
`language` slot); here the slots and the values put into those responses count.
"""

from __future__ import annotations

from typing import Any, Optional

import pytest

from actions.assessment import ValidateAssessmentForm, level_text
from tests.actions.conftest import Run, make_tracker, run_action

FORM = "assessment_form"
ASSESSED = {"pain_level": 5.0, "pain_duration_weeks": 1.0}


def validate(text: str, intent: str = "inform", requested: Optional[str] = None, **slots: Any) -> Run:
    tracker = make_tracker(
        text, intent, slots={"language": "de", "requested_slot": requested, **slots}, active_loop=FORM
    )
    return run_action(ValidateAssessmentForm(), tracker)


def test_a_german_first_message_fills_pain_and_duration() -> None:
    # The message of the German tester who got the answer about medicines.
    result = validate(
        "Hallo, ich habe seit 3 Tagen starke Rückenschmerzen im unteren Rücken, so 7 von 10", "report_pain"
    )
    assert result.slots["pain_level"] == 7
    assert result.slots["pain_duration_weeks"] == pytest.approx(3 / 7, abs=0.001)
    assert "leg_pain" not in result.slots  # asked next: "starke Rückenschmerzen" says nothing of a leg


@pytest.mark.parametrize(
    ("text", "level", "weeks"),
    [
        ("kreuzschmerzen, acht von zehn, seit heute früh", 8, 0),
        ("rücken tut weh seit freitag, ist ne 7", 7, None),
        ("seit 2 tagen rückenschmerzen, ca 5 von 10", 5, 2 / 7),
        ("hab mich heute morgen verhoben, so eine 6", 6, 0),
    ],
)
def test_german_first_messages(text: str, level: float, weeks: Optional[float]) -> None:
    result = validate(text, "report_pain")
    assert result.slots["pain_level"] == level
    if weeks is None:  # a weekday: counted back from today
        assert 0 < result.slots["pain_duration_weeks"] <= 1
    else:
        assert result.slots["pain_duration_weeks"] == pytest.approx(weeks, abs=0.001)


@pytest.mark.parametrize(
    ("answer", "level"), [("acht", 8), ("so eine 7", 7), ("ungefähr 6", 6), ("6,5", 6.5), ("null", 0)]
)
def test_short_german_pain_answers(answer: str, level: float) -> None:
    result = validate(answer, requested="pain_level")
    assert result.slots["pain_level"] == level
    assert result.responses == []  # a number needs no confirmation


def test_a_german_pain_word_is_confirmed_with_the_german_word() -> None:
    result = validate("unerträglich", requested="pain_level")
    assert result.slots["pain_level"] == 10
    assert result.responses == ["utter_pain_word_noted"]
    [message] = result.messages
    assert (message["word"], message["level"]) == ("unerträglich", "10")


@pytest.mark.parametrize(("answer", "level"), [("leicht", 2), ("mittel", 5), ("ziemlich stark", 8)])
def test_german_words_answer_the_pain_question(answer: str, level: float) -> None:
    result = validate(answer, requested="pain_level")
    assert result.slots["pain_level"] == level and result.responses == ["utter_pain_word_noted"]


def test_a_german_level_is_written_with_a_decimal_comma() -> None:
    assert level_text(6.5, "de") == "6,5"
    assert level_text(6.5, "en") == "6.5"
    assert level_text(8.0, "de") == "8"


def test_unreadable_german_pain_answer_is_asked_again() -> None:
    result = validate("Banane", requested="pain_level")
    assert result.slots["pain_level"] is None and "pain_duration_weeks" not in result.slots
    assert result.responses == ["utter_invalid_pain_level"]


def test_a_remedy_is_not_a_moderate_pain() -> None:
    result = validate("Welches Mittel hilft gegen die Schmerzen?", "ask_medication", requested="pain_level")
    assert "pain_level" not in result.slots


@pytest.mark.parametrize(
    ("answer", "weeks"),
    [
        ("seit gestern", 1 / 7),
        ("seit drei Wochen", 3),
        ("schon monatelang", 13),
        ("seit einem halben Jahr", 26),
        ("letzte Woche", 1),
    ],
)
def test_german_duration_answers(answer: str, weeks: float) -> None:
    result = validate(answer, requested="pain_duration_weeks", pain_level=5.0)
    assert result.slots["pain_duration_weeks"] == pytest.approx(weeks, abs=0.001)
    assert "pain_level" not in result.slots


@pytest.mark.parametrize("answer", ["3", "Banane", "seit Weihnachten"])
def test_not_a_german_duration_is_asked_again(answer: str) -> None:
    result = validate(answer, requested="pain_duration_weeks", pain_level=5.0)
    assert result.slots["pain_duration_weeks"] is None
    assert result.responses == ["utter_invalid_pain_duration_weeks"]


def test_a_pain_score_at_the_duration_question_corrects_the_level() -> None:
    result = validate("7 von 10", requested="pain_duration_weeks", pain_level=5.0)
    assert result.slots["pain_level"] == 7 and "pain_duration_weeks" not in result.slots


def test_an_age_at_the_duration_question_is_not_a_duration() -> None:
    result = validate("58 Jahre alt", requested="pain_duration_weeks", pain_level=5.0)
    assert result.slots["age"] == 58 and "pain_duration_weeks" not in result.slots


@pytest.mark.parametrize(
    ("answer", "where"),
    [
        ("strahlt ins Bein aus", "one_leg"),
        ("bis in den Fuß", "below_knee"),
        ("geht in die linke Pobacke", "above_knee"),
        ("nur im Rücken", "none"),
        ("nein, nur unten im Kreuz", "none"),
    ],
)
def test_german_leg_pain_answers(answer: str, where: str) -> None:
    result = validate(answer, requested="leg_pain", **ASSESSED)
    assert result.slots["leg_pain"] == where
    assert result.slots["screening_number"] == "1"  # the safety check comes next


def test_no_pain_in_the_leg_leaves_the_pain_level_alone() -> None:
    result = validate("keine Schmerzen im Bein", "deny", requested="leg_pain", **ASSESSED)
    assert result.slots["leg_pain"] == "none"
    assert "pain_level" not in result.slots and result.responses == []


@pytest.mark.parametrize("answer", ["beide", "beidseitig", "links und rechts"])
def test_pain_in_both_legs_is_asked_about_at_once(answer: str) -> None:
    # A fuller description ("strahlt in beide Beine aus") is the warning sign
    # itself for the detector, which then takes over from the form.
    result = validate(answer, requested="leg_pain", **ASSESSED)
    assert result.slots["leg_pain"] == "both"
    assert result.slots["screening_queue"] == ["bilateral_sciatica"]


def test_leg_pain_said_in_passing_is_noted() -> None:
    result = validate("der Ischias zieht ins linke Bein, so eine 6", "report_pain", requested="pain_level")
    assert result.slots["leg_pain"] == "one_leg" and result.slots["pain_level"] == 6


def test_an_exercise_name_is_not_leg_pain() -> None:
    result = validate(
        "wie geht die Dehnung der hinteren Oberschenkel", "ask_exercise", requested="pain_level"
    )
    assert "leg_pain" not in result.slots


def test_german_age_and_pregnancy_are_noted() -> None:
    result = validate("Ich bin 34 und in der 20. Woche schwanger, Rücken 5 von 10 seit Montag", "report_pain")
    assert result.slots["age"] == 34
    assert result.slots["conditions"] == ["pregnancy"]
    assert result.slots["pain_level"] == 5
    assert 0 < result.slots["pain_duration_weeks"] <= 1  # Monday, not 20 weeks


def test_a_german_flare_up_is_read_as_recent() -> None:
    result = validate(
        "Ich habe seit Jahren Rückenschmerzen, aber seit drei Tagen ist es wieder schlimm, so 6 von 10",
        "report_pain",
    )
    assert result.slots["pain_duration_weeks"] == pytest.approx(3 / 7, abs=0.001)
    assert result.slots["flare_up"] is True


def test_english_after_switching_is_still_read() -> None:
    result = validate("back pain 7/10 for 3 days", "report_pain")
    assert result.slots["pain_level"] == 7
    assert result.slots["pain_duration_weeks"] == pytest.approx(3 / 7, abs=0.001)
