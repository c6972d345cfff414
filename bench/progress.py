"""What the benchmark is doing, on stderr: one line per phase and a live turn counter.

On a terminal the counter rewrites one line in place a few times a second;
elsewhere (a CI log, `make bench > log`) it prints a plain line now and then,
so a log shows progress without thousands of lines. Every phase ends with a
line saying how long it took, how many turns it made and how many failed.

    with progress.phase("BackCare: REST, 20 concurrent", total=375):
        ...  # progress.tick() per turn, progress.tick(error=True) per failed one
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import Iterator, Optional, TextIO

TTY_REFRESH_S = 0.25
LOG_REFRESH_S = 30.0


def duration(seconds: float) -> str:
    """`42 s`, `3m05s`, `1h02m`."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{rest:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def counter_line(
    label: str, done: int, total: Optional[int], errors: int, elapsed: float, unit: str = "turns"
) -> str:
    """The live counter: `  label: 120/375 turns, 0 errors, 14 s, 8.6 turns/s, about 30 s left`."""
    count = f"{done}/{total}" if total else f"{done}"
    rate = done / elapsed if elapsed > 0 else 0.0
    things = unit[:-1] if done == 1 and not total and unit.endswith("s") else unit
    line = f"  {label}: {count} {things}, {errors} error{'' if errors == 1 else 's'}, {duration(elapsed)}"
    if done and elapsed > 0:
        line += f", {rate:.1f} {unit}/s"
        if total and done < total:
            line += f", about {duration((total - done) / rate)} left"
    return line


def phase_line(number: int, label: str, since_start: float, detail: str = "") -> str:
    """`[3 +2m05s] BackCare: socket.io` (started) or with `detail` (finished)."""
    line = f"[{number} +{duration(since_start)}] {label}"
    return f"{line}: {detail}" if detail else line


class Progress:
    """The benchmark's progress display; one per run (`use`)."""

    def __init__(self, stream: TextIO = sys.stderr, live: Optional[bool] = None) -> None:
        self.stream = stream
        self.live = stream.isatty() if live is None else live
        self.started = time.monotonic()
        self.number = 0
        self.label = ""
        self.total: Optional[int] = None
        self.unit = "turns"
        self.done = 0
        self.errors = 0
        self.phase_started = self.started
        self.shown = 0.0
        self.line_open = False

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def _clear(self) -> None:
        if self.line_open:
            self._write("\r\033[K")
            self.line_open = False

    def say(self, text: str) -> None:
        """A line of its own (the live counter is redrawn after it)."""
        self._clear()
        self._write(text + "\n")

    @contextmanager
    def phase(self, label: str, total: Optional[int] = None, unit: str = "turns") -> Iterator[Progress]:
        self.number += 1
        self.label, self.total, self.unit, self.done, self.errors = label, total, unit, 0, 0
        self.phase_started = self.shown = time.monotonic()
        self.say(phase_line(self.number, label, self.phase_started - self.started))
        failed = True
        try:
            yield self
            failed = False
        finally:
            elapsed = time.monotonic() - self.phase_started
            detail = f"{'failed' if failed else 'done'} in {duration(elapsed)}"
            if self.done:
                errors = f"{self.errors} error{'' if self.errors == 1 else 's'}"
                detail += f", {self.done} {self.unit}, {errors}"
            self.say(phase_line(self.number, label, time.monotonic() - self.started, detail))
            self.label = ""

    def tick(self, error: bool = False, count: int = 1) -> None:
        if not self.label:
            return
        self.done += count
        self.errors += count if error else 0
        now = time.monotonic()
        if now - self.shown < (TTY_REFRESH_S if self.live else LOG_REFRESH_S):
            return
        self.shown = now
        elapsed = now - self.phase_started
        line = counter_line(self.label, self.done, self.total, self.errors, elapsed, self.unit)
        if self.live:
            self._write("\r\033[K" + line)
            self.line_open = True
        else:
            self._write(line + "\n")


_current: Optional[Progress] = None


def use(progress: Optional[Progress]) -> Optional[Progress]:
    """Makes `progress` the display `tick` and `phase` report to (None: silent)."""
    global _current
    _current = progress
    return progress


def tick(error: bool = False, count: int = 1) -> None:
    """`count` turns (or other units) made in the current phase; nothing without a display."""
    if _current is not None:
        _current.tick(error, count)


@contextmanager
def phase(label: str, total: Optional[int] = None, unit: str = "turns") -> Iterator[None]:
    if _current is None:
        yield
        return
    with _current.phase(label, total, unit):
        yield


def say(text: str) -> None:
    if _current is not None:
        _current.say(text)
