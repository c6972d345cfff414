"""One conversation's facts, from the events as the store gives them."""

from __future__ import annotations

from typing import Any, List, Optional

from bot.report.facts import ConversationFacts
from bot.report.sessions import conversations
from bot.report.store import StoredEvent


def action(name: str) -> StoredEvent:
    return StoredEvent("someone", "action", 0.0, None, name)


def user(intent: str) -> StoredEvent:
    return StoredEvent("someone", "user", 0.0, intent, None)


def slot(name: str, value: Any) -> StoredEvent:
    return StoredEvent("someone", "slot", 0.0, None, name, value)


def facts_of(*events: StoredEvent, start: Optional[List[StoredEvent]] = None) -> ConversationFacts:
    (only,) = list(conversations([action("action_session_start"), *(start or []), *events]))
    return only


def test_advice_repeated_for_a_remembered_sign_is_not_a_new_referral() -> None:
    remembered = [
        slot("red_flags", ["fever"]),
        slot("red_flag_urgency", "same_day"),
        slot("triage", "urgent"),
    ]
    # Later in the conversation the form ends at once and the triage repeats the advice.
    again = facts_of(
        user("report_pain"),
        action("assessment_form"),
        action("action_triage"),
        slot("red_flags", ["fever"]),
        slot("red_flag_urgency", "same_day"),
        start=remembered,
    )
    assert "urgent_referral" in again.markers and not again.new_referral
    assert again.remembered_signs == {"fever"} and not again.new_signs
    # A new sign in the same conversation is a new referral, the most urgent advice counts.
    new = facts_of(
        user("report_red_flag"),
        action("action_red_flag_alert"),
        slot("red_flags", ["fever", "leg_weakness"]),
        slot("red_flag_urgency", "emergency"),
        start=remembered,
    )
    assert new.new_referral and new.new_signs == {"leg_weakness"} and new.urgency == "emergency"


def test_it_hurts_counts_only_during_an_exercise() -> None:
    outside = facts_of(user("it_hurts"), action("action_exercise_hurts"))
    assert outside.it_hurts == 0 and "it_hurts" not in outside.markers
    during = facts_of(
        action("action_offer_exercises"),
        slot("current_exercise", "cat_camel"),
        user("it_hurts"),
        action("action_exercise_hurts"),
        slot("current_exercise", None),
        user("it_hurts"),
        action("action_exercise_hurts"),
    )
    assert during.it_hurts == 1 and during.exercises_started == 1


def test_a_message_falls_back_once_and_a_reminder_is_not_a_message() -> None:
    facts = facts_of(
        user("EXTERNAL_check_in_reminder"),
        action("action_check_in_reminder"),
        user("nlu_fallback"),
        action("action_default_fallback"),
        user("greet"),
        action("action_greet"),
    )
    assert (facts.user_turns, facts.fallback_turns) == (2, 1)


def test_only_the_last_steps_next_completes_an_exercise() -> None:
    facts = facts_of(
        action("action_offer_exercises"),
        slot("exercises_done", []),
        slot("current_exercise", "cat_camel"),
        action("action_next_step"),
        slot("current_step", 2.0),
        action("action_another_exercise"),
        slot("exercises_done", ["cat_camel"]),  # skipped, not completed
        slot("current_exercise", "bridge"),
        action("action_next_step"),
        slot("exercises_done", ["cat_camel", "bridge"]),
        slot("current_exercise", None),
    )
    assert (facts.exercises_started, facts.exercises_completed) == (2, 1)
