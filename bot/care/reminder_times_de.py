"""The time of day as people write it in German: "um 8", "halb acht", "viertel nach 7", "abends um 7".

`parse_german_time` answers only for a German way of saying a time: "um" or
"gegen" before the hour, "Uhr" after it, "halb", "viertel", "dreiviertel",
"nach"/"vor", or a German part of the day next to the hour ("abends 7"). For
anything else it says it found nothing, and `bot.care.reminder_times` reads
the English forms, so "at 7pm" reads as it always has. "halb acht" is half
way to eight (07:30), as Germans mean it. A bare hour is the morning unless
the text says otherwise, as in English; an impossible time ("um 25 Uhr",
"18 Uhr morgens") is NOT_A_TIME, so the bot asks again instead of guessing.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Callable, Dict, List, Optional, Tuple, Union

from bot.parsing_de import NUMBER_WORDS, ONES

# Hours in words, the number words the pain parser reads (bot/parsing_de.py),
# also as a keyboard without umlauts writes them ("fuenf", "zwoelf").
_HOURS_IN_WORDS = {
    **{word: value for word, value in NUMBER_WORDS.items() if value < 24},
    **{f"{one}undzwanzig": 20 + value for one, value in ONES.items() if value <= 3},
}
HOUR_WORDS: Dict[str, int] = {
    **_HOURS_IN_WORDS,
    **{word.replace("ü", "ue").replace("ö", "oe"): value for word, value in _HOURS_IN_WORDS.items()},
}
# "ein" is an hour only before "Uhr" ("ein Uhr"): "um ein paar Minuten" is no time.
ONE_BEFORE_UHR = "ein"
# Minutes before "nach" and "vor": "viertel nach acht", "zehn vor acht", "5 nach halb 8".
MINUTE_WORDS: Dict[str, int] = {"fünf": 5, "fuenf": 5, "zehn": 10, "viertel": 15, "zwanzig": 20}


def _hour_pattern(words: List[str]) -> str:
    """An hour in digits or words, not the head of a longer one ("8" of "85", "acht" of "achten")."""
    alternatives = "|".join(sorted(words, key=len, reverse=True))
    return rf"(?P<hour>\d{{1,2}}(?!\d)|(?:{alternatives})(?!\w))"


_HOUR = _hour_pattern(list(HOUR_WORDS))
_HOUR_BEFORE_UHR = _hour_pattern([*HOUR_WORDS, ONE_BEFORE_UHR])
_START = r"(?<![\w:.,/])"  # not the tail of another number or word
_MINUTES = r"(?:[:.](?P<minute>\d{2}))?(?![:.,/]\d)"  # "19:30", "8.30"; not "8.5" or "7/10"
_AT = r"\b(?:um|gegen)\s+(?:die\s+|ca\.?\s*|circa\s+|etwa\s+)?"  # "um 8", "um die 8", "gegen 8"
_DAY_PART = r"(?:morgens|früh|frueh|vormittags?|mittags?|nachmittags?|abends?|nachts?|(?:jeden|am) morgen)"

_PATTERNS: List[Tuple[str, re.Pattern[str]]] = [
    # "viertel nach acht", "zehn vor 8", "fünf nach halb acht"
    (
        "relative",
        re.compile(
            _START
            + r"(?P<amount>\d{1,2}|"
            + "|".join(MINUTE_WORDS)
            + r")\s+(?P<direction>nach|vor)\s+(?P<half>halb\s+)?"
            + _HOUR
        ),
    ),
    ("half", re.compile(r"\bhalb\s+" + _HOUR)),  # "halb acht" = 07:30
    ("three_quarters", re.compile(r"\bdreiviertel\s+" + _HOUR)),  # "dreiviertel acht" = 07:45
    # "8 Uhr", "8.30 Uhr", "20 Uhr 15", "acht Uhr", "ein Uhr"
    (
        "uhr",
        re.compile(_START + _HOUR_BEFORE_UHR + _MINUTES + r"\s*uhr\b(?:\s+(?P<after>\d{2})(?!\d|\s*mal\b))?"),
    ),
    ("at", re.compile(_AT + _HOUR + _MINUTES)),  # "um 8", "um 19:30", "gegen acht"
    # An hour right next to a part of the day needs no "um": "abends 7", "7 abends".
    ("next_to_day_part", re.compile(r"\b" + _DAY_PART + r"\s+" + _HOUR + _MINUTES)),
    ("next_to_day_part", re.compile(_START + _HOUR + _MINUTES + r"\s+" + _DAY_PART + r"\b")),
]
# A German part of the day: what it makes of a 12-hour time.
_MORNING = re.compile(r"\b(?:morgens|frühmorgens|früh|frueh|vormittags?|(?:am|jeden|jedem|im|den) morgen)\b")
_LATER = re.compile(r"\b(?:nachmittags?|abends?|mittags?)\b")
_NIGHT = re.compile(r"\bnachts?\b")
_NOON = re.compile(r"\bmittags?\b")  # "jeden Mittag", "mittags": not "nachmittags"
_MIDNIGHT = re.compile(r"\bmitternacht\b")
# A number followed by these is an amount, not a time ("alle 2 Tage", "7 von 10", "3 mal").
_NOT_A_TIME = re.compile(
    r"\s*(?:tage?n?\b|wochen?\b|monate?n?\b|jahre?n?\b|stunden?\b|std\b|minuten?\b|min\b|mal\b|x\b|%|von\b|/"
    r"|[ap]\.?m\b|übungen\b|kilo)"
)
NOT_A_TIME = "not a time"  # said like a time, but no time of day: "um 25 Uhr"

Found = Union[time, str, None]


def _hour(word: str) -> int:
    if word == ONE_BEFORE_UHR:
        return 1
    return HOUR_WORDS[word] if word in HOUR_WORDS else int(word)


def _day_part(text: str, english: Callable[[str], Optional[str]]) -> Optional[str]:
    """ "am", "pm", "night" or None: the German words of the text, else its English ones."""
    if _MORNING.search(text):
        return "am"
    if _LATER.search(text):
        return "pm"
    if _NIGHT.search(text):
        return "night"
    return english(text)


def _hour_and_minute(kind: str, match: re.Match[str]) -> Tuple[int, int]:
    hour = _hour(match["hour"])
    if kind == "relative":
        amount = match["amount"]
        minutes = MINUTE_WORDS.get(amount) or int(amount)
        base = hour * 60 - (30 if match["half"] else 0)
        total = base + (minutes if match["direction"] == "nach" else -minutes)
        return divmod(total % (24 * 60), 60)
    if kind == "half":
        return (hour - 1) % 24, 30
    if kind == "three_quarters":
        return (hour - 1) % 24, 45
    minute = match.groupdict().get("minute") or match.groupdict().get("after") or 0
    return hour, int(minute)


def _first_time(text: str) -> Optional[Tuple[str, re.Match[str]]]:
    """The German time said first in `text`, with the kind of phrase it is.

    Phrases are placed where their time starts: the hour of "um 8 Uhr 30" (so
    "Uhr" with its minutes wins over "um 8"), the "halb" of "halb acht", the
    minutes of "zehn vor acht". At one place the earlier pattern wins.
    """
    found = []
    for priority, (kind, pattern) in enumerate(_PATTERNS):
        for match in pattern.finditer(text):
            if kind != "uhr" and _NOT_A_TIME.match(text, match.end()):
                continue
            if kind == "relative" and match["amount"].isdigit() and int(match["amount"]) > 30:
                continue  # "45 nach 8" is nobody's way of saying a time
            place = match.start("hour") if kind in ("uhr", "at") else match.start()
            found.append((place, priority, kind, match))
    if not found:
        return None
    _place, _priority, kind, match = min(found, key=lambda item: item[:2])
    return kind, match


def parse_german_time(
    text: str,
    clock_time: Callable[[int, int, Optional[str]], Optional[time]],
    english_day_part: Callable[[str], Optional[str]],
) -> Found:
    """The time a German phrase in `text` (lower case) names; NOT_A_TIME if impossible; None without one.

    `clock_time` turns hour, minute and part of the day into a time (the
    English reader's rules, shared); `english_day_part` reads "in the evening"
    in a message that mixes the languages.
    """
    found = _first_time(text)
    if found is not None:
        kind, match = found
        hour, minute = _hour_and_minute(kind, match)
        if kind in ("uhr", "at") and hour == 24 and minute == 0:
            hour = 0  # "um 24 Uhr" is midnight
        moment = clock_time(hour, minute, _day_part(text, english_day_part))
        return moment if moment is not None else NOT_A_TIME
    if _NOON.search(text):
        return time(12, 0)
    if _MIDNIGHT.search(text):
        return time(0, 0)
    return None
