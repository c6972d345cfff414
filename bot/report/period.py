"""The days a report covers: whole UTC days, both ends included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Optional

DEFAULT_DAYS = 30
# A conversation that starts on the last day may go on past midnight: its events
# are read up to this long after the period (Rasa's sessions end after an hour of silence).
TAIL_SECONDS = 24 * 3600


def parse_day(text: str) -> date:
    """A YYYY-MM-DD day; ValueError otherwise."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"expected a day as YYYY-MM-DD, not {text!r}") from None


def _midnight(day: date) -> float:
    return datetime.combine(day, time(), tzinfo=timezone.utc).timestamp()


@dataclass(frozen=True)
class Period:
    since: date
    until: date  # included

    def __post_init__(self) -> None:
        if self.since > self.until:
            raise ValueError(f"the period starts ({self.since}) after it ends ({self.until})")

    @classmethod
    def ending(cls, today: date, since: Optional[date] = None, until: Optional[date] = None) -> Period:
        """`since`..`until`; by default the DEFAULT_DAYS days up to `today` (or up to `until`)."""
        last = until or today
        return cls(since or last - timedelta(days=DEFAULT_DAYS - 1), last)

    @property
    def start(self) -> float:
        """Epoch seconds of the first moment in the period."""
        return _midnight(self.since)

    @property
    def end(self) -> float:
        """Epoch seconds of the first moment after the period."""
        return _midnight(self.until + timedelta(days=1))

    def contains(self, moment: float) -> bool:
        return self.start <= moment < self.end

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1
