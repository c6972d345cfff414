"""The reminder form and its actions on a real SQLite database."""

from __future__ import annotations

from actions.library import care_records, reminders
from actions.reminders import ActionSetReminder, ActionStopReminders, ValidateReminderForm
from tests.actions.conftest import make_tracker, run_action

PERSON = "telegram:5150"


def form_turn(text: str, intent: str, slots: dict, sender: str = PERSON):
    tracker = make_tracker(text, intent, slots=slots, active_loop="reminder_form", sender_id=sender)
    return run_action(ValidateReminderForm(), tracker)


def test_the_time_and_the_place_are_read_from_what_people_write() -> None:
    first = form_turn("please remind me every day at 7pm", "set_reminder", {"requested_slot": None})
    assert first.slots["reminder_time"] == "19:00"
    assert first.slots.get("requested_slot") in (None, "time_zone")
    second = form_turn(
        "I live in Berlin", "inform", {"reminder_time": "19:00", "requested_slot": "time_zone"}
    )
    assert second.slots["time_zone"] == "Europe/Berlin"
    assert second.responses == []


def test_an_unreadable_answer_is_asked_again_and_no_leaves_the_form_to_the_rules() -> None:
    unknown = form_turn("somewhere nice", "inform", {"reminder_time": "08:00", "requested_slot": "time_zone"})
    assert unknown.responses == ["utter_invalid_time_zone"]
    assert unknown.slots["time_zone"] is None
    leaving = form_turn("no thanks", "deny", {"reminder_time": "08:00", "requested_slot": "time_zone"})
    assert leaving.responses == [] and "time_zone" not in leaving.slots


def test_set_on_telegram_then_the_zone_is_not_asked_again_and_stop_works() -> None:
    tracker = make_tracker(
        "Berlin", "inform", slots={"reminder_time": "08:00", "time_zone": "Europe/Berlin"}, sender_id=PERSON
    )
    run = run_action(ActionSetReminder(), tracker)
    assert run.responses == ["utter_reminder_set"]
    assert "every day at 08:00 (Europe/Berlin)" in run.text
    stored = reminders().get(PERSON)
    assert stored is not None and (stored.hour, stored.minute, stored.active) == (8, 0, True)
    assert care_records().history(PERSON).time_zone == "Europe/Berlin"
    # Next time only the time is asked.
    again = form_turn("remind me at 9", "set_reminder", {"requested_slot": None})
    assert again.slots["reminder_time"] == "09:00" and again.slots.get("requested_slot") is None
    stop = run_action(
        ActionStopReminders(), make_tracker("stop reminders", "stop_reminders", sender_id=PERSON)
    )
    assert stop.responses == ["utter_reminders_stopped"]
    assert reminders().get(PERSON).active is False
    none = run_action(
        ActionStopReminders(), make_tracker("stop reminders", "stop_reminders", sender_id="web:x")
    )
    assert none.responses == ["utter_no_reminders"]


def test_the_web_says_when_the_check_in_waits_and_rest_has_no_reminders() -> None:
    slots = {"reminder_time": "18:30", "time_zone": "Europe/London"}
    web = run_action(ActionSetReminder(), make_tracker("London", "inform", slots=slots, sender_id="web:abc"))
    assert web.responses == ["utter_reminder_set_web"]
    rest = run_action(
        ActionSetReminder(), make_tracker("London", "inform", slots=slots, sender_id="curl-user")
    )
    assert rest.responses == ["utter_reminder_not_here"]
    assert reminders().get("curl-user") is None
    assert (
        form_turn("remind me at 8", "set_reminder", {}, sender="curl-user").slots.get("requested_slot")
        is None
    )


GERMAN = {"language": "de"}


def test_a_german_speaker_sets_a_reminder_in_german_words() -> None:
    first = form_turn(
        "bitte erinnere mich jeden Abend um halb acht", "set_reminder", {"requested_slot": None, **GERMAN}
    )
    assert first.slots["reminder_time"] == "19:30"
    asked = form_turn("um 19 Uhr", "inform", {"requested_slot": "reminder_time", **GERMAN})
    assert asked.slots["reminder_time"] == "19:00" and asked.responses == []
    place = form_turn(
        "Ich wohne in München", "inform", {"reminder_time": "19:00", "requested_slot": "time_zone", **GERMAN}
    )
    assert place.slots["time_zone"] == "Europe/Berlin"
    assert place.responses == []


def test_a_german_answer_that_is_no_time_or_place_is_asked_again_in_german() -> None:
    no_time = form_turn("alle 2 Tage", "inform", {"requested_slot": "reminder_time", **GERMAN})
    assert no_time.responses == ["utter_invalid_reminder_time"]
    assert no_time.slots["reminder_time"] is None
    assert "19 Uhr" in no_time.text  # the German example, which the parser reads (above)
    nowhere = form_turn(
        "irgendwo schön", "inform", {"reminder_time": "08:00", "requested_slot": "time_zone", **GERMAN}
    )
    assert nowhere.responses == ["utter_invalid_time_zone"]
    assert nowhere.slots["time_zone"] is None


def test_a_german_speaker_is_told_in_german_that_the_reminder_is_set() -> None:
    tracker = make_tracker(
        "Wien",
        "inform",
        slots={"reminder_time": "07:30", "time_zone": "Europe/Vienna", **GERMAN},
        sender_id=PERSON,
    )
    run = run_action(ActionSetReminder(), tracker)
    assert run.responses == ["utter_reminder_set"]
    assert "07:30" in run.text and "Europe/Vienna" in run.text and "every day" not in run.text
    stored = reminders().get(PERSON)
    assert stored is not None and (stored.hour, stored.minute, stored.time_zone) == (7, 30, "Europe/Vienna")
