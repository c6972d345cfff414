"""The pain trend and the plan's decisions, from records built by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Optional, Sequence, Tuple

import pytest

from bot.care.plan import Change, PlanError, decide, parse_plans, plan_week, plans
from bot.care.records import CareHistory, ExerciseEvent, PainEntry
from bot.care.trend import Direction, daily_scores, pain_trend

START = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)


def day(number: float) -> datetime:
    return START + timedelta(days=number)


def scores(*pairs: Tuple[float, int]) -> Tuple[PainEntry, ...]:
    return tuple(PainEntry(day(number), pain, "none", "check_in") for number, pain in pairs)


def history(
    pains: Sequence[PainEntry] = (),
    exercises: Sequence[Tuple[float, str, str]] = (),
    plan_week: int = 1,
    plan_note: Optional[str] = "start",
    plan_changed_at: Optional[datetime] = START,
) -> CareHistory:
    return CareHistory(
        conversation_id="web:abc",
        channel="web",
        first_seen_at=START,
        last_active_at=START,
        episode_started_at=START,
        stage="acute",
        leg_pain="none",
        time_zone=None,
        plan_week=plan_week,
        plan_note=plan_note,
        plan_changed_at=plan_changed_at,
        check_ins=tuple(pains),
        exercises=tuple(ExerciseEvent(day(at), slug, kind) for at, slug, kind in exercises),
    )


# --- trend ----------------------------------------------------------------------------------


def test_one_score_a_day_the_last_of_the_day() -> None:
    record = scores((0, 7), (0.5, 6), (1, 5))
    assert [pain for _, pain in daily_scores(record)] == [6, 5]


@pytest.mark.parametrize(
    ("pairs", "direction"),
    [
        (((0, 7), (5, 4)), Direction.IMPROVING),
        (((0, 7), (5, 5)), Direction.IMPROVING),  # two points is a change people notice
        (((0, 7), (5, 6)), Direction.FLAT),
        (((0, 4), (3, 4)), Direction.FLAT),
        (((0, 4), (3, 5)), Direction.FLAT),
        (((0, 4), (3, 6)), Direction.WORSE),
    ],
)
def test_direction_needs_a_two_point_change(
    pairs: Tuple[Tuple[float, int], ...], direction: Direction
) -> None:
    trend = pain_trend(scores(*pairs), START, day(6))
    assert trend is not None and trend.direction is direction


def test_fewer_than_two_days_have_no_trend() -> None:
    assert pain_trend(scores((0, 7), (0.3, 5)), START, day(1)) is None
    assert pain_trend((), START, day(1)) is None


def test_advice_by_trend_and_weeks() -> None:
    early_flat = pain_trend(scores((0, 5), (6, 5)), START, day(7))
    late_flat = pain_trend(scores((0, 5), (20, 5)), START, day(21))
    worse_early = pain_trend(scores((0, 3), (1, 6)), START, day(1))
    better_late = pain_trend(scores((0, 7), (25, 2)), START, day(25))
    assert early_flat and early_flat.advice == "utter_trend_flat" and not early_flat.sees_clinician
    assert late_flat and late_flat.advice == "utter_trend_see_clinician_flat"
    assert worse_early and worse_early.advice == "utter_trend_see_clinician_worse"
    assert better_late and better_late.advice == "utter_trend_improving"
    assert (better_late.first, better_late.last, better_late.days) == (7, 2, 25)


# --- plan -----------------------------------------------------------------------------------


def test_every_stage_has_a_plan_that_only_grows() -> None:
    for stage in ("acute", "subacute", "recovery", "chronic"):
        weeks = plans()[stage]
        assert [week.week for week in weeks] == list(range(1, len(weeks) + 1))
        assert all(a.exercises <= b.exercises for a, b in zip(weeks, weeks[1:], strict=False))
    assert plan_week("urgent", 1) is None
    last = plans()["acute"][-1]
    assert plan_week("acute", 99) == last


@pytest.mark.parametrize(
    "document",
    [
        None,
        {"stages": {}},
        {"stages": {"acute": []}},
        {"stages": {"acute": [{"exercises": 0, "sessions_per_day": 1}]}},
    ],
)
def test_a_broken_plan_file_is_refused(document: object) -> None:
    with pytest.raises(PlanError):
        parse_plans(document)


def test_a_first_plan_starts_at_week_one() -> None:
    decision = decide(history(scores((0, 5)), plan_note=None, plan_changed_at=None), "acute", day(0))
    assert decision is not None and decision.change is Change.START and decision.week.week == 1


def test_two_good_days_and_low_pain_go_up() -> None:
    done = [(0.1, "package_seat_static", "completed"), (1.1, "package_seat_static", "completed")]
    decision = decide(history(scores((0, 4), (2, 3)), done), "acute", day(2))
    assert decision is not None and (decision.change, decision.exercise) == (Change.UP, "package_seat_static")


def test_one_good_day_or_pain_above_three_stays() -> None:
    one_day = [(0.1, "package_seat_static", "completed")]
    assert decide(history(scores((0, 2)), one_day), "acute", day(1)).change is Change.SAME
    two_days = [(0.1, "package_seat_static", "completed"), (1.1, "package_seat_static", "completed")]
    assert decide(history(scores((0, 4), (2, 4)), two_days), "acute", day(2)).change is Change.SAME


def test_a_hurt_steps_back_once() -> None:
    events = [(0.1, "package_seat_dynamic", "completed"), (1.1, "package_seat_dynamic", "hurt")]
    record = history(scores((0, 3), (1, 3)), events, plan_week=2)
    decision = decide(record, "acute", day(2))
    assert decision is not None
    assert (decision.change, decision.exercise, decision.week.week) == (
        Change.BACK,
        "package_seat_dynamic",
        1,
    )
    after = replace(record, plan_week=1, plan_note="back", plan_changed_at=day(2))
    assert decide(after, "acute", day(2.5)).change is Change.SAME


def test_a_week_without_hurt_moves_on_and_the_last_week_stays() -> None:
    events = [(1, "shoulder_circles", "completed")]
    assert decide(history(scores((0, 5)), events), "acute", day(7)).change is Change.WEEK
    assert decide(history(scores((0, 5)), events), "acute", day(6)).change is Change.SAME
    hurt_lately = [
        (1, "shoulder_circles", "completed"),
        (5, "shoulder_circles", "hurt"),
        (6, "x", "completed"),
    ]
    record = history(scores((0, 5)), hurt_lately)
    assert decide(record, "acute", day(10)).change is Change.SAME  # an exercise hurt within the week
    assert decide(record, "acute", day(13)).change is Change.WEEK
    last = len(plans()["acute"])
    assert decide(history(scores((0, 5)), events, plan_week=last), "acute", day(8)).change is Change.SAME
