"""What a code in the `red_flags` slot means: its urgency, its name and its advice.

Codes are warning signs (`bladder_bowel`), screening groups answered "yes"
(`nerve_signs`), or questions still answered "not sure" after the explanation
(`unsure_nerve_signs`). All of them block exercise advice. Names are in the
person's language (`language`, English by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence

from bot.languages import ENGLISH, GERMAN, text_in
from bot.safety.table import EMERGENCY, SAME_DAY, URGENCIES, SafetyTable, safety_table
from bot.safety.wording import listing

UNSURE_PREFIX = "unsure_"
ADVICE_BY_URGENCY = {EMERGENCY: "utter_urgent_emergency", SAME_DAY: "utter_urgent_same_day"}
UNSURE_ADVICE = "utter_urgent_unsure"
# Codes from before the warning-sign table (or unknown ones) still block
# exercises and get the same-day advice.
UNKNOWN_NAME = "a warning sign"
UNKNOWN_NAMES = {ENGLISH: UNKNOWN_NAME, GERMAN: "ein Warnzeichen"}


@dataclass(frozen=True)
class Flag:
    code: str
    urgency: str
    name: str
    advice: str  # the domain response for this flag


def unsure_code(question_code: str) -> str:
    return f"{UNSURE_PREFIX}{question_code}"


def describe(code: str, table: Optional[SafetyTable] = None, language: str = ENGLISH) -> Flag:
    table = table or safety_table()
    unknown = str(text_in(UNKNOWN_NAMES, language))
    if code.startswith(UNSURE_PREFIX):
        question = table.question(code[len(UNSURE_PREFIX) :])
        name = question.worded(language).name if question else unknown
        return Flag(code, SAME_DAY, name, UNSURE_ADVICE)
    sign = table.sign(code)
    if sign is not None:
        return Flag(code, sign.urgency, sign.name_in(language), sign.advice)
    question = table.question(code)
    if question is not None:
        name = question.worded(language).name
        return Flag(code, question.urgency, name, ADVICE_BY_URGENCY[question.urgency])
    return Flag(code, SAME_DAY, unknown, ADVICE_BY_URGENCY[SAME_DAY])


def question_code(code: str) -> str:
    """The question that asks about a flag again: the sign's or the group's own."""
    return code[len(UNSURE_PREFIX) :] if code.startswith(UNSURE_PREFIX) else code


def most_urgent(codes: Iterable[str]) -> Optional[Flag]:
    """The flag whose advice comes first: emergency before same day, signs before doubts."""
    flags = [describe(code) for code in codes]
    if not flags:
        return None
    return min(flags, key=lambda flag: (URGENCIES.index(flag.urgency), flag.advice == UNSURE_ADVICE))


def names(codes: Sequence[str], language: str = ENGLISH) -> str:
    """The flags in plain words: "a", "a and b", "a, b and c" (German: "a, b und c")."""
    words: List[str] = list(dict.fromkeys(describe(code, language=language).name for code in codes))
    return listing(words, language)
