"""Which way a person's pain is going, and what to advise for it (docs/clinical-rules.md).

A change of 2 points on the 0-10 scale is the smallest one people notice as
better or worse (the usual minimal clinically important difference); less is
"about the same". Flat or worse after about three weeks, or worse at any
time, means a GP or physiotherapist should look at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Dict, List, Optional, Sequence, Tuple

from bot.care.records import PainEntry

NOTICEABLE_CHANGE = 2
WEEKS_BEFORE_REVIEW = 3


class Direction(str, Enum):
    IMPROVING = "improving"
    FLAT = "flat"
    WORSE = "worse"


# The domain response that advises on each trend.
ADVICE = {
    (Direction.IMPROVING, False): "utter_trend_improving",
    (Direction.IMPROVING, True): "utter_trend_improving",
    (Direction.FLAT, False): "utter_trend_flat",
    (Direction.FLAT, True): "utter_trend_see_clinician_flat",
    (Direction.WORSE, False): "utter_trend_see_clinician_worse",
    (Direction.WORSE, True): "utter_trend_see_clinician_worse",
}


@dataclass(frozen=True)
class Trend:
    direction: Direction
    first: int
    last: int
    days: int  # days between the first and the last score
    weeks_in_episode: float

    @property
    def due_for_review(self) -> bool:
        """About three weeks into the episode without getting better."""
        return self.weeks_in_episode >= WEEKS_BEFORE_REVIEW

    @property
    def advice(self) -> str:
        return ADVICE[(self.direction, self.due_for_review)]

    @property
    def sees_clinician(self) -> bool:
        return self.advice.startswith("utter_trend_see_clinician")


def daily_scores(record: Sequence[PainEntry]) -> List[Tuple[date, int]]:
    """One score per day: the last one given that day, oldest day first."""
    by_day: Dict[date, int] = {}
    for entry in record:
        if entry.pain is not None:
            by_day[entry.at.date()] = entry.pain
    return sorted(by_day.items())


def pain_trend(
    record: Sequence[PainEntry], episode_started_at: Optional[datetime], now: datetime
) -> Optional[Trend]:
    """The trend over the person's daily scores; None with fewer than two days scored."""
    scores = daily_scores(record)
    if len(scores) < 2:
        return None
    (first_day, first), (last_day, last) = scores[0], scores[-1]
    change = last - first
    if change <= -NOTICEABLE_CHANGE:
        direction = Direction.IMPROVING
    elif change >= NOTICEABLE_CHANGE:
        direction = Direction.WORSE
    else:
        direction = Direction.FLAT
    start = episode_started_at or min(entry.at for entry in record)
    weeks = max(0.0, (now - start).total_seconds() / 86400 / 7)
    return Trend(direction, first, last, (last_day - first_day).days, weeks)
