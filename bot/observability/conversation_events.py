"""What conversations come to, read from the events Rasa saves.

The tracker store (`bot.rasa_overrides.tracker_store`) hands over each save's
new events; only those count, so a conversation saved twenty times is not
counted twenty times. From them:

- a triage outcome whenever the `triage` slot takes a stage it did not hold
  (the stage decided by `action_triage`, or `urgent` when a warning sign
  comes up);
- a warning sign for each code newly in the `red_flags` slot;
- a fallback for each message classified `nlu_fallback`, or answered by
  `action_default_fallback` (once per message).

What `action_session_start` sets again from the person's earlier sessions
(remembered warning signs and their urgent stage) is not new and not counted.
Only slot names, intents, action names and warning-sign codes are read; never
text.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any, Dict, Iterable, List, Optional, Sequence

from rasa.shared.core.events import (
    ActionExecuted,
    AllSlotsReset,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from bot.observability import metrics

logger = logging.getLogger(__name__)

TRIAGE_SLOT = "triage"
WARNING_SIGNS_SLOT = "red_flags"
NLU_FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTION = "action_default_fallback"
SESSION_START_ACTION = "action_session_start"
RESETS = (SessionStarted, Restarted, AllSlotsReset)
WATCHED_SLOTS = (TRIAGE_SLOT, WARNING_SIGNS_SLOT)


def _slots_before(earlier_newest_first: Iterable[Event]) -> Dict[str, Any]:
    """The triage and warning-sign slots after the earlier events (absent when unset or reset since).

    Walks back from the newest event and stops at the last reset (a session
    start): the cost does not grow with a long conversation's history.
    """
    found: Dict[str, Any] = {}
    for event in earlier_newest_first:
        if isinstance(event, RESETS):
            break
        if isinstance(event, SlotSet) and event.key in WATCHED_SLOTS and event.key not in found:
            found[event.key] = event.value
            if len(found) == len(WATCHED_SLOTS):
                break
    return found


def _codes(value: Any) -> List[str]:
    return [code for code in value if isinstance(code, str)] if isinstance(value, list) else []


def count_new_events(earlier: Sequence[Event], new: Sequence[Event]) -> None:
    """Records what `new` (saved after `earlier`) says about triage, warning signs and fallbacks."""
    _count(reversed(earlier), new)


def _count(earlier_newest_first: Iterable[Event], new: Sequence[Event]) -> None:
    before = _slots_before(earlier_newest_first)
    stage: Optional[Any] = before.get(TRIAGE_SLOT)
    codes = _codes(before.get(WARNING_SIGNS_SLOT))
    action: Optional[str] = None
    fallback_counted = False
    for event in new:
        if isinstance(event, UserUttered):
            action, fallback_counted = None, False
            if (event.intent or {}).get("name") == NLU_FALLBACK_INTENT:
                metrics.record_fallback()
                fallback_counted = True
        elif isinstance(event, ActionExecuted):
            action = event.action_name
            if action == FALLBACK_ACTION and not fallback_counted:
                metrics.record_fallback()
                fallback_counted = True
        elif isinstance(event, RESETS):
            stage, codes = None, []
        elif isinstance(event, SlotSet):
            remembered = action == SESSION_START_ACTION
            if event.key == TRIAGE_SLOT:
                if event.value is not None and event.value != stage and not remembered:
                    metrics.record_triage_outcome(event.value)
                stage = event.value
            elif event.key == WARNING_SIGNS_SLOT:
                now = _codes(event.value)
                if not remembered:
                    for code in dict.fromkeys(now):
                        if code not in codes:
                            metrics.record_warning_sign(code)
                codes = now


def observe_saved_events(events: Sequence[Event], new_count: int) -> None:
    """`events` is a tracker's whole list, of which the last `new_count` were just saved.

    Never raises: metrics must not cost a turn.
    """
    if new_count <= 0:
        return
    try:
        # From the end of the list: no copy of the whole history per save.
        new = list(itertools.islice(reversed(events), new_count))[::-1]
        _count(itertools.islice(reversed(events), new_count, None), new)
    except Exception as error:
        logger.warning("Could not count the saved events for the metrics (%s).", type(error).__name__)
