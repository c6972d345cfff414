"""Every Prometheus metric BackCare exports, and the functions that record them.

Each process (Rasa server, action server) exports its own metrics from the
default registry at its token-protected `/metrics` endpoint (`endpoint.py`).
Label values come from fixed sets only: anything else is counted as
`other`, so no message text, sender id or made-up value can become a label
(and the number of series stays bounded).

| Metric | Labels | Recorded by |
|---|---|---|
| `backcare_turns_total` | `channel` | the REST, socket.io and Telegram channels, one per message handled |
| `backcare_turn_seconds` | `channel` | the same, the time Rasa took for the turn |
| `backcare_triage_outcomes_total` | `stage` | the tracker store, when the `triage` slot takes a new stage |
| `backcare_warning_signs_total` | `code` | the tracker store, for each code newly in the `red_flags` slot |
| `backcare_fallbacks_total` | | the tracker store, per message in `nlu_fallback` or the core fallback |
| `backcare_action_errors_total` | `action` | the action server, per custom action that raised |
| `backcare_telegram_deliveries_total` | `outcome` | the Telegram channel, per Bot API call (`sent`, ...) |
| `backcare_lock_wait_seconds` | | the lock store, the wait for a conversation's lock |
"""

from __future__ import annotations

import functools
import re
import time
from contextlib import contextmanager
from typing import FrozenSet, Iterable, Iterator, Tuple

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

OTHER = "other"
CHANNELS = ("rest", "socketio", "telegram")
# The values of the `triage` slot (domain.yml), i.e. bot.clinical.Triage.
STAGES = ("urgent", "acute", "subacute", "recovery", "chronic")
TELEGRAM_OUTCOMES = ("sent", "retried", "failed")

# A turn is a few hundred milliseconds; a cold model or a slow action server, seconds.
TURN_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# A free lock is taken at once; a busy conversation waits for the turn before it.
LOCK_BUCKETS = (0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

# No `*_created` series beside each counter and histogram: twice the series, nothing to read in them.
disable_created_metrics()

TURNS = Counter("backcare_turns", "Messages handled, per channel.", ["channel"])
TURN_SECONDS = Histogram(
    "backcare_turn_seconds",
    "Time Rasa took to handle one message, per channel.",
    ["channel"],
    buckets=TURN_BUCKETS,
)
TRIAGE_OUTCOMES = Counter(
    "backcare_triage_outcomes", "Conversations sorted into a stage (the triage slot changed).", ["stage"]
)
WARNING_SIGNS = Counter(
    "backcare_warning_signs", "Warning signs newly reported, by code (data/red_flags.yml).", ["code"]
)
FALLBACKS = Counter("backcare_fallbacks", "Messages the bot did not understand (NLU or dialogue fallback).")
ACTION_ERRORS = Counter("backcare_action_errors", "Custom actions that raised an exception.", ["action"])
TELEGRAM_DELIVERIES = Counter(
    "backcare_telegram_deliveries", "Bot API calls sending replies: sent, retried or failed.", ["outcome"]
)
LOCK_WAIT_SECONDS = Histogram(
    "backcare_lock_wait_seconds", "Time waited for a conversation's lock.", buckets=LOCK_BUCKETS
)

# Every known series exists from the start, so rates and ratios work from the first scrape.
for _channel in CHANNELS:
    TURNS.labels(channel=_channel)
    TURN_SECONDS.labels(channel=_channel)
for _stage in STAGES:
    TRIAGE_OUTCOMES.labels(stage=_stage)
for _outcome in TELEGRAM_OUTCOMES:
    TELEGRAM_DELIVERIES.labels(outcome=_outcome)

_known_actions: FrozenSet[str] = frozenset()
_CODE_SHAPE = re.compile(r"[a-z][a-z0-9_]{0,63}")


def bounded(value: object, allowed: Iterable[str]) -> str:
    """`value` if it is one of `allowed`, else `other`."""
    return value if isinstance(value, str) and value in allowed else OTHER


# --------------------------------------------------------------------------- #
# Turns
# --------------------------------------------------------------------------- #


def observe_turn(channel: str, seconds: float) -> None:
    """One message handled by `channel` (rest, socketio, telegram) in `seconds`."""
    label = bounded(channel, CHANNELS)
    TURNS.labels(channel=label).inc()
    TURN_SECONDS.labels(channel=label).observe(max(0.0, seconds))


@contextmanager
def timed_turn(channel: str) -> Iterator[None]:
    """Measures the `with` block as one turn of `channel`, also when it raises."""
    started = time.perf_counter()
    try:
        yield
    finally:
        observe_turn(channel, time.perf_counter() - started)


# --------------------------------------------------------------------------- #
# What conversations come to (recorded from the events Rasa saves)
# --------------------------------------------------------------------------- #


def record_triage_outcome(stage: object) -> None:
    TRIAGE_OUTCOMES.labels(stage=bounded(stage, STAGES)).inc()


def warning_sign_label(code: object) -> str:
    """`code` if the warning-sign table knows it (signs, screening groups, `unsure_*`), else `other`."""
    if not isinstance(code, str) or not _CODE_SHAPE.fullmatch(code):
        return OTHER
    return code if _is_known_code(code) else OTHER


@functools.lru_cache(maxsize=256)
def _is_known_code(code: str) -> bool:
    from bot.safety import flags  # the table is read once, on the first warning sign

    return flags.describe(code).name != flags.UNKNOWN_NAME


def record_warning_sign(code: object) -> None:
    WARNING_SIGNS.labels(code=warning_sign_label(code)).inc()


def record_fallback() -> None:
    FALLBACKS.inc()


# --------------------------------------------------------------------------- #
# Action server
# --------------------------------------------------------------------------- #


def set_known_actions(names: Iterable[str]) -> None:
    """The custom actions this action server registered: the only `action` label values."""
    global _known_actions
    _known_actions = frozenset(names)


def known_actions() -> FrozenSet[str]:
    return _known_actions


def record_action_error(action: object) -> None:
    """A custom action raised; an action name not registered is counted as `other`."""
    ACTION_ERRORS.labels(action=bounded(action, _known_actions)).inc()


# --------------------------------------------------------------------------- #
# Telegram and the lock store (called from bot/channels/telegram_delivery.py
# and bot/rasa_overrides/lock_store.py)
# --------------------------------------------------------------------------- #


def record_telegram_delivery(outcome: str) -> None:
    """One Bot API call: `sent`, `retried` (a transient error, tried again) or `failed` (given up)."""
    TELEGRAM_DELIVERIES.labels(outcome=bounded(outcome, TELEGRAM_OUTCOMES)).inc()


def observe_lock_wait(seconds: float) -> None:
    """The time from asking for a conversation's lock to holding it (or giving up)."""
    LOCK_WAIT_SECONDS.observe(max(0.0, seconds))


# --------------------------------------------------------------------------- #
# Output
# --------------------------------------------------------------------------- #


def render() -> Tuple[bytes, str]:
    """This process's metrics in Prometheus's text format, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
