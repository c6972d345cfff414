"""The week-by-week plan in the conversation: say where the person is, and apply its changes.

`bot.care.plan` decides from the records; this module says it in one sentence
(domain.yml) and picks the exercise to start with. Exercise names in those
sentences are in the person's language.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import List, Optional, Sequence, Tuple

from rasa_sdk.executor import CollectingDispatcher

from actions.library import care_records
from bot.care.plan import Change, PlanDecision, PlanError, decide
from bot.care.records import CareHistory
from bot.knowledge import DatabaseUnavailable, Exercise, ExerciseRepository
from bot.languages import ENGLISH

logger = logging.getLogger(__name__)


def say_week(dispatcher: CollectingDispatcher, decision: PlanDecision) -> None:
    week = decision.week
    dispatcher.utter_message(
        response="utter_plan_week_once" if week.sessions_per_day == 1 else "utter_plan_week",
        week=week.week,
        exercises=week.exercises,
        sessions=week.sessions_per_day,
    )


def announce_week(dispatcher: CollectingDispatcher, history: CareHistory, stage: str, now: datetime) -> None:
    """ "Week 2 of your plan: ..." (the next step of the plan for an improving person)."""
    try:
        decision = decide(history, stage, now)
    except PlanError:
        logger.exception("The plan file cannot be read")
        return
    if decision is not None:
        say_week(dispatcher, decision)


def _store(conversation_id: str, decision: PlanDecision) -> None:
    try:
        care_records().set_plan(conversation_id, decision.week.week, decision.change.value)
    except DatabaseUnavailable:
        logger.exception("Could not store the plan's change")


@dataclass(frozen=True)
class PlanOffer:
    """What the plan changes in today's offer."""

    first: Optional[Exercise] = None  # the exercise to start with (None: the stage's first)
    leave_out: List[str] = field(default_factory=list)  # exercises not to offer today
    session_size: Optional[int] = None  # how many exercises make a session this week


def apply_plan(
    dispatcher: CollectingDispatcher,
    conversation_id: str,
    library: ExerciseRepository,
    stage: str,
    suitable: Sequence[Exercise],
    announce: bool,
    now: datetime,
    language: str = ENGLISH,
) -> PlanOffer:
    """Today's offer by the plan.

    Every change is stored; with `announce` (a returning person) it is also said.
    `suitable` and the exercises named in the sentences are in `language`.
    """
    try:
        history = care_records().history(conversation_id)
        decision = decide(history, stage, now) if history else None
    except (DatabaseUnavailable, PlanError):
        logger.exception("The plan could not be read; the stage's list is offered")
        return PlanOffer()
    if decision is None:
        return PlanOffer()
    if decision.change is not Change.SAME:
        _store(conversation_id, decision)
    by_slug = {item.slug: item for item in suitable}
    first: Optional[Exercise] = None
    leave_out: List[str] = []
    sentence: Optional[Tuple[str, dict]] = None
    if decision.change is Change.UP and decision.exercise:
        done = library.get(decision.exercise, language)
        harder = by_slug.get(done.harder) if done and done.harder else None
        if done and harder:
            first = harder
            latest = history.last_pain() if history else None
            sentence = (
                "utter_plan_up",
                {"pain": latest.pain if latest else None, "harder": harder.name, "exercise": done.name},
            )
    elif decision.change is Change.BACK and decision.exercise:
        hurt = library.get(decision.exercise, language)
        easier = by_slug.get(hurt.easier) if hurt and hurt.easier else None
        leave_out.append(decision.exercise)
        name = hurt.name if hurt else decision.exercise
        if easier:
            first = easier
            sentence = (
                "utter_plan_back_easier",
                {"exercise": name, "week": decision.week.week, "easier": easier.name},
            )
        else:
            sentence = ("utter_plan_back", {"exercise": name, "week": decision.week.week})
    elif decision.change is Change.WEEK:
        sentence = ("utter_plan_next_week", {"week": decision.week.week})
    if announce:
        if sentence:
            dispatcher.utter_message(response=sentence[0], **sentence[1])
        say_week(dispatcher, decision)
    return PlanOffer(first, leave_out, decision.week.exercises)
