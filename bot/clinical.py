"""Clinical cut-offs and triage: the one place where they are defined.

The rules follow PRODUCT.md (NICE NG59 red-flag screening): pain 0 none,
1-3 mild, 4-6 moderate, 7-10 severe; acute < 6 weeks, subacute 6-12 weeks,
chronic >= 12 weeks. Triage order: urgent, chronic, acute, recovery.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Optional, Sequence

PAIN_MIN, PAIN_MAX = 0.0, 10.0


@dataclass(frozen=True)
class ClinicalCutoffs:
    mild_max: float = 3  # 1-3 mild
    moderate_max: float = 6  # 4-6 moderate, above: severe
    subacute_from_weeks: float = 6
    chronic_from_weeks: float = 12
    acute_pain_from: float = 4  # pain >= 4 under 12 weeks is acute


CUTOFFS = ClinicalCutoffs()


class Triage(str, Enum):
    URGENT = "urgent"
    CHRONIC = "chronic"
    ACUTE = "acute"
    RECOVERY = "recovery"


def pain_band(level: float, cutoffs: ClinicalCutoffs = CUTOFFS) -> str:
    """"none", "mild", "moderate" or "severe" for a 0-10 pain level."""
    if level <= PAIN_MIN:
        return "none"
    if level <= cutoffs.mild_max:
        return "mild"
    if level <= cutoffs.moderate_max:
        return "moderate"
    return "severe"


def duration_band(weeks: float, cutoffs: ClinicalCutoffs = CUTOFFS) -> str:
    """"acute", "subacute" or "chronic" for a duration in weeks."""
    if weeks < cutoffs.subacute_from_weeks:
        return "acute"
    if weeks < cutoffs.chronic_from_weeks:
        return "subacute"
    return "chronic"


def triage(
    pain_level: Optional[float],
    duration_weeks: Optional[float],
    red_flags: Sequence[str],
    cutoffs: ClinicalCutoffs = CUTOFFS,
) -> Optional[Triage]:
    """The stage for what we know, or None while it cannot be decided yet."""
    if red_flags:
        return Triage.URGENT
    if duration_weeks is None:
        return None
    if duration_weeks >= cutoffs.chronic_from_weeks:
        return Triage.CHRONIC
    if pain_level is None:
        return None
    if pain_level >= cutoffs.acute_pain_from:
        return Triage.ACUTE
    return Triage.RECOVERY
