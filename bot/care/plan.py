"""The week-by-week plan (data/plans.yml) and how it grows or steps back.

Decided from the person's records only: the exercises they completed or that
hurt (feedback), their latest pain score, and when the plan last changed.
A change is explained in one sentence by the action that applies it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

from bot.care.records import CareHistory, ExerciseEvent
from bot.paths import PROJECT_ROOT

PLANS_FILE = PROJECT_ROOT / "data" / "plans.yml"
# Pain at or below this after good sessions allows the harder variant.
PROGRESS_PAIN_AT_MOST = 3
GOOD_SESSIONS_BEFORE_PROGRESS = 2
DAYS_PER_PLAN_WEEK = 7


class PlanError(ValueError):
    """data/plans.yml cannot be used; the message says why."""


@dataclass(frozen=True)
class PlanWeek:
    week: int  # 1-based
    exercises: int  # per session
    sessions_per_day: int


class Change(str, Enum):
    START = "start"  # the plan begins at week 1
    UP = "up"  # good sessions: the harder variant of an exercise
    BACK = "back"  # an exercise hurt: a week back and the easier variant
    WEEK = "week"  # a week without pain from the exercises: the next week
    SAME = "same"  # nothing new since the last change


@dataclass(frozen=True)
class PlanDecision:
    week: PlanWeek
    change: Change
    # The exercise whose harder (UP) or easier (BACK) variant comes first.
    exercise: Optional[str] = None


def _week(entry: object, stage: str, number: int) -> PlanWeek:
    if not isinstance(entry, dict):
        raise PlanError(f"{stage} week {number}: expected a mapping")
    try:
        exercises, sessions = int(entry["exercises"]), int(entry["sessions_per_day"])
    except (KeyError, TypeError, ValueError) as error:
        raise PlanError(
            f"{stage} week {number}: needs whole numbers exercises and sessions_per_day"
        ) from error
    if exercises < 1 or sessions < 1:
        raise PlanError(f"{stage} week {number}: numbers must be positive")
    return PlanWeek(number, exercises, sessions)


def parse_plans(document: object) -> Dict[str, Tuple[PlanWeek, ...]]:
    stages = document.get("stages") if isinstance(document, dict) else None
    if not isinstance(stages, dict) or not stages:
        raise PlanError("expected `stages:` with a list of weeks per stage")
    plans = {}
    for stage, weeks in stages.items():
        if not isinstance(weeks, list) or not weeks:
            raise PlanError(f"{stage}: expected a list of weeks")
        plans[str(stage)] = tuple(_week(entry, stage, number) for number, entry in enumerate(weeks, 1))
    return plans


@lru_cache(maxsize=1)
def plans(path: Path = PLANS_FILE) -> Dict[str, Tuple[PlanWeek, ...]]:
    try:
        return parse_plans(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as error:
        raise PlanError(f"cannot read {path}: {error}") from error


def plan_week(stage: str, week: int) -> Optional[PlanWeek]:
    """The stage's week `week`, the last one beyond its end; None for a stage without a plan."""
    weeks = plans().get(stage)
    if not weeks:
        return None
    return weeks[min(max(week, 1), len(weeks)) - 1]


def _sessions(events: Tuple[ExerciseEvent, ...]) -> List[Tuple[date, List[ExerciseEvent]]]:
    """Exercise events grouped by day, oldest day first."""
    days: Dict[date, List[ExerciseEvent]] = {}
    for event in events:
        days.setdefault(event.at.date(), []).append(event)
    return sorted(days.items())


def decide(history: CareHistory, stage: str, now: datetime) -> Optional[PlanDecision]:
    """What the plan is today for `stage`, and how it changed since it was last stored."""
    week = history.plan_week if history.plan_note else 1
    if plan_week(stage, week) is None:
        return None
    changed_at = history.plan_changed_at
    since_change = [event for event in history.exercises if changed_at is None or event.at > changed_at]
    sessions = _sessions(history.exercises)
    last_session = sessions[-1][1] if sessions else []
    hurt = [event for event in last_session if event.kind == "hurt" and event in since_change]
    if hurt:
        return PlanDecision(_at(stage, week - 1), Change.BACK, hurt[-1].slug)
    if history.plan_note is None:
        return PlanDecision(_at(stage, 1), Change.START)
    good = _good_sessions(_sessions(tuple(since_change)))
    latest = history.last_pain()
    completed_since = [event for event in since_change if event.kind == "completed"]
    if (
        len(good) >= GOOD_SESSIONS_BEFORE_PROGRESS
        and completed_since
        and latest is not None
        and latest.pain is not None
        and latest.pain <= PROGRESS_PAIN_AT_MOST
    ):
        return PlanDecision(_at(stage, week), Change.UP, completed_since[-1].slug)
    current, following = _at(stage, week), _at(stage, week + 1)
    a_week_ago = now - timedelta(days=DAYS_PER_PLAN_WEEK)
    if (
        following.week > current.week
        and changed_at is not None
        and changed_at <= a_week_ago
        and not any(event.kind == "hurt" for event in history.exercises if event.at > a_week_ago)
    ):
        return PlanDecision(following, Change.WEEK)
    return PlanDecision(current, Change.SAME)


def _at(stage: str, week: int) -> PlanWeek:
    found = plan_week(stage, week)
    assert found is not None  # decide() checked the stage has a plan
    return found


def _good_sessions(sessions: List[Tuple[date, List[ExerciseEvent]]]) -> List[date]:
    """The latest run of days with an exercise completed and none that hurt."""
    good: List[date] = []
    for day, events in reversed(sessions):
        if any(event.kind == "hurt" for event in events) or not any(
            event.kind == "completed" for event in events
        ):
            break
        good.append(day)
    return good
