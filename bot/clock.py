"""The one place BackCare takes "now" from.

Production reads the real clock. `BACKCARE_CLOCK_FILE` names a file holding an
offset in seconds (`backcare clock advance 1d` writes it), so a person can try
"the next day" on a running bot; tests pin the clock with `use_clock`.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

from bot.settings import current_settings

_pinned: Optional[datetime] = None
_SPAN = re.compile(r"^\s*(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>[dhm])\s*$")
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60}


def now() -> datetime:
    """The current time in UTC (timezone-aware)."""
    if _pinned is not None:
        return _pinned
    return datetime.now(timezone.utc) + timedelta(seconds=offset_seconds())


def use_clock(moment: Optional[datetime]) -> None:
    """Pins the clock to `moment` (aware) in this process; None returns to the real clock."""
    global _pinned
    _pinned = moment


def _clock_file() -> Optional[Path]:
    name = current_settings().clock_file
    return Path(name) if name else None


def offset_seconds() -> float:
    """The offset `backcare clock` set; 0 without `BACKCARE_CLOCK_FILE` or when the file is unreadable."""
    path = _clock_file()
    if path is None:
        return 0.0
    try:
        return float(path.read_text(encoding="utf-8").strip() or 0)
    except (OSError, ValueError):
        return 0.0


def parse_span(text: str) -> float:
    """Seconds in "1d", "12h", "90m"; ValueError otherwise."""
    match = _SPAN.match(text)
    if not match:
        raise ValueError(f"expected a span such as 1d, 12h or 30m, not {text!r}")
    return float(match["amount"]) * _UNIT_SECONDS[match["unit"]]


def advance(path: Path, seconds: float) -> float:
    """Moves the clock in `path` forward by `seconds`; returns the new offset."""
    try:
        current = float(path.read_text(encoding="utf-8").strip() or 0)
    except (OSError, ValueError):
        current = 0.0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{current + seconds}\n", encoding="utf-8")
    return current + seconds


def reset(path: Path) -> None:
    path.unlink(missing_ok=True)
