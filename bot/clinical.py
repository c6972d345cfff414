"""Clinical cut-offs and triage: the one place where they are defined.

The rules follow NICE guideline NG59 and the seed article (written up in
docs/clinical-rules.md): pain 0 none, 1-3 mild, 4-6 moderate, 7-10 severe;
acute < 6 weeks, subacute 6-12 weeks, chronic >= 12 weeks. Triage order:
urgent (any warning sign), chronic (unless a recent flare-up of long-standing
pain), acute, subacute, recovery. The warning signs themselves live in
data/red_flags.yml (bot.safety).
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
    acute_pain_from: float = 4  # pain >= 4 before 12 weeks is acute or subacute
    # A first episode below or above these ages lowers the threshold for a GP
    # visit; it is not a warning sign by itself.
    gp_check_age_below: float = 20
    gp_check_age_above: float = 50
    # A warning sign stays on the person until a doctor has checked them.
    warning_sign_memory_days: float = 14


CUTOFFS = ClinicalCutoffs()


class Triage(str, Enum):
    URGENT = "urgent"
    CHRONIC = "chronic"
    ACUTE = "acute"
    SUBACUTE = "subacute"
    RECOVERY = "recovery"


def pain_band(level: float, cutoffs: ClinicalCutoffs = CUTOFFS) -> str:
    """ "none", "mild", "moderate" or "severe" for a 0-10 pain level."""
    if level <= PAIN_MIN:
        return "none"
    if level <= cutoffs.mild_max:
        return "mild"
    if level <= cutoffs.moderate_max:
        return "moderate"
    return "severe"


def triage(
    pain_level: Optional[float],
    duration_weeks: Optional[float],
    red_flags: Sequence[str],
    cutoffs: ClinicalCutoffs = CUTOFFS,
) -> Optional[Triage]:
    """The stage for what we know, or None while it cannot be decided yet.

    For a flare-up of long-standing pain, `duration_weeks` is how long this
    flare has lasted (bot.parsing reads it so), so a recent flare is triaged
    like a new episode: acute, not chronic.
    """
    if red_flags:
        return Triage.URGENT
    if duration_weeks is None:
        return None
    if duration_weeks >= cutoffs.chronic_from_weeks:
        return Triage.CHRONIC
    if pain_level is None:
        return None
    if pain_level < cutoffs.acute_pain_from:
        return Triage.RECOVERY
    if duration_weeks < cutoffs.subacute_from_weeks:
        return Triage.ACUTE
    return Triage.SUBACUTE


def needs_gp_for_age(age: Optional[float], cutoffs: ClinicalCutoffs = CUTOFFS) -> bool:
    """A first episode under 20 or over 50 is worth a GP visit (not a warning sign)."""
    return age is not None and (age < cutoffs.gp_check_age_below or age > cutoffs.gp_check_age_above)
