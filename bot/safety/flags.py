"""What a code in the `red_flags` slot means: its urgency, its name and its advice.

Codes are warning signs (`bladder_bowel`), screening groups answered "yes"
(`nerve_signs`), or questions still answered "not sure" after the explanation
(`unsure_nerve_signs`). All of them block exercise advice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence

from bot.safety.table import EMERGENCY, SAME_DAY, URGENCIES, SafetyTable, safety_table

UNSURE_PREFIX = "unsure_"
ADVICE_BY_URGENCY = {EMERGENCY: "utter_urgent_emergency", SAME_DAY: "utter_urgent_same_day"}
UNSURE_ADVICE = "utter_urgent_unsure"
# Codes from before the warning-sign table (or unknown ones) still block
# exercises and get the same-day advice.
UNKNOWN_NAME = "a warning sign"


@dataclass(frozen=True)
class Flag:
    code: str
    urgency: str
    name: str
    advice: str  # the domain response for this flag


def unsure_code(question_code: str) -> str:
    return f"{UNSURE_PREFIX}{question_code}"


def describe(code: str, table: Optional[SafetyTable] = None) -> Flag:
    table = table or safety_table()
    if code.startswith(UNSURE_PREFIX):
        question = table.question(code[len(UNSURE_PREFIX) :])
        name = question.name if question else UNKNOWN_NAME
        return Flag(code, SAME_DAY, name, UNSURE_ADVICE)
    sign = table.sign(code)
    if sign is not None:
        return Flag(code, sign.urgency, sign.name, sign.advice)
    question = table.question(code)
    if question is not None:
        return Flag(code, question.urgency, question.name, ADVICE_BY_URGENCY[question.urgency])
    return Flag(code, SAME_DAY, UNKNOWN_NAME, ADVICE_BY_URGENCY[SAME_DAY])


def question_code(code: str) -> str:
    """The question that asks about a flag again: the sign's or the group's own."""
    return code[len(UNSURE_PREFIX) :] if code.startswith(UNSURE_PREFIX) else code


def most_urgent(codes: Iterable[str]) -> Optional[Flag]:
    """The flag whose advice comes first: emergency before same day, signs before doubts."""
    flags = [describe(code) for code in codes]
    if not flags:
        return None
    return min(flags, key=lambda flag: (URGENCIES.index(flag.urgency), flag.advice == UNSURE_ADVICE))


def names(codes: Sequence[str]) -> str:
    """The flags in plain words: "a", "a and b", "a, b and c"."""
    words: List[str] = list(dict.fromkeys(describe(code).name for code in codes))
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
