"""Writes today's check-in (pain, warning-sign answer, stage) to the person's care record."""

from __future__ import annotations

import logging
from typing import Optional, Text

from rasa_sdk import Tracker

from actions.library import care_records
from bot.care.records import NONE_REPORTED, REPORTED
from bot.knowledge import DatabaseUnavailable

logger = logging.getLogger(__name__)


def record_today(tracker: Tracker, signs_reported: bool, stage: Optional[Text]) -> None:
    """Stores the check-in; a failure must not silence the advice that follows."""
    returning = bool(tracker.get_slot("returning"))
    try:
        care_records().record_check_in(
            tracker.sender_id,
            pain=tracker.get_slot("pain_level"),
            warning_signs=REPORTED if signs_reported else NONE_REPORTED,
            source="check_in" if returning else "assessment",
            stage=stage,
            # A returning person's duration was filled from the record, not said again.
            duration_weeks=None if returning else tracker.get_slot("pain_duration_weeks"),
            leg_pain=tracker.get_slot("leg_pain"),
        )
    except DatabaseUnavailable:
        logger.exception("Could not store today's check-in")
