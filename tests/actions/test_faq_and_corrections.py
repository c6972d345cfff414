"""Self-care answers, corrections of earlier answers, and a misunderstood warning sign."""

from __future__ import annotations

from actions.assessment import ValidateAssessmentForm
from actions.faq import ActionAnswerFaq
from actions.safety import ActionRecheckWarningSign, ActionTriage, ActionUnclearMessage
from tests.actions.conftest import make_tracker, run_action


def faq_tracker(topic: str, **slots):
    tracker = make_tracker("should i use heat or ice?", "faq", slots=slots)
    tracker.latest_message["response_selector"] = {
        "faq": {"response": {"intent_response_key": f"faq/{topic}"}, "ranking": []}
    }
    return tracker


def test_a_self_care_question_gets_its_answer() -> None:
    result = run_action(ActionAnswerFaq(), faq_tracker("heat_or_cold"))
    assert result.responses == ["utter_faq/heat_or_cold"]
    assert "hot-water bottle" in result.text


def test_the_place_in_an_exercise_is_kept() -> None:
    result = run_action(
        ActionAnswerFaq(), faq_tracker("work", current_exercise="shoulder_circles", current_step=3.0)
    )
    assert result.responses == ["utter_faq/work", "utter_back_to_exercise"]
    assert "Shoulder circles, step 3" in result.text and "/repeat_step" in result.buttons


def test_a_person_with_a_warning_sign_is_reminded_of_the_doctor_first() -> None:
    result = run_action(ActionAnswerFaq(), faq_tracker("walking", red_flags=["trauma"], triage="urgent"))
    assert result.responses == ["utter_faq/walking", "utter_urgent_reminder"]


def test_an_unknown_topic_is_not_answered_with_a_guess() -> None:
    assert run_action(ActionAnswerFaq(), faq_tracker("no_such_topic")).responses == ["utter_default"]


def test_a_disputed_sign_is_asked_about_again() -> None:
    slots = {
        "red_flags": ["night_pain"],
        "triage": "urgent",
        "red_flag_urgency": "same_day",
        "screening_done": ["nerve_signs"],
    }
    result = run_action(
        ActionRecheckWarningSign(),
        make_tracker("what warning sign? I said none", "dispute_warning_sign", slots=slots),
    )
    assert result.responses == ["utter_recheck_warning_sign"]
    assert result.slots["red_flags"] == [] and result.slots["triage"] is None
    assert result.slots["screening_queue"] == ["night_pain"] and result.slots["safety_check"] == "ask"


def test_a_group_answered_not_sure_is_asked_again_as_a_group() -> None:
    slots = {"red_flags": ["unsure_nerve_signs"], "triage": "urgent", "screening_done": []}
    result = run_action(
        ActionRecheckWarningSign(),
        make_tracker("i misread the question", "dispute_warning_sign", slots=slots),
    )
    assert result.slots["screening_queue"] == ["nerve_signs"]


def test_signs_from_an_earlier_session_need_a_doctor() -> None:
    slots = {"red_flags": ["trauma"], "remembered_flags": ["trauma"], "triage": "urgent"}
    result = run_action(
        ActionRecheckWarningSign(), make_tracker("i never said that", "dispute_warning_sign", slots=slots)
    )
    assert result.responses == ["utter_urgent_reminder"] and result.slots["safety_check"] == "alert"
    assert "red_flags" not in result.slots


def test_a_corrected_answer_that_keeps_the_stage_is_not_the_whole_advice_again() -> None:
    slots = {"pain_level": 5.0, "pain_duration_weeks": 1.0, "triage": "acute"}
    result = run_action(ActionTriage(), make_tracker("actually more like a 6", "inform", slots=slots))
    assert result.responses == ["utter_stage_unchanged"]


def test_a_corrected_answer_that_changes_the_stage_says_so() -> None:
    slots = {"pain_level": 5.0, "pain_duration_weeks": 13.0, "triage": "acute"}
    result = run_action(ActionTriage(), make_tracker("it's been 3 months not 2 weeks", "inform", slots=slots))
    assert result.responses[:2] == ["utter_stage_changed", "utter_advice_chronic"]
    assert result.slots["triage"] == "chronic"


def test_leg_pain_below_the_knee_and_pregnancy_add_their_advice() -> None:
    slots = {
        "pain_level": 5.0,
        "pain_duration_weeks": 1.0,
        "leg_pain": "below_knee",
        "conditions": ["pregnancy"],
    }
    result = run_action(ActionTriage(), make_tracker(slots=slots))
    assert result.responses == ["utter_advice_acute", "utter_advice_sciatica", "utter_advice_pregnancy"]


