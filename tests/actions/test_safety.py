"""Triage, warning signs at any point, crisis support and the memory of warning signs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from actions.crisis import ActionCrisisSupport
from actions.library import warning_sign_records
from actions.safety import ActionDoctorChecked, ActionRedFlagAlert, ActionTriage, ActionUnclearMessage
from actions.session import ActionSessionStart
from bot.knowledge import ReportedSign
from tests.actions.conftest import make_tracker, run_action


@pytest.mark.parametrize(
    ("pain", "weeks", "flags", "stage", "response"),
    [
        (8.0, 0.5, [], "acute", "utter_advice_acute"),
        (5.0, 8.0, [], "subacute", "utter_advice_subacute"),
        (2.0, 3.0, [], "recovery", "utter_advice_recovery"),
        (3.0, 0.0, [], "recovery", "utter_advice_recovery"),
        (9.0, 20.0, [], "chronic", "utter_advice_chronic"),
        (1.0, 1.0, ["fever"], "urgent", "utter_urgent_same_day"),
        (1.0, 1.0, ["leg_weakness"], "urgent", "utter_urgent_emergency"),
        (5.0, 1.0, ["nerve_signs"], "urgent", "utter_urgent_emergency"),
        (5.0, 1.0, ["history_signs"], "urgent", "utter_urgent_same_day"),
        (5.0, 1.0, ["unsure_nerve_signs"], "urgent", "utter_urgent_unsure"),
        (5.0, 1.0, ["chest_pain", "fever"], "urgent", "utter_urgent_chest_pain"),
    ],
)
def test_triage_sets_the_stage_and_gives_its_advice(pain, weeks, flags, stage, response) -> None:
    tracker = make_tracker(slots={"pain_level": pain, "pain_duration_weeks": weeks, "red_flags": flags})
    result = run_action(ActionTriage(), tracker)
    assert result.slots["triage"] == stage
    assert result.responses[0] == response


def test_mild_pain_advice_does_not_claim_the_pain_has_settled() -> None:
    tracker = make_tracker(slots={"pain_level": 3.0, "pain_duration_weeks": 0.0})
    text = run_action(ActionTriage(), tracker).text
    assert "settled" not in text.split(",")[0] and "mild" in text


def test_urgent_triage_names_the_sign_and_sets_its_urgency() -> None:
    tracker = make_tracker(
        slots={"pain_level": 5.0, "pain_duration_weeks": 1.0, "red_flags": ["leg_chest_signs"]}
    )
    result = run_action(ActionTriage(), tracker)
    assert "a weak leg or foot" in result.text and "emergency department now" in result.text
    assert result.slots["red_flag_urgency"] == "emergency"


def test_flare_up_and_age_add_their_advice() -> None:
    tracker = make_tracker(
        slots={"pain_level": 6.0, "pain_duration_weeks": 0.4, "flare_up": True, "age": 58.0}
    )
    result = run_action(ActionTriage(), tracker)
    assert result.responses == ["utter_advice_flare_up", "utter_advice_acute", "utter_advice_gp_for_age"]
    assert "/ask_self_care" in result.buttons


def test_an_answered_question_keeps_the_advice_short() -> None:
    slots = {"pain_level": 6.0, "pain_duration_weeks": 0.4, "triage": "acute", "safety_check": "ask"}
    result = run_action(ActionTriage(), make_tracker(slots=slots))
    assert result.responses == ["utter_screening_all_clear"]


def test_red_flag_alert_names_the_sign_and_stops_the_form() -> None:
    tracker = make_tracker(
        "I wet myself and my legs feel weak", "report_red_flag", active_loop="assessment_form"
    )
    result = run_action(ActionRedFlagAlert(), tracker)
    assert result.responses == ["utter_urgent_emergency"]
    assert "trouble passing urine" in result.text and "weakness in a leg" in result.text
    assert set(result.slots["red_flags"]) == {"bladder_bowel", "leg_weakness"}
    assert result.slots["triage"] == "urgent" and result.slots["red_flag_urgency"] == "emergency"
    assert result.slots["safety_check"] == "alert"
    assert any(e["event"] == "active_loop" and e["name"] is None for e in result.events)


def test_groin_numbness_is_an_emergency_not_a_same_day_visit() -> None:
    result = run_action(
        ActionRedFlagAlert(), make_tracker("never had this before: numbness in my groin", "report_red_flag")
    )
    assert result.responses == ["utter_urgent_emergency"]


def test_red_flag_alert_keeps_earlier_signs() -> None:
    tracker = make_tracker("I also had cancer years ago", "report_red_flag", slots={"red_flags": ["fever"]})
    result = run_action(ActionRedFlagAlert(), tracker)
    assert result.slots["red_flags"] == ["fever", "cancer_history"]
    assert result.responses == ["utter_urgent_same_day"]


def test_a_possible_sign_is_asked_about_not_alarmed() -> None:
    tracker = make_tracker("I can hardly walk because of the pain", "report_red_flag")
    result = run_action(ActionRedFlagAlert(), tracker)
    assert result.messages == []
    assert result.slots == {
        "safety_check": "ask",
        "screening_queue": ["leg_weakness"],
        "red_flags_screened": None,
    }
    assert {
        "event": "active_loop",
        "name": None,
        "timestamp": None,
    } in result.events  # the form starts afresh


def test_a_model_only_suspicion_without_a_named_sign_raises_nothing() -> None:
    tracker = make_tracker("I think something serious is going on", "report_red_flag")
    result = run_action(ActionRedFlagAlert(), tracker)
    assert result.slots == {"safety_check": "ask"}
    assert "red_flags" not in result.slots


def test_crisis_gets_support_lines_and_stops_everything() -> None:
    tracker = make_tracker(
        "I want to kill myself, this back pain is unbearable", "crisis", active_loop="assessment_form"
    )
    result = run_action(ActionCrisisSupport(), tracker)
    assert result.responses == ["utter_crisis_support"]
    assert "116 123" in result.text and "988" in result.text and "0800 111 0 111" in result.text
    assert "999" in result.text and "911" in result.text and "112" in result.text
    assert "out of 10" not in result.text and "exercise" not in result.text.lower()
    assert result.slots["crisis"] is True
    assert any(e["event"] == "active_loop" and e["name"] is None for e in result.events)


def test_crisis_lines_follow_the_configured_countries(use_settings) -> None:
    use_settings(crisis_countries=("DE",))
    result = run_action(ActionCrisisSupport(), make_tracker("i want to die", "crisis"))
    assert "0800 111 0 222" in result.text and "116 123" not in result.text and "112" in result.text


def test_model_only_crisis_asks_directly_then_supports() -> None:
    asked = run_action(ActionCrisisSupport(), make_tracker("I just can't cope with any of it", "crisis"))
    assert asked.responses == ["utter_crisis_check"] and asked.slots["crisis_check"] is True
    yes = run_action(ActionCrisisSupport(), make_tracker("yes", "affirm", slots={"crisis_check": True}))
    assert yes.responses == ["utter_crisis_support"] and yes.slots["crisis"] is True
    no = run_action(ActionCrisisSupport(), make_tracker("no", "deny", slots={"crisis_check": True}))
    assert no.responses == ["utter_crisis_check_declined"] and no.slots == {"crisis_check": False}


def test_crisis_and_a_warning_sign_get_both_replies_crisis_first() -> None:
    result = run_action(
        ActionCrisisSupport(), make_tracker("i want to die and i cant feel my groin", "crisis")
    )
    assert result.responses == ["utter_crisis_support", "utter_urgent_emergency"]
    assert result.slots["red_flags"] == ["saddle_numbness"]


def test_a_warning_sign_is_remembered_in_the_next_session() -> None:
    run_action(
        ActionRedFlagAlert(), make_tracker("I have a fever of 39", "report_red_flag", sender_id="returning")
    )
    result = run_action(ActionSessionStart(), make_tracker(sender_id="returning"))
    assert result.events[0]["event"] == "session_started"
    assert (result.events[-1]["event"], result.events[-1]["name"]) == ("action", "action_listen")
    assert result.slots["red_flags"] == ["fever"] and result.slots["triage"] == "urgent"
    assert result.responses == ["utter_remembered_warning_signs"]
    assert "a fever" in result.text


def test_a_new_person_starts_without_flags() -> None:
    result = run_action(ActionSessionStart(), make_tracker(sender_id="somebody-new"))
    assert result.slots == {} and result.messages == []


def test_signs_older_than_two_weeks_are_not_held_against_the_person() -> None:
    old = datetime.now(timezone.utc) - timedelta(days=15)
    warning_sign_records().record("older", [ReportedSign("fever", "same_day", old)])
    assert run_action(ActionSessionStart(), make_tracker(sender_id="older")).slots == {}


def test_a_doctors_check_lifts_the_signs_for_good() -> None:
    run_action(
        ActionRedFlagAlert(), make_tracker("I fell down the stairs", "report_red_flag", sender_id="checked")
    )
    flagged = {"red_flags": ["trauma"], "triage": "urgent"}
    tracker = make_tracker("a doctor checked me", "doctor_checked", slots=flagged, sender_id="checked")
    result = run_action(ActionDoctorChecked(), tracker)
    assert result.responses == ["utter_doctor_checked"]
    assert (
        result.slots["red_flags"] == []
        and result.slots["triage"] is None
        and result.slots["screening_done"] == []
    )
    assert result.slots["doctor_checked"] is True
    # The next session is not held back, and screens for what is new since the check.
    assert run_action(ActionSessionStart(), make_tracker(sender_id="checked")).slots == {
        "doctor_checked": True
    }


@pytest.mark.parametrize(
    "text", ["back pain 5/10 since 3 days", "no fever, no numbness, bladder fine, just a sore back"]
)
def test_unclear_message_with_pain_details_starts_the_assessment(text: str) -> None:
    result = run_action(ActionUnclearMessage(), make_tracker(text, "nlu_fallback"))
    assert result.events == [{"event": "followup", "name": "assessment_form", "timestamp": None}]
    assert result.messages == []


def test_unclear_message_without_details_gets_a_kind_answer() -> None:
    result = run_action(ActionUnclearMessage(), make_tracker("qwpoeiru zxmvn", "nlu_fallback"))
    assert result.responses == ["utter_default"]
    assert result.events == []


@pytest.fixture
def database_down(use_settings):
    """The database refuses connections (nothing listens on port 1)."""
    from actions.library import forget_connections

    use_settings(database_url="postgresql://nobody@127.0.0.1:1/backcare")
    forget_connections()
    yield
    forget_connections()


def test_the_advice_is_given_when_the_database_is_down(database_down) -> None:
    result = run_action(ActionRedFlagAlert(), make_tracker("I wet myself", "report_red_flag"))
    assert result.responses == ["utter_urgent_emergency"]
    assert result.slots["red_flags"] == ["bladder_bowel"]


def test_a_session_starts_when_the_database_is_down(database_down) -> None:
    result = run_action(ActionSessionStart(), make_tracker(sender_id="anyone"))
    assert [event["event"] for event in result.events] == ["session_started", "action"]
    assert result.messages == []


# --- the person's language -------------------------------------------------------------

GERMAN = {"language": "de"}


def test_a_german_person_gets_the_german_crisis_lines_first() -> None:
    result = run_action(
        ActionCrisisSupport(), make_tracker("ich will nicht mehr leben", "crisis", slots=GERMAN)
    )
    assert result.responses == ["utter_crisis_support"]
    support = result.messages[0]
    assert support["crisis_lines"].startswith(
        "Deutschland: TelefonSeelsorge: 0800 111 0 111 oder 0800 111 0 222 (kostenlos, rund um die Uhr); "
    )
    assert "Großbritannien: Samaritans: 116 123 anrufen" in support["crisis_lines"]
    assert support["emergency_numbers"] == "112 (Deutschland) oder 999 (Großbritannien) oder 911 (USA)"
    # As the person reads it: the German reply, the TelefonSeelsorge before any other line.
    assert "Notaufnahme" in result.text
    assert result.text.index("0800 111 0 111") < result.text.index("116 123")
    assert result.slots["crisis"] is True


def test_the_english_crisis_lines_stay_as_they_were() -> None:
    result = run_action(ActionCrisisSupport(), make_tracker("i want to die", "crisis"))
    assert result.messages[0]["emergency_numbers"] == "999 (UK) or 911 (US) or 112 (Germany)"
    assert result.messages[0]["crisis_lines"] == (
        "UK: Samaritans: call 116 123 (free, 24 hours) or Shout: text SHOUT to 85258; "
        "US: 988 Suicide & Crisis Lifeline: call or text 988; "
        "Germany: TelefonSeelsorge: 0800 111 0 111 or 0800 111 0 222 (free, 24 hours)"
    )


def test_a_german_warning_sign_is_named_in_german() -> None:
    tracker = make_tracker("seit heute früh kann ich nicht mehr pinkeln", "report_red_flag", slots=GERMAN)
    result = run_action(ActionRedFlagAlert(), tracker)
    assert result.responses == ["utter_urgent_emergency"]
    assert result.messages[0]["signs"] == (
        "neue Probleme beim Wasserlassen oder mit der Kontrolle über Blase oder Darm"
    )
    assert result.slots["red_flags"] == ["bladder_bowel"] and result.slots["red_flag_urgency"] == "emergency"


def test_german_crisis_and_a_warning_sign_get_both_replies_in_german() -> None:
    tracker = make_tracker("ich will sterben und untenrum ist alles taub", "crisis", slots=GERMAN)
    result = run_action(ActionCrisisSupport(), tracker)
    assert result.responses == ["utter_crisis_support", "utter_urgent_emergency"]
    assert result.messages[1]["signs"].startswith("Taubheit oder Kribbeln am Po")


def test_urgent_triage_names_the_signs_in_german() -> None:
    slots = {
        **GERMAN,
        "pain_level": 5.0,
        "pain_duration_weeks": 1.0,
        "red_flags": ["fever", "unsure_nerve_signs"],
    }
    result = run_action(ActionTriage(), make_tracker(slots=slots))
    assert result.responses == ["utter_urgent_same_day"]
    assert result.messages[0]["signs"] == (
        # A comma inside a name: the names are kept apart by semicolons.
        "Fieber oder ein starkes Krankheitsgefühl; Taubheit am Po oder im Intimbereich oder neue Probleme "
        "mit Blase, Darm oder Sex"
    )


ASSESSED_DE = {**GERMAN, "pain_level": 5.0, "pain_duration_weeks": 1.0}


def screen(text: str, intent: str, **slots):
    from actions.assessment import ValidateAssessmentForm

    tracker = make_tracker(
        text, intent, slots={"requested_slot": "red_flags_screened", **slots}, active_loop="assessment_form"
    )
    return run_action(ValidateAssessmentForm(), tracker)


def test_the_screening_question_is_asked_in_german() -> None:
    from actions.assessment import ValidateAssessmentForm

    tracker = make_tracker(
        "Kreuzschmerzen 5 von 10 seit gestern", "report_pain", slots=GERMAN, active_loop="assessment_form"
    )
    result = run_action(ValidateAssessmentForm(), tracker)
    assert result.slots["screening_question"].startswith(
        "Haben Sie, seit die Rückenschmerzen begonnen haben,"
    )


@pytest.mark.parametrize("answer", ["nein", "Nö, nichts davon", "nee"])
def test_a_german_no_moves_to_the_next_group(answer: str) -> None:
    result = screen(answer, "inform", **ASSESSED_DE)
    assert result.slots["screening_done"] == ["nerve_signs"]
    assert result.slots["screening_question"].startswith("Wird ein Bein oder Fuß schwach")


def test_a_german_yes_is_that_warning_sign() -> None:
    result = screen("ja, ein bisschen", "inform", **ASSESSED_DE)
    assert result.slots["red_flags"] == ["nerve_signs"]


def test_german_not_sure_is_explained_in_german_and_asked_again() -> None:
    result = screen("weiß nicht", "inform", **ASSESSED_DE)
    assert result.responses == ["utter_screening_look_for"]
    assert "Toilettenpapier" in result.messages[0]["look_for"]
    assert result.slots["screening_unsure"] == ["nerve_signs"] and "red_flags" not in result.slots


def test_only_painful_answers_the_german_walking_question() -> None:
    result = screen("nur Schmerzen", "inform", screening_queue=["leg_weakness"], **ASSESSED_DE)
    assert result.slots["screening_queue"] == [] and "leg_weakness" in result.slots["screening_done"]
    assert "red_flags" not in result.slots
