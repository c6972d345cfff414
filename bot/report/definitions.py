"""What the report counts, in the names of the domain: the one place its definitions live.

Each key event is also a Rasa marker in `markers.yml` at the checkout's root
(`rasa evaluate markers all --config markers.yml ...` marks the same events);
`MARKERS` below is what that file must say, and a unit test holds the two
equal. Rasa's markers see actions, intents and whether a slot holds a value,
never the value itself, so the breakdowns by value (which stage, which sign)
are the report's own, read from the same slots.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Mapping, Tuple

# --- the names of the domain (domain.yml, actions/) the report reads ---------------
SESSION_START_ACTION = "action_session_start"
ASSESSMENT_FORM = "assessment_form"
NEXT_STEP_ACTION = "action_next_step"
IT_HURTS_ACTION = "action_exercise_hurts"
CORE_FALLBACK_ACTION = "action_default_fallback"
NLU_FALLBACK_INTENT = "nlu_fallback"
# `backcare reminders` triggers these through the HTTP API: the person typed nothing.
EXTERNAL_INTENT_PREFIX = "EXTERNAL_"

PAIN_LEVEL_SLOT = "pain_level"
DURATION_SLOT = "pain_duration_weeks"
LEG_PAIN_SLOT = "leg_pain"
SCREENED_SLOT = "red_flags_screened"
STAGE_SLOT = "triage"
RED_FLAGS_SLOT = "red_flags"
URGENCY_SLOT = "red_flag_urgency"
REMEMBERED_FLAGS_SLOT = "remembered_flags"
CRISIS_SLOT = "crisis"
CURRENT_EXERCISE_SLOT = "current_exercise"
EXERCISES_DONE_SLOT = "exercises_done"

# The slots whose values the report reads; the values of all others stay in the store.
READ_SLOTS: Tuple[str, ...] = (
    PAIN_LEVEL_SLOT,
    DURATION_SLOT,
    LEG_PAIN_SLOT,
    SCREENED_SLOT,
    STAGE_SLOT,
    RED_FLAGS_SLOT,
    URGENCY_SLOT,
    REMEMBERED_FLAGS_SLOT,
    CRISIS_SLOT,
    CURRENT_EXERCISE_SLOT,
    EXERCISES_DONE_SLOT,
)

STAGES: Tuple[str, ...] = ("urgent", "acute", "subacute", "recovery", "chronic")
URGENCIES: Tuple[str, ...] = ("emergency", "same_day")  # most urgent first

# --- the markers ---------------------------------------------------------------------
ASSESSMENT_STARTED = "assessment_started"
PAIN_LEVEL_ANSWERED = "pain_level_answered"
DURATION_ANSWERED = "pain_duration_answered"
LEG_PAIN_ANSWERED = "leg_pain_answered"
SCREENING_COMPLETED = "screening_completed"
STAGE_REACHED = "stage_reached"
URGENT_REFERRAL = "urgent_referral"
CRISIS_SUPPORT = "crisis_support"
EXERCISE_STARTED = "exercise_started"
EXERCISE_COMPLETED = "exercise_completed"
IT_HURTS = "it_hurts"
FALLBACK = "fallback"


@dataclass(frozen=True)
class MarkerDefinition:
    name: str
    label: str  # as the report names it
    condition: Mapping[str, Any]  # the marker's configuration in markers.yml, without its description
    exact: bool = True  # False: the marker can only approximate the report's definition


def _slot(slot: str) -> Dict[str, Any]:
    return {"slot_was_set": slot}


MARKER_DEFINITIONS: Tuple[MarkerDefinition, ...] = (
    MarkerDefinition(ASSESSMENT_STARTED, "Assessment started", {"action": ASSESSMENT_FORM}),
    MarkerDefinition(PAIN_LEVEL_ANSWERED, "Pain level answered", _slot(PAIN_LEVEL_SLOT)),
    MarkerDefinition(DURATION_ANSWERED, "Duration answered", _slot(DURATION_SLOT)),
    MarkerDefinition(LEG_PAIN_ANSWERED, "Leg pain answered", _slot(LEG_PAIN_SLOT)),
    MarkerDefinition(SCREENING_COMPLETED, "Warning-sign screening done", _slot(SCREENED_SLOT)),
    MarkerDefinition(STAGE_REACHED, "Stage reached", _slot(STAGE_SLOT)),
    MarkerDefinition(URGENT_REFERRAL, "Urgent referral", _slot(URGENCY_SLOT)),
    MarkerDefinition(CRISIS_SUPPORT, "Crisis support", _slot(CRISIS_SLOT)),
    MarkerDefinition(EXERCISE_STARTED, "Exercise started", _slot(CURRENT_EXERCISE_SLOT)),
    # Exact: the "next" after an exercise's last step (action_next_step adds it to
    # exercises_done). A marker cannot tell that step from the others; this one also
    # marks an exercise stopped (or that hurt) after a "next", so it is an upper bound.
    MarkerDefinition(
        EXERCISE_COMPLETED,
        "Exercise completed",
        {
            "seq": [
                {"and": [{"action": NEXT_STEP_ACTION}, _slot(CURRENT_EXERCISE_SLOT)]},
                {"slot_was_not_set": CURRENT_EXERCISE_SLOT},
            ]
        },
        exact=False,
    ),
    # "It hurts" while an exercise is under way (the slot is cleared only after the action).
    MarkerDefinition(
        IT_HURTS, '"It hurts"', {"and": [{"action": IT_HURTS_ACTION}, _slot(CURRENT_EXERCISE_SLOT)]}
    ),
    MarkerDefinition(
        FALLBACK,
        "Fallback",
        {"or": [{"intent": NLU_FALLBACK_INTENT}, {"action": CORE_FALLBACK_ACTION}]},
    ),
)
MARKERS: Dict[str, MarkerDefinition] = {marker.name: marker for marker in MARKER_DEFINITIONS}

# The assessment in the order a person goes through it: the drop-off funnel.
FUNNEL: Tuple[str, ...] = (
    ASSESSMENT_STARTED,
    PAIN_LEVEL_ANSWERED,
    DURATION_ANSWERED,
    LEG_PAIN_ANSWERED,
    SCREENING_COMPLETED,
    STAGE_REACHED,
)
# Slots whose first value marks a marker (slot_was_set: a value that is not None).
SLOT_MARKERS: Dict[str, str] = {
    PAIN_LEVEL_SLOT: PAIN_LEVEL_ANSWERED,
    DURATION_SLOT: DURATION_ANSWERED,
    LEG_PAIN_SLOT: LEG_PAIN_ANSWERED,
    SCREENED_SLOT: SCREENING_COMPLETED,
    STAGE_SLOT: STAGE_REACHED,
    URGENCY_SLOT: URGENT_REFERRAL,
    CRISIS_SLOT: CRISIS_SUPPORT,
    CURRENT_EXERCISE_SLOT: EXERCISE_STARTED,
}
