"""The assessment form's validation action."""

from __future__ import annotations

import pytest

from actions.assessment import ValidateAssessmentForm
from tests.actions.conftest import make_tracker, run_action

FORM = "assessment_form"


def validate(text: str, intent: str = "inform", requested: str | None = None, **slots):
    tracker = make_tracker(text, intent, slots={"requested_slot": requested, **slots}, active_loop=FORM)
    return run_action(ValidateAssessmentForm(), tracker)


def test_first_message_fills_everything_it_mentions() -> None:
    result = validate("my back hurts, 8/10 since yesterday", intent="report_pain")
    assert result.slots["pain_level"] == 8
    assert result.slots["pain_duration_weeks"] == pytest.approx(1 / 7, abs=0.01)
    assert "red_flags_screened" not in result.slots


def test_date_entity_is_used_for_the_duration() -> None:
    text = "pain 6 out of 10, it started three weeks ago"
    start = text.index("three weeks")
    entity = {
        "entity": "DATE",
        "start": start,
        "end": start + len("three weeks ago"),
        "value": "three weeks ago",
    }
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
    assert result.slots["pain_level"] is None and "pain_duration_weeks" not in result.slots
    assert result.responses == ["utter_invalid_pain_level"]


def test_not_sure_about_leg_pain_is_explained_and_asked_again() -> None:
    result = validate(
        "i dont know", intent="unsure", requested="leg_pain", pain_level=5.0, pain_duration_weeks=1.0
    )
    assert result.responses == ["utter_leg_pain_unsure"] and "buttock" in result.text
    assert result.slots["leg_pain"] is None and "red_flags_screened" not in result.slots


def test_unreadable_leg_pain_answer_is_asked_again() -> None:
    result = validate("banana", requested="leg_pain", pain_level=5.0, pain_duration_weeks=1.0)
    assert result.responses == ["utter_invalid_leg_pain"] and result.slots["leg_pain"] is None


def test_bare_number_is_not_a_duration() -> None:
    result = validate("3", requested="pain_duration_weeks", pain_level=5.0)
    assert result.slots["pain_duration_weeks"] is None and "pain_level" not in result.slots
    assert result.responses == ["utter_invalid_pain_duration_weeks"]


def test_duration_answer_does_not_overwrite_the_pain_level() -> None:
    result = validate("3 days", requested="pain_duration_weeks", pain_level=5.0)
    assert result.slots["pain_duration_weeks"] == pytest.approx(3 / 7, abs=0.001)
    assert "pain_level" not in result.slots


ASSESSED = {"pain_level": 5.0, "pain_duration_weeks": 1.0}
GROUPS = ["nerve_signs", "leg_chest_signs", "injury_infection_signs", "history_signs"]


@pytest.mark.parametrize(
    ("answer", "intent"), [("no", "deny"), ("none of those", "deny"), ("nope", "inform")]
)
def test_no_to_one_screening_group_moves_to_the_next(answer: str, intent: str) -> None:
    result = validate(answer, intent, requested="red_flags_screened", **ASSESSED)
    assert result.slots["screening_done"] == ["nerve_signs"]
    assert result.slots["red_flags_screened"] is None  # so the form asks the next group
    assert "red_flags" not in result.slots


def test_no_to_the_last_group_finishes_the_screening() -> None:
    result = validate("no", "deny", requested="red_flags_screened", screening_done=GROUPS[:-1], **ASSESSED)
    assert result.slots["red_flags_screened"] is True


def test_yes_to_an_emergency_group_is_that_warning_sign() -> None:
    result = validate("yes", "affirm", requested="red_flags_screened", **ASSESSED)
    assert result.slots["red_flags"] == ["nerve_signs"]
    assert result.slots["requested_slot"] is None  # nothing more to ask once a sign is known


def test_not_sure_is_explained_and_asked_again() -> None:
    result = validate("I don't know", "unsure", requested="red_flags_screened", **ASSESSED)
    assert result.responses == ["utter_screening_look_for"]
    assert "toilet paper" in result.text
    assert result.slots["screening_unsure"] == ["nerve_signs"]
    assert result.slots["red_flags_screened"] is None
    assert "red_flags" not in result.slots


