"""The assessment form's validation action."""

from __future__ import annotations

import pytest

from actions.assessment import ValidateAssessmentForm
from tests.actions.conftest import make_tracker, run_action

FORM = "assessment_form"


def validate(text: str, intent: str = "inform", requested: str | None = None, **slots):
    tracker = make_tracker(
        text, intent, slots={"requested_slot": requested, **slots}, active_loop=FORM
    )
    return run_action(ValidateAssessmentForm(), tracker)


def test_first_message_fills_everything_it_mentions() -> None:
    result = validate("my back hurts, 8/10 since yesterday", intent="report_pain")
    assert result.slots["pain_level"] == 8
    assert result.slots["pain_duration_weeks"] == pytest.approx(1 / 7, abs=0.01)
    assert "red_flags_screened" not in result.slots


def test_date_entity_is_used_for_the_duration() -> None:
    text = "pain 6 out of 10, it started three weeks ago"
    start = text.index("three weeks")
    entity = {"entity": "DATE", "start": start, "end": start + len("three weeks ago"), "value": "three weeks ago"}
    tracker = make_tracker(text, "report_pain", entities=[entity], active_loop=FORM)
    result = run_action(ValidateAssessmentForm(), tracker)
    assert result.slots["pain_duration_weeks"] == 3
    assert result.slots["pain_level"] == 6


@pytest.mark.parametrize(("answer", "level"), [("8", 8), ("eight", 8), ("about 7 out of ten", 7), ("0", 0)])
def test_short_pain_answers(answer: str, level: float) -> None:
    assert validate(answer, requested="pain_level").slots["pain_level"] == level


def test_pain_word_is_confirmed() -> None:
    result = validate("unbearable", requested="pain_level")
    assert result.slots["pain_level"] == 10
    assert "unbearable" in result.text and "out of 10" in result.text


def test_nonsense_is_asked_again_politely() -> None:
    result = validate("banana", requested="pain_level")
    assert result.slots == {"pain_level": None}
    assert result.responses == ["utter_invalid_pain_level"]


def test_bare_number_is_not_a_duration() -> None:
    result = validate("3", requested="pain_duration_weeks", pain_level=5.0)
    assert result.slots == {"pain_duration_weeks": None}
    assert result.responses == ["utter_invalid_pain_duration_weeks"]


def test_duration_answer_does_not_overwrite_the_pain_level() -> None:
    result = validate("3 days", requested="pain_duration_weeks", pain_level=5.0)
    assert result.slots["pain_duration_weeks"] == pytest.approx(3 / 7, abs=0.001)
    assert "pain_level" not in result.slots


@pytest.mark.parametrize(("answer", "intent"), [("no", "deny"), ("none of those", "deny"), ("nope", "inform")])
def test_no_to_the_safety_question(answer: str, intent: str) -> None:
    result = validate(answer, intent, requested="red_flags_screened", pain_level=5.0, pain_duration_weeks=1.0)
    assert result.slots["red_flags_screened"] is True
    assert "red_flags" not in result.slots


def test_yes_to_the_safety_question_is_a_warning_sign() -> None:
    result = validate("yes", "affirm", requested="red_flags_screened", pain_level=5.0, pain_duration_weeks=1.0)
    assert result.slots["red_flags_screened"] is True
    assert result.slots["red_flags"] == ["screen_positive"]


def test_red_flag_rejects_the_form_even_with_a_pain_score() -> None:
    result = validate("7, and I can't feel my groin", intent="report_red_flag", requested="pain_level")
    assert result.events == [] and result.messages == []


def test_question_in_the_form_is_left_to_its_rule() -> None:
    result = validate("what painkiller should I take", intent="ask_medication", requested="pain_level")
    assert result.events == [] and result.messages == []
