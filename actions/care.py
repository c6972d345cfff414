"""Care over weeks: welcome back, the daily check-in, "how am I doing?", the doctor's summary.

What a person did before comes from BackCare's database (`bot.care`), never
from the Rasa tracker, so it holds across Rasa sessions and replicas. Every
reply is a domain response in the person's language (the `language` slot);
the values put into them (exercise names, the summary, the links to the chart
and the PDF) are in that language too.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import List, Optional, Text
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.care_plan import announce_week
from actions.conversation import red_flags, triage_stage
from actions.library import care_records, exercise_library
from actions.warning_signs import advise
from bot import clock
from bot.care.links import care_link
from bot.care.records import CareHistory
from bot.care.summary import build_summary, local_check_ins, warning_sign_names
from bot.care.trend import Direction, pain_trend
from bot.care.wording import wording
from bot.clinical import Triage
from bot.knowledge import DatabaseUnavailable
from bot.languages import ENGLISH, language_of
from bot.safety import safety_table

logger = logging.getLogger(__name__)

# After this long without a check-in, a new visit is a new episode: the full assessment.
EPISODE_GAP_DAYS = 14


def local_day_gap(history: CareHistory, earlier: datetime, now: datetime) -> int:
    """Calendar days between two moments in the person's time zone (UTC if unknown)."""
    try:
        zone = ZoneInfo(history.time_zone) if history.time_zone else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return (now.astimezone(zone).date() - earlier.astimezone(zone).date()).days


def exercise_name(slug: Optional[str], language: str = ENGLISH) -> Optional[str]:
    if not slug:
        return None
    try:
        exercise = exercise_library().get(slug, language)
    except DatabaseUnavailable:
        return None
    return exercise.name if exercise else None


def welcome_back(
    dispatcher: CollectingDispatcher, history: CareHistory, now: datetime, language: str = ENGLISH
) -> None:
    """ "Welcome back. Last time (3 days ago) your pain was 7/10 and you did ..." """
    last = history.last_pain()
    assert last is not None and last.pain is not None
    days = local_day_gap(history, last.at, now)
    when = "today" if days <= 0 else "yesterday" if days == 1 else "days"
    name = exercise_name(history.last_exercise(), language)
    dispatcher.utter_message(
        response=f"utter_welcome_back_{when}{'_exercise' if name else ''}",
        pain=last.pain,
        days=days,
        exercise=name,
    )


def check_in_events(history: CareHistory, now: datetime) -> List[EventType]:
    """The assessment form, pre-filled from the record: today's pain and one short safety question.

    The episode's duration and leg pain are known; of the warning-sign screening
    only the emergency signs are asked again (data/red_flags.yml, `check_in`).
    """
    table = safety_table()
    if table.check_in is None:
        return []
    weeks = history.weeks_since_episode_start(now)
    events: List[EventType] = [
        SlotSet("returning", True),
        SlotSet("pain_level", None),
        # The welcome back asked for today's pain: a bare "4" answers it.
        SlotSet("requested_slot", "pain_level"),
        SlotSet("red_flags_screened", None),
        SlotSet("screening_done", [group.code for group in table.screening]),
        SlotSet("screening_queue", [table.check_in.code]),
    ]
    if weeks is not None:
        events.append(SlotSet("pain_duration_weeks", round(weeks, 2)))
    if history.leg_pain:
        events.append(SlotSet("leg_pain", history.leg_pain))
    return events


def returning_history(tracker: Tracker, now: datetime) -> Optional[CareHistory]:
    """The person's record if they checked in during this episode (the last two weeks)."""
    try:
        history = care_records().history(tracker.sender_id)
    except DatabaseUnavailable:
        logger.exception("Care records unavailable; greeting as a new person")
        return None
    last = history.last_pain() if history else None
    if history is None or last is None:
        return None
    if (now - last.at).days > EPISODE_GAP_DAYS:
        return None
    return history


class ActionGreet(Action):
    """A new person gets the disclaimer; a returning one their last record and the check-in."""

    def name(self) -> Text:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        now = clock.now()
        history = returning_history(tracker, now)
        if history is None or red_flags(tracker):
            # A remembered warning sign was given at session start: no check-in for exercise.
            dispatcher.utter_message(response="utter_greet")
            dispatcher.utter_message(response="utter_ask_how_back")
            return []
        welcome_back(dispatcher, history, now, language_of(tracker))
        dispatcher.utter_message(response="utter_ask_check_in")
        return check_in_events(history, now)


class ActionCheckInReminder(Action):
    """A daily reminder (sent by `backcare reminders`): the same check-in as a welcome back."""

    def name(self) -> Text:
        return "action_check_in_reminder"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        now = clock.now()
        dispatcher.utter_message(response="utter_check_in_reminder")
        history = returning_history(tracker, now)
        if history is None or red_flags(tracker):
            dispatcher.utter_message(response="utter_ask_how_back")
            return []
        dispatcher.utter_message(response="utter_ask_check_in")
        return check_in_events(history, now)


class ActionShowProgress(Action):
    """The pain record as a chart and a sentence, and the advice that fits the trend."""

    def name(self) -> Text:
        return "action_show_progress"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        codes = red_flags(tracker)
        if codes:
            # A warning sign stands: its advice, not a trend.
            advise(dispatcher, codes, language_of(tracker))
            return []
        now = clock.now()
        try:
            history = care_records().history(tracker.sender_id)
            care_records().touch(tracker.sender_id)
        except DatabaseUnavailable:
            logger.exception("Care records unavailable for the progress")
            dispatcher.utter_message(response="utter_care_records_down")
            return []
        last = history.last_pain() if history else None
        if history is None or last is None:
            dispatcher.utter_message(response="utter_progress_no_record")
            return []
        # Days are the person's own (their time zone), as on the chart.
        trend = pain_trend(local_check_ins(history), history.episode_started_at, now)
        if trend is None:
            dispatcher.utter_message(response="utter_progress_one_day", pain=last.pain)
            return []
        dispatcher.utter_message(
            response="utter_progress_chart",
            image=care_link(tracker.sender_id, "chart", now, language=language_of(tracker)),
        )
        dispatcher.utter_message(
            response="utter_progress_trend_one_day" if trend.days == 1 else "utter_progress_trend",
            first=trend.first,
            last=trend.last,
            days=trend.days,
        )
        dispatcher.utter_message(response=trend.advice)
        stage = triage_stage(tracker) or (Triage(history.stage) if history.stage else None)
        if trend.direction is Direction.IMPROVING and stage not in (None, Triage.URGENT):
            announce_week(dispatcher, history, stage.value, now)
        return []


class ActionDoctorSummary(Action):
    """One page for the doctor: in the chat as text, and as a PDF behind a private link."""

    def name(self) -> Text:
        return "action_doctor_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        now = clock.now()
        language = language_of(tracker)
        try:
            history = care_records().history(tracker.sender_id)
            names = {item.slug: item.name for item in exercise_library().all(language)}
        except DatabaseUnavailable:
            logger.exception("Care records unavailable for the summary")
            dispatcher.utter_message(response="utter_care_records_down")
            return []
        if history is None:
            dispatcher.utter_message(response="utter_summary_none")
            return []
        summary = build_summary(history, now, names, warning_sign_names(language), wording(language))
        dispatcher.utter_message(response="utter_summary_text", summary=summary.text())
        dispatcher.utter_message(
            response="utter_summary_pdf",
            attachment=care_link(tracker.sender_id, "summary", now, language=language),
        )
        return []