def test_still_not_sure_means_a_doctor_check_first() -> None:
    result = validate(
        "not sure", "deny", requested="red_flags_screened", screening_unsure=["nerve_signs"], **ASSESSED
    )
    assert result.slots["red_flags"] == ["unsure_nerve_signs"]
    assert result.slots["requested_slot"] is None


def test_unreadable_screening_answer_is_asked_again() -> None:
    result = validate("purple", "out_of_scope_but_not_listed", requested="red_flags_screened", **ASSESSED)
    assert result.responses == ["utter_invalid_red_flags_screened"]
    assert result.slots["red_flags_screened"] is None


def test_possible_sign_in_passing_is_asked_about_first() -> None:
    result = validate("I can hardly walk because of the pain", "report_red_flag", requested="pain_level")
    assert result.slots["screening_queue"] == ["leg_weakness"]
    assert result.slots["requested_slot"] == "red_flags_screened"


def test_just_painful_answers_the_walking_question() -> None:
    result = validate(
        "it's just painful",
        "it_hurts",
        requested="red_flags_screened",
        screening_queue=["leg_weakness"],
        **ASSESSED,
    )
    assert result.slots["screening_queue"] == []
    assert "leg_weakness" in result.slots["screening_done"]
    assert result.slots["red_flags_screened"] is None  # the groups still follow
    assert "red_flags" not in result.slots


def test_weak_answers_the_walking_question_with_the_sign() -> None:
    result = validate(
        "my leg feels weak",
        "inform",
        requested="red_flags_screened",
        screening_queue=["leg_weakness"],
        **ASSESSED,
    )
    assert result.events == []  # the detector hears the sign itself: the alert rule takes over


def test_a_person_with_a_warning_sign_is_not_screened_again() -> None:
    result = validate("my back hurts, 6/10", "report_pain", red_flags=["fever"])
    assert result.slots["requested_slot"] is None


def test_interrupting_message_does_not_answer_again() -> None:
    tracker = make_tracker(
        "no",
        "deny",
        slots={"requested_slot": "red_flags_screened", **ASSESSED},
        active_loop=FORM,
        latest_action="utter_no_medication",
    )
    result = run_action(ValidateAssessmentForm(), tracker)
    assert "screening_done" not in result.slots


def test_flare_up_of_long_standing_pain_is_read_as_recent() -> None:
    result = validate("Two years of back trouble, but this flare started 3 days ago, pain 6", "report_pain")
    assert result.slots["pain_duration_weeks"] == pytest.approx(3 / 7, abs=0.01)
    assert result.slots["flare_up"] is True


def test_age_and_conditions_are_noted() -> None:
    result = validate("I'm 58 and 20 weeks pregnant, back pain 5/10 since monday", "report_pain")
    assert result.slots["age"] == 58
    assert result.slots["conditions"] == ["pregnancy"]


def test_crisis_rejects_the_form() -> None:
    result = validate(
        "I want to kill myself, this pain is unbearable", intent="crisis", requested="pain_level"
    )
    assert result.events == [] and result.messages == []


def test_red_flag_rejects_the_form_even_with_a_pain_score() -> None:
    result = validate("7, and I can't feel my groin", intent="report_red_flag", requested="pain_level")
    assert result.events == [] and result.messages == []


def test_question_in_the_form_is_left_to_its_rule() -> None:
    result = validate("what painkiller should I take", intent="ask_medication", requested="pain_level")
    assert result.events == [] and result.messages == []


def test_the_first_screening_question_is_put_into_the_ask_response() -> None:
    result = validate("back pain 5/10 since yesterday", "report_pain")
    assert result.slots["screening_kind"] == "group"
    assert (result.slots["screening_number"], result.slots["screening_total"]) == ("1", "4")
    assert "bottom, genitals" in result.slots["screening_question"]


def test_the_next_group_follows_a_no() -> None:
    slots = {**ASSESSED, "screening_kind": "group", "screening_number": "1", "screening_total": "4"}
    result = validate("no", "deny", requested="red_flags_screened", **slots)
    assert result.slots["screening_number"] == "2" and "both legs" in result.slots["screening_question"]
    assert "screening_total" not in result.slots  # unchanged values are not stored again


