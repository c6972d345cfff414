"""Care over weeks in the actions: welcome back, check-in, trend, plan, summary.

The records are written through `bot.care.records` at pinned clock times, the
way the actions write them in a conversation, and read back by the actions.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterator, Optional

import pytest

from actions.care import ActionCheckInReminder, ActionDoctorSummary, ActionGreet, ActionShowProgress
from actions.exercises import ActionOfferExercises
from actions.library import care_records, exercise_library
from actions.safety import ActionTriage
from bot import clock
from bot.care.links import CareLink, read_care_token
from bot.safety import safety_table
from tests.actions.conftest import EXERCISE_FILE, Run, make_tracker, run_action

PERSON = "telegram:4242"
START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    clock.use_clock(START)
    yield
    clock.use_clock(None)


def at(days: float) -> datetime:
    moment = START + timedelta(days=days)
    clock.use_clock(moment)
    return moment


def check_in(days: float, pain: int, stage: str = "acute", duration: Optional[float] = None) -> None:
    at(days)
    care_records().record_check_in(
        PERSON,
        pain=pain,
        warning_signs="none",
        source="assessment" if duration is not None else "check_in",
        stage=stage,
        duration_weeks=duration,
        leg_pain="none",
    )


def exercise(days: float, slug: str, kind: str) -> None:
    at(days)
    exercise_library().record_feedback(PERSON, slug, kind)


def name_of(slug: str) -> str:
    return EXERCISE_FILE[slug]["name"]


# --- welcome back -------------------------------------------------------------------------


def test_a_new_person_gets_the_disclaimer_and_no_record() -> None:
    run = run_action(ActionGreet(), make_tracker("hi", "greet", sender_id=PERSON))
    assert run.responses == ["utter_greet", "utter_ask_how_back"]
    assert run.slots == {}
    assert care_records().history(PERSON) is None


def test_a_returning_person_is_welcomed_back_with_their_last_record() -> None:
    check_in(0, 7, duration=0.3)
    exercise(0, "pelvic_tilt_seated", "completed")
    at(3)
    run = run_action(ActionGreet(), make_tracker("hi again", "greet", sender_id=PERSON))
    assert run.responses == ["utter_welcome_back_days_exercise", "utter_ask_check_in"]
    assert "Last time (3 days ago) your pain was 7/10 and you did Pelvic tilt (seated)." in run.text
    assert run.buttons  # today's pain in one tap
    # The form asks today's pain and one short emergency question; duration and leg pain are known.
    assert run.slots["returning"] is True
    assert run.slots["requested_slot"] == "pain_level"
    assert run.slots["screening_queue"] == [safety_table().check_in.code]
    assert set(run.slots["screening_done"]) == {group.code for group in safety_table().screening}
    assert run.slots["pain_duration_weeks"] == pytest.approx(0.3 + 3 / 7, abs=0.01)
    assert run.slots["leg_pain"] == "none"


def test_yesterday_and_earlier_today_are_said_as_such() -> None:
    check_in(0, 5, duration=1)
    at(1)
    yesterday = run_action(ActionGreet(), make_tracker("hello", "greet", sender_id=PERSON))
    assert "Last time (yesterday) your pain was 5/10." in yesterday.text
    at(1.2)
    check_in(1.2, 4)
    at(1.3)
    today = run_action(ActionGreet(), make_tracker("hello", "greet", sender_id=PERSON))
    assert "Earlier today your pain was 4/10." in today.text


def test_after_two_quiet_weeks_a_visit_starts_a_new_assessment() -> None:
    check_in(0, 6, duration=1)
    at(15)
    run = run_action(ActionGreet(), make_tracker("hi", "greet", sender_id=PERSON))
    assert run.responses == ["utter_greet", "utter_ask_how_back"]


def test_a_remembered_warning_sign_gets_no_exercise_check_in() -> None:
    check_in(0, 6, duration=1)
    at(2)
    tracker = make_tracker("hi", "greet", slots={"red_flags": ["fever"]}, sender_id=PERSON)
    run = run_action(ActionGreet(), tracker)
    assert "returning" not in run.slots
    assert "utter_ask_check_in" not in run.responses


def test_a_reminder_asks_for_the_same_check_in() -> None:
    check_in(0, 6, duration=1)
    at(1)
    run = run_action(
        ActionCheckInReminder(), make_tracker("", "EXTERNAL_check_in_reminder", sender_id=PERSON)
    )
    assert run.responses == ["utter_check_in_reminder", "utter_ask_check_in"]
    assert run.slots["returning"] is True


# --- check-in records -----------------------------------------------------------------------


def test_triage_records_the_assessment_and_dates_the_episode() -> None:
    at(0)
    slots = {"pain_level": 6.0, "pain_duration_weeks": 1.0, "leg_pain": "none", "red_flags_screened": True}
    run_action(ActionTriage(), make_tracker("no", "deny", slots=slots, sender_id=PERSON))
    history = care_records().history(PERSON)
    assert history is not None
    assert [(entry.pain, entry.source, entry.warning_signs) for entry in history.check_ins] == [
        (6, "assessment", "none")
    ]
    assert history.stage == "acute"
    assert history.episode_started_at == START - timedelta(weeks=1)


def test_a_check_in_keeps_the_episode_and_records_todays_pain() -> None:
    check_in(0, 6, duration=1)
    at(2)
    slots = {
        "pain_level": 4.0,
        "pain_duration_weeks": 1.3,
        "leg_pain": "none",
        "red_flags_screened": True,
        "returning": True,
    }
    run_action(ActionTriage(), make_tracker("no", "deny", slots=slots, sender_id=PERSON))
    history = care_records().history(PERSON)
    assert [(entry.pain, entry.source) for entry in history.check_ins] == [(6, "assessment"), (4, "check_in")]
    assert history.episode_started_at == START - timedelta(weeks=1)


def test_a_warning_sign_at_triage_is_recorded_as_reported() -> None:
    at(0)
    slots = {"pain_level": 6.0, "pain_duration_weeks": 1.0, "red_flags": ["check_in_signs"]}
    run = run_action(ActionTriage(), make_tracker("yes", "affirm", slots=slots, sender_id=PERSON))
    assert run.responses == ["utter_urgent_emergency"]
    history = care_records().history(PERSON)
    assert [entry.warning_signs for entry in history.check_ins] == ["reported"]
    assert [sign.code for sign in history.warning_signs] == ["check_in_signs"]


# --- how am I doing? ------------------------------------------------------------------------


def progress(slots: Optional[dict] = None) -> Run:
    return run_action(
        ActionShowProgress(),
        make_tracker("how am i doing?", "ask_progress", slots=slots or {}, sender_id=PERSON),
    )


def test_no_record_and_one_day_get_no_chart() -> None:
    assert progress().responses == ["utter_progress_no_record"]
    check_in(0, 6, duration=1)
    one_day = progress()
    assert one_day.responses == ["utter_progress_one_day"]
    assert "6/10" in one_day.text


def test_an_improving_trend_gets_the_chart_the_sentence_and_the_next_step() -> None:
    check_in(0, 7, duration=0.3)
    check_in(2, 6)
    check_in(5, 4)
    run = progress({"triage": "acute"})
    assert run.responses[:3] == ["utter_progress_chart", "utter_progress_trend", "utter_trend_improving"]
    assert run.messages[0]["image"].startswith("http://127.0.0.1:8080/care/chart/")
    assert "7/10 -> 4/10 over 5 days" in run.text
    assert run.responses[3] == "utter_plan_week"
    assert "Week 1 of your plan" in run.text


def test_a_worse_trend_sends_the_person_to_a_gp_or_physiotherapist_at_any_time() -> None:
    check_in(0, 3, duration=0.2)
    check_in(2, 6)
    run = progress({"triage": "acute"})
    assert "utter_trend_see_clinician_worse" in run.responses
    assert not any(name.startswith("utter_plan") for name in run.responses)


def test_flat_is_fine_early_and_a_reason_to_see_someone_after_three_weeks() -> None:
    check_in(0, 5, duration=0.5)
    check_in(4, 5)
    assert "utter_trend_flat" in progress({"triage": "acute"}).responses
    check_in(18, 4)  # the episode began half a week before the first check-in
    assert "utter_trend_see_clinician_flat" in progress({"triage": "subacute"}).responses


def test_a_standing_warning_sign_gets_its_advice_not_a_trend() -> None:
    check_in(0, 7, duration=0.3)
    check_in(3, 3)
    run = progress({"red_flags": ["bladder_bowel"], "triage": "urgent"})
    assert run.responses == ["utter_urgent_emergency"]


# --- a plan that grows ----------------------------------------------------------------------


def offer(days: float, pain: float, stage: str = "acute", returning: bool = True) -> Run:
    at(days)
    slots = {"triage": stage, "pain_level": pain, "pain_duration_weeks": 1.0, "returning": returning}
    return run_action(ActionOfferExercises(), make_tracker("2", "inform", slots=slots, sender_id=PERSON))


def test_the_plan_starts_quietly_at_the_first_visit() -> None:
    check_in(0, 5, duration=0.3)
    run = offer(0, 5, returning=False)
    assert not any(name.startswith("utter_plan") for name in run.responses)
    history = care_records().history(PERSON)
    assert (history.plan_week, history.plan_note) == (1, "start")


def test_two_good_sessions_with_low_pain_offer_the_harder_variant() -> None:
    check_in(0, 4, duration=0.3)
    offer(0, 4)
    exercise(0.1, "package_seat_static", "completed")
    check_in(1, 3)
    exercise(1.1, "package_seat_static", "completed")
    check_in(2, 2)
    run = offer(2, 2)
    assert "utter_plan_up" in run.responses
    harder = name_of("package_seat_dynamic")
    assert f"you are ready for {harder}, the harder variant of {name_of('package_seat_static')}" in run.text
    assert run.slots["current_exercise"] == "package_seat_dynamic"
    # The change is made once: the next offer the same day keeps the plan as it is.
    again = offer(2.1, 2)
    assert "utter_plan_up" not in again.responses


def test_no_harder_variant_while_the_pain_is_above_three() -> None:
    check_in(0, 5, duration=0.3)
    offer(0, 5)
    exercise(0.1, "package_seat_static", "completed")
    exercise(1.1, "package_seat_static", "completed")
    check_in(2, 5)
    run = offer(2, 5)
    assert "utter_plan_up" not in run.responses
    assert run.slots["current_exercise"] != "package_seat_dynamic"


def test_it_hurts_steps_the_plan_back_to_the_easier_variant() -> None:
    check_in(0, 3, stage="recovery", duration=4)
    offer(0, 3, stage="recovery")
    exercise(0.1, "back_extensor_strengthening", "hurt")
    check_in(1, 3, stage="recovery")
    run = offer(1, 3, stage="recovery")
    assert "utter_plan_back_easier" in run.responses
    assert run.slots["current_exercise"] == "bird_dog"
    assert "back_extensor_strengthening" in run.slots["exercises_hurt"]
    assert f"{name_of('back_extensor_strengthening')} hurt last time" in run.text


def test_a_week_without_pain_from_exercises_moves_the_plan_on() -> None:
    check_in(0, 5, duration=0.3)
    offer(0, 5)
    exercise(1, "shoulder_circles", "completed")
    check_in(8, 5)
    run = offer(8, 5)
    assert "utter_plan_next_week" in run.responses
    assert "Week 2 of your plan: 3 exercises a session" in run.text
    # The list is this week's session: three exercises.
    listed = next(
        message["exercises"] for message in run.messages if message.get("response") == "utter_exercise_list"
    )
    assert listed.count("\n") == 2
    assert care_records().history(PERSON).plan_week == 2


# --- the summary for the doctor ---------------------------------------------------------------


def test_the_summary_is_text_in_the_chat_and_a_private_pdf_link() -> None:
    check_in(0, 7, duration=0.3)
    exercise(0.1, "pelvic_tilt_seated", "completed")
    check_in(3, 4)
    run = run_action(
        ActionDoctorSummary(), make_tracker("summary for my doctor", "request_summary", sender_id=PERSON)
    )
    assert run.responses == ["utter_summary_text", "utter_summary_pdf"]
    assert "7" in run.messages[0]["text"] and "4" in run.messages[0]["text"]
    assert name_of("pelvic_tilt_seated") in run.messages[0]["text"]
    assert run.messages[1]["attachment"].startswith("http://127.0.0.1:8080/care/summary/")


def test_no_summary_without_records() -> None:
    run = run_action(
        ActionDoctorSummary(), make_tracker("summary for my doctor", "request_summary", sender_id=PERSON)
    )
    assert run.responses == ["utter_summary_none"]


# --- in German ----------------------------------------------------------------------------------

GERMAN = {"language": "de"}


def link_of(url: str, kind: str) -> CareLink:
    token = url.rsplit("/", 1)[1].removesuffix("." + ("png" if kind == "chart" else "pdf"))
    link = read_care_token(token, kind)
    assert link is not None
    return link


def test_a_german_speaker_is_welcomed_back_with_the_german_exercise_name() -> None:
    check_in(0, 7, duration=0.3)
    exercise(0, "pelvic_tilt_seated", "completed")
    at(3)
    run = run_action(ActionGreet(), make_tracker("hallo", "greet", slots=GERMAN, sender_id=PERSON))
    assert run.responses == ["utter_welcome_back_days_exercise", "utter_ask_check_in"]
    german_name = EXERCISE_FILE["pelvic_tilt_seated"]["translations"]["de"]["name"]
    assert run.messages[0]["exercise"] == german_name
    assert german_name in run.text and "Willkommen zurück" in run.text


def test_a_german_speakers_chart_link_is_german() -> None:
    check_in(0, 7, duration=0.3)
    check_in(2, 6)
    check_in(5, 4)
    run = progress({"triage": "acute", **GERMAN})
    assert run.responses[:2] == ["utter_progress_chart", "utter_progress_trend"]
    link = link_of(run.messages[0]["image"], "chart")
    assert (link.conversation_id, link.language) == (PERSON, "de")
    english = progress({"triage": "acute"})
    assert link_of(english.messages[0]["image"], "chart").language == "en"


def test_a_german_speaker_gets_the_summary_in_german_and_a_german_pdf_link() -> None:
    check_in(0, 7, duration=0.3)
    exercise(0.1, "pelvic_tilt_seated", "completed")
    check_in(3, 4)
    run = run_action(
        ActionDoctorSummary(),
        make_tracker("Zusammenfassung für meinen Arzt", "request_summary", slots=GERMAN, sender_id=PERSON),
    )
    assert run.responses == ["utter_summary_text", "utter_summary_pdf"]
    summary = run.messages[0]["text"]
    assert summary.startswith(
        "BackCare-Bericht für Arzt- oder Physiotherapiepraxis\nErstellt am 5. November 2026."
    )
    assert "Schmerzwerte" in summary and "2. Nov.: 7; 5. Nov.: 4" in summary
    assert "Gemacht: " + EXERCISE_FILE["pelvic_tilt_seated"]["translations"]["de"]["name"] in summary
    assert "Pelvic tilt" not in summary
    link = link_of(run.messages[1]["attachment"], "summary")
    assert (link.conversation_id, link.language) == (PERSON, "de")
