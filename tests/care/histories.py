"""The care record the summary tests share: two weeks of an acute episode in March 2026."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.care.records import CareHistory, ExerciseEvent, PainEntry, WarningSignAnswer

UTC = timezone.utc
NOW = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


HISTORY = CareHistory(
    conversation_id="telegram:42",
    channel="telegram",
    first_seen_at=at(3),
    last_active_at=at(14),
    episode_started_at=at(1),
    stage="acute",
    leg_pain="below_knee",
    time_zone="Europe/Berlin",
    plan_week=2,
    plan_note="the pain went down, so a little more this week",
    plan_changed_at=at(10),
    check_ins=(
        PainEntry(at(3), 7, "none", "assessment"),
        PainEntry(at(4), 6, "none", "check_in"),
        PainEntry(at(6, 23), 6, "not_asked", "check_in"),  # 7 March in Berlin
        PainEntry(at(8), 5, "reported", "check_in"),
        PainEntry(at(10, 7), 5, "none", "check_in"),
        PainEntry(at(10, 18), 4, "none", "check_in"),  # the day's last score counts
        PainEntry(at(12), None, "none", "check_in"),
    ),
    exercises=(
        ExerciseEvent(at(3), "pelvic_tilt_lying", "completed"),
        ExerciseEvent(at(4), "cat_camel", "completed"),
        ExerciseEvent(at(5), "cat_camel", "hurt"),
        ExerciseEvent(at(6), "knee_to_chest", "easier_requested"),
        ExerciseEvent(at(7), "knee_to_chest", "completed"),
        ExerciseEvent(at(8), "pelvic_tilt_lying", "completed"),
    ),
    warning_signs=(
        WarningSignAnswer(at(8), "night_pain", at(9)),
        WarningSignAnswer(at(12), "fever", None),
    ),
)