def validate(text: str, intent: str = "inform", requested=None, **slots):
    tracker = make_tracker(
        text, intent, slots={"requested_slot": requested, **slots}, active_loop="assessment_form"
    )
    return run_action(ValidateAssessmentForm(), tracker)


def test_leg_pain_is_read_from_a_button_or_words() -> None:
    button = make_tracker(
        "/inform",
        "inform",
        slots={"requested_slot": "leg_pain", "pain_level": 5.0, "pain_duration_weeks": 1.0},
        entities=[{"entity": "leg_pain", "value": "above_knee"}],
        active_loop="assessment_form",
    )
    assert run_action(ValidateAssessmentForm(), button).slots["leg_pain"] == "above_knee"
    words = validate(
        "it goes right down to my foot", requested="leg_pain", pain_level=5.0, pain_duration_weeks=1.0
    )
    assert words.slots["leg_pain"] == "below_knee"


def test_pain_in_both_legs_is_asked_about_as_a_warning_sign_first() -> None:
    result = validate("both legs", requested="leg_pain", pain_level=5.0, pain_duration_weeks=1.0)
    assert result.slots["leg_pain"] == "both"
    assert result.slots["screening_queue"] == ["bilateral_sciatica"]
    assert result.slots["screening_kind"] == "single"


def test_today_in_a_complaint_does_not_reset_the_duration() -> None:
    result = validate(
        "my back is really sore today", "report_pain", requested="pain_level", pain_duration_weeks=2.0
    )
    assert "pain_duration_weeks" not in result.slots


def test_pregnancy_weeks_are_not_the_duration_and_pregnancy_is_noted() -> None:
    result = validate("I'm 28 weeks pregnant and my back has ached for a week", "report_pain")
    assert result.slots["pain_duration_weeks"] == 1 and result.slots["conditions"] == ["pregnancy"]


def test_a_question_asked_again_gets_a_short_reminder() -> None:
    first = run_action(ActionAnswerFaq(), faq_tracker("work"))
    assert first.slots["faq_answered"] == ["faq/work"]
    again = run_action(ActionAnswerFaq(), faq_tracker("work", faq_answered=["faq/work"]))
    assert again.responses == ["utter_faq_repeat"]
    assert "staying at work or going back soon helps you recover" in again.text
    assert "fit note" not in again.text and len(again.text) < len(first.text)
    assert "faq_answered" not in again.slots


def test_an_unclear_message_after_urgent_advice_repeats_the_urgency() -> None:
    slots = {"red_flags": ["saddle_numbness"], "triage": "urgent", "red_flag_urgency": "emergency"}
    tracker = make_tracker("hospital now or wait for the gp on monday", "nlu_fallback", slots=slots)
    result = run_action(ActionUnclearMessage(), tracker)
    assert result.responses == ["utter_urgent_follow_up"]
    assert "Please go now" in result.text and "didn't understand" not in result.text


def test_denying_signs_that_were_never_recorded_starts_the_assessment() -> None:
    tracker = make_tracker("no fever, no numbness, bladder fine, just a sore back", "dispute_warning_sign")
    result = run_action(ActionRecheckWarningSign(), tracker)
    assert result.responses == []
    assert [event["name"] for event in result.events if event["event"] == "followup"] == ["assessment_form"]


def test_a_statement_about_ones_own_back_before_the_assessment_starts_it() -> None:
    from actions.faq import ActionAnswerFaq

    selector = {"faq": {"response": {"intent_response_key": "faq/sleep_position"}}}
    statement = make_tracker("I fell asleep on the sofa and woke with a stiff lower back", "faq")
    statement.latest_message["response_selector"] = selector
    started = run_action(ActionAnswerFaq(), statement)
    assert started.events == [{"event": "followup", "timestamp": None, "name": "assessment_form"}]
    assert started.messages == []
    question = make_tracker("how should i sleep with a stiff lower back?", "faq")
    question.latest_message["response_selector"] = selector
    assert run_action(ActionAnswerFaq(), question).responses == ["utter_faq/sleep_position"]
    assessed = make_tracker("woke with a stiff lower back", "faq", slots={"triage": "acute"})
    assessed.latest_message["response_selector"] = selector
    assert run_action(ActionAnswerFaq(), assessed).responses == ["utter_faq/sleep_position"]
