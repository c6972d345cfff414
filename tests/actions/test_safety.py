"""Triage and the red-flag interruption."""

from __future__ import annotations

import pytest

from actions.safety import ActionRedFlagAlert, ActionTriage, ActionUnclearMessage
from tests.actions.conftest import make_tracker, run_action


@pytest.mark.parametrize(
    ("pain", "weeks", "flags", "stage", "response"),
    [
        (8.0, 0.5, [], "acute", "utter_advice_acute"),
        (2.0, 3.0, [], "recovery", "utter_advice_recovery"),
        (9.0, 20.0, [], "chronic", "utter_advice_chronic"),
        (1.0, 1.0, ["fever"], "urgent", "utter_urgent_prompt"),
        (1.0, 1.0, ["leg_weakness"], "urgent", "utter_urgent_emergency"),
        (5.0, 1.0, ["screen_positive"], "urgent", "utter_urgent_prompt"),
    ],
)
def test_triage_sets_the_stage_and_gives_its_advice(pain, weeks, flags, stage, response) -> None:
    tracker = make_tracker(slots={"pain_level": pain, "pain_duration_weeks": weeks, "red_flags": flags})
    result = run_action(ActionTriage(), tracker)
    assert result.slots == {"triage": stage}
    assert result.responses == [response]


def test_red_flag_alert_names_the_sign_and_stops_the_form() -> None:
    tracker = make_tracker("I wet myself and my legs feel weak", "report_red_flag", active_loop="assessment_form")
    result = run_action(ActionRedFlagAlert(), tracker)
    assert result.responses == ["utter_urgent_emergency"]
    assert set(result.slots["red_flags"]) == {"bladder_bowel", "leg_weakness"}
    assert result.slots["triage"] == "urgent"
    assert any(e["event"] == "active_loop" and e["name"] is None for e in result.events)


def test_red_flag_alert_keeps_earlier_signs() -> None:
    tracker = make_tracker("I also had cancer years ago", "report_red_flag", slots={"red_flags": ["fever"]})
    result = run_action(ActionRedFlagAlert(), tracker)
    assert result.slots["red_flags"] == ["fever", "cancer_history"]
    assert result.responses == ["utter_urgent_prompt"]


def test_model_only_red_flag_still_counts() -> None:
    tracker = make_tracker("I think something serious is going on", "report_red_flag")
    result = run_action(ActionRedFlagAlert(), tracker)
    assert result.slots["red_flags"] == ["unspecified"]
    assert result.slots["triage"] == "urgent"


def test_unclear_message_with_pain_details_starts_the_assessment() -> None:
    result = run_action(ActionUnclearMessage(), make_tracker("back pain 5/10 since 3 days", "nlu_fallback"))
    assert result.events == [{"event": "followup", "name": "assessment_form", "timestamp": None}]
    assert result.messages == []


def test_unclear_message_without_details_gets_a_kind_answer() -> None:
    result = run_action(ActionUnclearMessage(), make_tracker("qwpoeiru zxmvn", "nlu_fallback"))
    assert result.responses == ["utter_default"]
    assert result.events == []
