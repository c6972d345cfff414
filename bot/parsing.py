"""Reads pain levels and durations from free text.

People answer in many ways: "8", "8/10", "eight", "about 7 out of ten",
"severe", "since yesterday", "two weeks", "for months". These functions turn
such answers into numbers, or return None so the bot can ask again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import List, Optional, Tuple

from bot.clinical import CUTOFFS, PAIN_MAX, PAIN_MIN

WEEKS_PER_MONTH = 52 / 12
DAYS_PER_WEEK = 7.0
HOURS_PER_WEEK = 168.0

NUMBER_WORDS = {
    "zero": 0,
    "nil": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}
# Vague quantities, as people use them with durations ("a few days").
QUANTITY_WORDS = {"a": 1, "an": 1, "couple": 2, "few": 3, "several": 4, "half": 0.5}

_NUMBER_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
NUMBER = rf"(?:\d+(?:[.,]\d+)?|(?:{_NUMBER_WORD})(?:[ -](?:{_NUMBER_WORD}))?)"

# Units in weeks; typo-tolerant spellings people type on phones.
UNITS = {
    r"h(?:ou)?rs?|hours?": 1 / HOURS_PER_WEEK,
    r"days?|dayz|dys?": 1 / DAYS_PER_WEEK,
    r"weeks?|weks?|wks?|wk|weeeks?": 1.0,
    r"fortnights?": 2.0,
    r"months?|mnths?|mths?|monthes|mos": WEEKS_PER_MONTH,
    r"years?|yrs?|yeras?": 52.0,
}
_UNIT = "|".join(f"(?:{pattern})" for pattern in UNITS)

_QUANTITY = r"(?:(?:a |an )?(?:couple|few|several)(?: of)?|half an?|an?|" + NUMBER + r")"
DURATION = re.compile(rf"\b(?P<quantity>{_QUANTITY})\s*(?:more\s+)?(?P<unit>{_UNIT})\b")


@dataclass(frozen=True)
class PainReading:
    level: float  # 0-10
    word: Optional[str] = None  # the description it came from, to confirm back


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip()


def number_value(token: str) -> Optional[float]:
    """The value of "7", "7.5", "seven", "twenty five"; None otherwise."""
    token = token.strip().replace(",", ".")
    try:
        return float(token)
    except ValueError:
        pass
    total = 0.0
    for part in re.split(r"[ -]", token):
        if part not in NUMBER_WORDS:
            return None
        total += NUMBER_WORDS[part]
    return total


def _quantity_value(quantity: str) -> Optional[float]:
    words = quantity.replace(" of", "").split()
    for word in reversed(words):
        if word in QUANTITY_WORDS and word not in ("a", "an"):
            return QUANTITY_WORDS[word]
    if words and words[0] in ("a", "an"):
        return 1.0
    return number_value(quantity)


# --- pain -------------------------------------------------------------------

# Descriptions mapped onto the 0-10 scale (docs/clinical-rules.md: mild, moderate,
# severe, unbearable), most specific first.
PAIN_WORDS = [
    (
        r"unbearable|unberable|unbearble|excruciating|excrutiating|agony|agonising|agonizing|"
        r"worst pain|worst ever|can'?t bear it",
        10.0,
    ),
    (r"not (?:too|that|so) bad|mild(?:ly)?|minor|manageable|bearable", 2.0),
    (
        r"severe(?:ly)?|severly|sever|very bad|really bad|terrible|horrible|awful|"
        r"very painful|really painful|intense|killing me",
        8.0,
    ),
    (r"moderate(?:ly)?|moderat|medium|quite bad|pretty bad|fairly bad", 5.0),
]
PAIN_WORD_PATTERNS = [(re.compile(rf"\b(?:{words})\b"), level) for words, level in PAIN_WORDS]
# "A bit" is a pain level only when it is said of the pain ("hurts a bit", "a
# little sore") or answers the pain question: "my leg is a bit better" is not 2/10.
SLIGHT_PAIN = re.compile(
    r"\b(?:a (?:little|bit)|slight(?:ly)?)\s+"
    r"(?:sore|painful|achy|tender|pain|ache|of (?:a|an) (?:ache|pain))\b"
    r"|\b(?:hurts?|aches?|sore|painful)\s+(?:just\s+|only\s+)?(?:a (?:little|bit)|slightly)\b"
)
SLIGHT_ANSWER = re.compile(r"^\W*(?:just |only )?(?:a (?:little|bit)|slight(?:ly)?)\W*$")
NO_PAIN = re.compile(r"\b(?:no pain|pain[- ]free|doesn'?t hurt|does not hurt|not hurting)\b")

OUT_OF_TEN = re.compile(rf"(?P<number>{NUMBER})\s*(?:/|out of|outta|of|from)\s*(?:10|ten)\b")
PAIN_CUE = re.compile(
    r"\b(?:pain(?: level)?|level|scale|rate it|rating|score|it'?s|its|it is|"
    r"i'?d say|i would say|about|around|maybe|like|a solid|a)"
    rf"\s+(?:is\s+|of\s+|at\s+|a\s+|an\s+|about\s+|around\s+)?(?P<number>{NUMBER})\b(?!\s*(?:%|percent))"
)
ON_THE_SCALE = re.compile(rf"(?P<number>{NUMBER})\s+on the (?:pain )?scale")
BARE_NUMBER = re.compile(rf"(?<![\w/.])(?P<number>{NUMBER})(?![\w/])")


def _strip_durations(text: str) -> str:
    """Blanks out durations so their numbers are never read as pain."""
    return DURATION.sub(" ", text)


def _in_range(value: Optional[float]) -> Optional[float]:
    if value is None or not PAIN_MIN <= value <= PAIN_MAX:
        return None
    return value


def parse_pain_level(text: str, expecting: bool = False) -> Optional[PainReading]:
    """A pain level from text, or None.

    A bare number counts only when `expecting` (the bot has just asked for the
    pain level); otherwise the text must say it is a pain score ("7/10",
    "pain is 7", "severe").
    """
    cleaned = _strip_durations(normalise(text))
    for pattern in (OUT_OF_TEN, ON_THE_SCALE, PAIN_CUE):
        match = pattern.search(cleaned)
        if match:
            value = _in_range(number_value(match.group("number")))
            return PainReading(value) if value is not None else None
    if NO_PAIN.search(cleaned):
        return PainReading(0.0, "no pain")
    for pattern, level in PAIN_WORD_PATTERNS:
        match = pattern.search(cleaned)
        if match:
            return PainReading(level, match.group(0))
    slight = SLIGHT_PAIN.search(cleaned) or (expecting and SLIGHT_ANSWER.search(cleaned))
    if slight:
        return PainReading(2.0, slight.group(0).strip())
    if expecting:
        if re.fullmatch(r"(?:none|nothing|zero|0)\W*", cleaned):
            return PainReading(0.0)
        match = BARE_NUMBER.search(cleaned)
        if match:
            value = _in_range(number_value(match.group("number")))
            return PainReading(value) if value is not None else None
    return None


# --- duration ----------------------------------------------------------------

# Phrases without a number, in weeks. "For months" is read as just over three
# months: several months is long enough to be chronic (>= 12 weeks).
DURATION_PHRASES = [
    (r"day before yesterday", 2 / DAYS_PER_WEEK),
    (r"yesterday|last night|since last evening", 1 / DAYS_PER_WEEK),
    (r"this morning|today|this afternoon|this evening|tonight|an hour ago|just now|a few hours", 0.0),
    (r"last (?:weekend|week)", 1.0),
    (r"last month", WEEKS_PER_MONTH),
    (r"last year", 52.0),
    (r"half a year|six months", 26.0),
    (r"(?:a )?fortnight", 2.0),
    (r"(?:for |over |many |some )?years", 104.0),
    (r"(?:for |over |many |some )?months", 13.0),
    (r"(?:for |over |some |a few )?weeks", 3.0),
    (r"(?:for |over |some |a few )?days", 3 / DAYS_PER_WEEK),
]
DURATION_PHRASE_PATTERNS = [(re.compile(rf"\b(?:{phrase})\b"), weeks) for phrase, weeks in DURATION_PHRASES]
_PAIN_SCORE = re.compile(rf"{NUMBER}\s*(?:/|out of)\s*(?:10|ten)\b")
# "28 weeks pregnant" is a pregnancy, not how long the back has hurt.
_PREGNANCY_WEEKS = re.compile(rf"\b{NUMBER}\s*(?:{_UNIT})\s+(?:pregnant|along|gestation)\b")
# "a 58 year old man" is an age, not a duration.
_AGE_YEARS = re.compile(r"\b\d{1,3}\s*-?\s*(?:years?|yrs?)\s*-?\s*old\b")
# Words that say the recent duration is a new flare of long-standing pain.
FLARE_CUE = re.compile(
    r"\b(?:flare\w*|this (?:time|episode|bout|attack|one)|again|another (?:bout|episode|attack)|"
    r"came back|come back|relapse\w*|recurr\w*|started|began|kicked off|went|gone|got (?:much |a lot )?worse|"
    r"put (?:it|my back) out|on and off|off and on|comes and goes)\b"
)


@dataclass(frozen=True)
class Duration:
    weeks: float
    flare_up: bool = False  # a recent flare of pain that has lasted 12 weeks or more


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(
    r"\b(?:since|from|on|last|this past) (?:last )?"
    r"(?P<day>mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b"
)


def _weeks_since_weekday(abbreviation: str, today: date) -> float:
    """Weeks back to the most recent such weekday before today (1 to 7 days)."""
    weekday = next(index for index, name in enumerate(WEEKDAYS) if name.startswith(abbreviation[:3]))
    days = (today.weekday() - weekday) % 7 or 7
    return days / DAYS_PER_WEEK


_DAY_OF_MONTH = re.compile(r"\b(?:since|from|on) (?:the )?(?P<day>[12]?\d|3[01])(?:st|nd|rd|th)\b")
# A time word says when the pain began only with a word like "since": "it hurts
# today" says how it is now, "since this morning" how long it has lasted.
_STARTED = re.compile(
    r"\b(?:since|from|started|starting|began|begun|start|came on|come on|went|happened|it was|only)"
    r"\s+(?:\w+\s+){0,2}$"
)


def _weeks_since_day_of_month(day: int, today: date) -> Optional[float]:
    """Weeks back to the most recent such day of the month (0 to about 4)."""
    if day > 31:
        return None
    if day <= today.day:
        return (today.day - day) / DAYS_PER_WEEK
    previous_month_end = today.replace(day=1) - timedelta(days=1)
    start = previous_month_end.replace(day=min(day, previous_month_end.day))
    return (today - start).days / DAYS_PER_WEEK


def _durations(text: str, today: Optional[date] = None, strict: bool = False) -> List[Tuple[int, float]]:
    """Every duration in the text with its position, numbers before phrases.

    `strict` skips bare time words ("it hurts today") that do not say when the
    pain began: used when the person was not asked how long it has lasted.
    """
    found: List[Tuple[int, int, float]] = []
    today = today or date.today()
    for match in _WEEKDAY.finditer(text):
        found.append((match.start(), match.end(), round(_weeks_since_weekday(match.group("day"), today), 4)))
    for match in _DAY_OF_MONTH.finditer(text):
        weeks = _weeks_since_day_of_month(int(match.group("day")), today)
        if weeks is not None:
            found.append((match.start(), match.end(), round(weeks, 4)))
    for match in DURATION.finditer(text):
        if any(start < match.end() and match.start() < end for start, end, _ in found):
            continue
        quantity = _quantity_value(match.group("quantity"))
        unit = match.group("unit")
        factor = next(weeks for pattern, weeks in UNITS.items() if re.fullmatch(pattern, unit))
        if quantity is not None and quantity >= 0:
            found.append((match.start(), match.end(), round(quantity * factor, 4)))
    for pattern, weeks in DURATION_PHRASE_PATTERNS:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end, _ in found):
                continue
            if strict and not (
                _STARTED.search(text[: match.start()]) or match.group(0).startswith(("for ", "over "))
            ):
                continue
            found.append((match.start(), match.end(), weeks))
    return [(start, weeks) for start, _, weeks in found]


def parse_duration(
    text: str,
    chronic_from_weeks: float = CUTOFFS.chronic_from_weeks,
    today: Optional[date] = None,
    strict: bool = False,
) -> Optional[Duration]:
    """How long the pain has lasted, or None.

    A number needs a unit ("3" alone is ambiguous). When the text gives both a
    long history and a recent start ("two years of back trouble, but this flare
    started 3 days ago"), the recent one counts and `flare_up` is set. With
    `strict`, a bare "today" or "yesterday" without "since" is not a duration.
    """
    cleaned = normalise(text)
    for not_a_duration in (_PAIN_SCORE, _PREGNANCY_WEEKS, _AGE_YEARS):
        cleaned = not_a_duration.sub(" ", cleaned)
    durations = _durations(cleaned, today, strict)
    if not durations:
        return None
    lengths = [weeks for _, weeks in durations]
    long_history, recent = max(lengths), min(lengths)
    if long_history >= chronic_from_weeks > recent and FLARE_CUE.search(cleaned):
        return Duration(recent, flare_up=True)
    return Duration(durations[0][1])


def parse_duration_weeks(text: str) -> Optional[float]:
    """How long the pain has lasted, in weeks (the recent flare for a flare-up), or None."""
    duration = parse_duration(text)
    return duration.weeks if duration else None


# --- age ----------------------------------------------------------------------

_AGE = re.compile(
    r"\b(?:(?:i'?m|i am|im|aged?|age)\s+(?P<said>\d{1,3})"
    r"(?!\s*(?:/|out of|of 10|from 10|%|percent|[.,]\d)|\s*(?:"
    + _UNIT
    + r"|kg|kilos?|stone|lbs|pounds|times|reps|cm|km|miles)\b)"
    r"|(?P<years>\d{1,3})\s*(?:-\s*)?(?:years?|yrs?|yo|y/o|y\.o\.)(?:\s*-?\s*old|\b))",
)


def parse_age(text: str) -> Optional[float]:
    """The person's age if they give it ("I'm 58", "58 years old", "17yo"), else None."""
    for match in _AGE.finditer(normalise(text)):
        if match.group("years") is not None:
            # "for 3 years" is a duration: an age needs "old" or "yo".
            if not re.search(r"old|y/?o", match.group(0)):
                continue
            value = float(match.group("years"))
        else:
            value = float(match.group("said"))
            if value < 12:  # "I'm 8" is more likely a pain score than an age
                continue
        if 0 < value <= 110:
            return value
    return None


# --- conditions that change which exercises are safe ---------------------------

CONDITION_PATTERNS = {
    "pregnancy": re.compile(r"\b(?:pregnan\w*|expecting a baby|weeks along|my bump|trimester)\b"),
    "osteoporosis": re.compile(r"\b(?:osteopor\w*|osteopenia|brittle bones|thin bones|fragile bones)\b"),
}
_DENIED_CONDITION = re.compile(r"\b(?:not|no|never|dont have|don't have|isn'?t|without)\b[^.,;]{0,20}$")


def parse_conditions(text: str) -> List[str]:
    """Conditions the person says they have ("I'm 28 weeks pregnant"), not denied ones."""
    cleaned = normalise(text)
    found = []
    for condition, pattern in CONDITION_PATTERNS.items():
        match = pattern.search(cleaned)
        if match and not _DENIED_CONDITION.search(cleaned[: match.start()]):
            found.append(condition)
    return found


# --- "my back hurts" in any words ----------------------------------------------

_BACK_PAIN = re.compile(
    r"\b(?:backache|back ?pain|lumbago|sciatica|sore back|bad back|stiff back|aching back)\b"
    r"|\b(?:back|spine)\b.{0,30}\b(?:hurt\w*|pain\w*|sore|ach\w*|stiff|killing|agony|playing up)\b"
    r"|\b(?:hurt\w*|pain\w*|sore|ach\w*|stiff)\b.{0,20}\b(?:back|spine)\b"
)


def mentions_back_pain(text: str) -> bool:
    """True when the text says the back hurts, whatever else it says."""
    return bool(_BACK_PAIN.search(normalise(text)))


# --- leg pain -------------------------------------------------------------------

LEG_PAIN_VALUES = ("none", "above_knee", "below_knee", "one_leg", "both")
_LEG_PAIN = [
    (
        "both",
        re.compile(
            r"\b(?:both|each|either|two) (?:of )?(?:my )?(?:legs|sides|thighs|feet)\b"
            r"|\bleft and right\b|\bboth\b"
        ),
    ),
    (
        "none",
        re.compile(
            r"\b(?:no|nope|nah|none|not (?:really|into|down)|doesn'?t (?:spread|go)|does not (?:spread|go)|"
            r"just (?:my |the )?back|"
            r"only (?:my |the |in my )?(?:lower )?back|stays? in (?:my |the )?back)\b"
        ),
    ),
    (
        "below_knee",
        re.compile(
            r"\b(?:below|past|under|beyond) (?:my |the )?knee"
            r"|\b(?:calf|calves|shin|ankle|foot|feet|toes?|heel)\b|all the way down"
        ),
    ),
    (
        "above_knee",
        re.compile(
            r"\b(?:thigh|buttock|bum|butt|hip|groin side|above (?:my |the )?knee|to (?:my |the )?knee)\b"
        ),
    ),
    ("one_leg", re.compile(r"\b(?:left|right|one)? ?(?:leg|side)\b|\bsciatica\b|\byes\b")),
]


def parse_leg_pain(text: str) -> Optional[str]:
    """Where back pain spreads: none, above_knee, below_knee, one_leg (depth not said) or both."""
    cleaned = normalise(text)
    for value, pattern in _LEG_PAIN:
        if pattern.search(cleaned):
            return value
    return None