def test_a_sign_heard_in_passing_is_asked_on_its_own() -> None:
    result = validate("I can hardly walk because of the pain", "report_red_flag", requested="pain_level")
    assert result.slots["screening_kind"] == "single"
    assert "gives way" in result.slots["screening_question"]


def test_the_ask_response_has_yes_no_and_not_sure() -> None:
    from tests.actions.conftest import DOMAIN

    variants = DOMAIN["responses"]["utter_ask_red_flags_screened"]

    def condition(variant, slot):
        return next((c["value"] for c in variant.get("condition", []) if c["name"] == slot), None)

    for language in (None, "de"):
        spoken = [variant for variant in variants if condition(variant, "language") == language]
        assert [condition(variant, "screening_kind") for variant in spoken] == ["single", "group", None]
    for variant in variants:
        assert [button["payload"] for button in variant["buttons"]] == ["/deny", "/affirm", "/unsure"]


@pytest.mark.parametrize(
    "text", ["I hurt my back this morning, maybe a 6", "lower back pain since this morning, maybe a 6"]
)
def test_a_first_message_with_a_start_and_a_level_fills_both(text: str) -> None:
    result = validate(text, intent="report_pain")
    assert result.slots["pain_level"] == 6
    assert result.slots["pain_duration_weeks"] == 0


@pytest.mark.parametrize("answer", ["just in my back", "its only in my lower back", "no pain in my legs"])
def test_only_in_the_back_answers_the_leg_question(answer: str) -> None:
    result = validate(answer, requested="leg_pain", pain_level=6.0, pain_duration_weeks=1.0)
    assert result.slots["leg_pain"] == "none"
    assert "pain_level" not in result.slots and result.responses == []  # not "no pain" = 0/10


def after_a_noted_pain_word(text: str, language: str = "en"):
    """The form reading `text` the turn after "I'll note "killing me" as about 8 ... tell me a number"."""
    tracker = make_tracker(
        text,
        "inform",
        slots={"requested_slot": "pain_duration_weeks", "pain_level": 8.0, "language": language},
        active_loop=FORM,
    )
    tracker.events[:0] = [
        {"event": "user", "text": "my lower back is killing me"},
        {"event": "bot", "text": "I'll note", "metadata": {"utter_action": "utter_pain_word_noted"}},
        {"event": "bot", "text": "How long", "metadata": {"utter_action": "utter_ask_pain_duration_weeks"}},
        {"event": "action", "name": "action_listen"},
    ]
    return run_action(ValidateAssessmentForm(), tracker)


@pytest.mark.parametrize(("answer", "level"), [("probs a 6", 6), ("6", 6), ("more like a 5", 5)])
def test_a_number_right_after_a_noted_pain_word_corrects_it(answer: str, level: float) -> None:
    result = after_a_noted_pain_word(answer)
    assert result.slots["pain_level"] == level
    assert (
        result.responses == ["utter_pain_level_corrected"]
        and f"changed it to {level} out of 10" in result.text
    )
    assert not result.slots.get("pain_duration_weeks")  # asked again, without a complaint


def test_a_german_number_right_after_a_noted_pain_word_corrects_it() -> None:
    assert after_a_noted_pain_word("eher so eine 6", language="de").slots["pain_level"] == 6


def test_a_duration_right_after_a_noted_pain_word_is_the_duration() -> None:
    result = after_a_noted_pain_word("3 days")
    assert result.slots["pain_duration_weeks"] == pytest.approx(3 / 7, abs=0.001)
    assert "pain_level" not in result.slots


def test_a_bare_number_two_turns_after_the_note_is_not_a_pain_level() -> None:
    tracker = make_tracker(
        "6", "inform", slots={"requested_slot": "pain_duration_weeks", "pain_level": 8.0}, active_loop=FORM
    )
    tracker.events[:0] = [
        {"event": "bot", "text": "I'll note", "metadata": {"utter_action": "utter_pain_word_noted"}},
        {"event": "user", "text": "hm"},
        {"event": "bot", "text": "How long", "metadata": {"utter_action": "utter_ask_pain_duration_weeks"}},
    ]
    assert "pain_level" not in run_action(ValidateAssessmentForm(), tracker).slots
