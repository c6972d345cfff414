"""Reads pain levels and durations from free text, in English and German.

People answer in many ways: "8", "8/10", "eight", "about 7 out of ten",
"severe", "since yesterday", "two weeks", "for months"; "acht von zehn", "so
eine 7", "seit gestern", "schon monatelang". These functions turn such answers
into numbers, or return None so the bot can ask again.

Every text is read in both languages (the NLU does not say which language a
message is in, and people mix them): the English patterns first, as they
always were, then their German twins from bot.parsing_de.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, List, Match, Optional, Pattern, Tuple

from bot import parsing_de as de
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
    # NFC: some phone keyboards send "ü" as "u" plus a combining diaeresis.
    text = unicodedata.normalize("NFC", text).lower()
    for apostrophe in ("’", "‘", "´", "`"):
        text = text.replace(apostrophe, "'")
    return re.sub(r"\s+", " ", text).strip()


def number_value(token: str) -> Optional[float]:
    """The value of "7", "7.5", "seven", "twenty five", "sieben", "6,5"; None otherwise."""
    english = token.strip().replace(",", ".")
    try:
        return float(english)
    except ValueError:
        pass
    total = 0.0
    for part in re.split(r"[ -]", english):
        if part not in NUMBER_WORDS:
            return de.number_value(token)
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
# "6ish": a number said loosely is still a score, unless a unit follows ("3ish days").
LOOSE_NUMBER = re.compile(rf"(?<![\w/.])(?P<number>{NUMBER})\s*-?ish\b(?!\s*(?:{_UNIT})\b)")
BARE_NUMBER = re.compile(rf"(?<![\w/.])(?P<number>{de.NUMBER}|{NUMBER})(?![\w/])")
# "No pain in my leg" answers where the pain goes, not how strong it is.
LEG_WORDS = re.compile(r"\b(?:leg|legs|thigh|calf|knee|foot|feet|buttock|sciatica)\b")


def mentions_leg(text: str) -> bool:
    """True when the text names a leg or a part of one, in either language."""
    cleaned = normalise(text)
    return bool(LEG_WORDS.search(cleaned) or de.LEG_WORDS.search(cleaned))


def mentions_leg_pain(text: str) -> bool:
    """True when the text, said in passing, is about pain in a leg ("der Ischias zieht ins Bein")."""
    cleaned = normalise(text)
    return bool(LEG_WORDS.search(cleaned) or (de.LEG_WORDS.search(cleaned) and de.SPREADING.search(cleaned)))


def _strip_durations(text: str) -> str:
    """Blanks out durations so their numbers are never read as pain."""
    return DURATION.sub(" ", text)


def _strip_german_non_scores(text: str) -> str:
    """Blanks out German durations, dates, ages, times and the scale's own ends."""
    for pattern in (*de.NOT_DURATIONS_OR_SCORES, de.DURATION, de.DAY_OF_MONTH, *de.NOT_PAIN):
        text = pattern.sub(" ", text)
    return text


def _in_range(value: Optional[float]) -> Optional[float]:
    if value is None or not PAIN_MIN <= value <= PAIN_MAX:
        return None
    return value


def _reading(match: Match[str]) -> Optional[PainReading]:
    value = _in_range(number_value(match.group("number")))
    return PainReading(value) if value is not None else None


def _said_word(match: Match[str]) -> str:
    groups = match.groupdict()
    return (groups.get("word") or groups.get("before") or match.group(0)).strip()


def _no_pain(pattern: Pattern[str], text: str) -> Optional[Match[str]]:
    """A "no pain" that is not about a leg ("no pain down my leg" answers where it goes)."""
    for match in pattern.finditer(text):
        clause = re.split(r"[.,;!?]", text[match.end() :], maxsplit=1)[0][:40]
        if not mentions_leg(clause):
            return match
    return None


def parse_pain_level(text: str, expecting: bool = False) -> Optional[PainReading]:
    """A pain level from text, or None.

    A bare number counts only when `expecting` (the bot has just asked for the
    pain level); otherwise the text must say it is a pain score ("7/10",
    "pain is 7", "so eine 7", "severe", "starke Schmerzen"). Each step tries
    English, then German.
    """
    cleaned = _strip_durations(normalise(text))
    german = _strip_german_non_scores(cleaned)
    for pattern, said in (
        (OUT_OF_TEN, cleaned),
        (ON_THE_SCALE, cleaned),
        (PAIN_CUE, cleaned),
        (de.OUT_OF_TEN, german),
        (de.ON_THE_SCALE, german),
        (de.PAIN_CUE, german),
        (LOOSE_NUMBER, cleaned),
    ):
        match = pattern.search(said)
        if match:
            return _reading(match)
    no_pain = _no_pain(NO_PAIN, cleaned)
    if no_pain:
        return PainReading(0.0, "no pain")
    no_pain = _no_pain(de.NO_PAIN, german)
    if no_pain:
        return PainReading(0.0, no_pain.group(0))
    for pattern, level in [*PAIN_WORD_PATTERNS, *de.PAIN_WORD_PATTERNS]:
        match = pattern.search(cleaned)
        if match:
            return PainReading(level, _said_word(match))
    slight = SLIGHT_PAIN.search(cleaned) or (expecting and SLIGHT_ANSWER.search(cleaned))
    if slight:
        return PainReading(2.0, slight.group(0).strip())
    described = [*de.NEAR_PAIN_PATTERNS, *(de.ANSWER_PATTERNS if expecting else [])]
    for pattern, level in described:
        match = pattern.search(german)
        if match:
            return PainReading(level, de.base_form(_said_word(match)))
    if expecting:
        if re.fullmatch(r"(?:none|nothing|zero|0)\W*", cleaned) or de.NONE_ANSWER.fullmatch(cleaned):
            return PainReading(0.0)
        match = BARE_NUMBER.search(german)
        if match:
            return _reading(match)
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
# "I sit 8 hours a day" is a habit, not how long the back has hurt.
_RATE = re.compile(rf"\b{NUMBER}\s*(?:{_UNIT})\s+(?:a|per|each|every)\s+(?:day|week|month|year|night)\b")
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
    return _weeks_back_to(weekday, today)


def _weeks_back_to(weekday: int, today: date) -> float:
    days = (today.weekday() - weekday) % 7 or 7
    return days / DAYS_PER_WEEK


# "Since the weekend" counts from its Saturday, as German "seit dem Wochenende".
_SINCE_THE_WEEKEND = re.compile(r"\b(?:since|from|over|at) the weekend\b")

_DAY_OF_MONTH = re.compile(r"\b(?:since|from|on) (?:the )?(?P<day>[12]?\d|3[01])(?:st|nd|rd|th)\b")
# A time word says when the pain began only with a word like "since": "it hurts
# today" says how it is now, "since this morning" how long it has lasted.
_STARTED = re.compile(
    r"\b(?:since|from|started|starting|began|begun|start|came on|come on|went|happened|it was|only)"
    r"\s+(?:\w+\s+){0,2}$"
    # An injury says when it began too: "I hurt my back this morning".
    r"|\b(?:hurt|threw|thrown|put|pulled|strained|twisted|tweaked|wrenched|injured|did|done|jarred|ricked|cricked)"
    r"\s+(?:my|the)\s+(?:lower\s+|low\s+)?back\b[^.;!?]{0,25}$"
    r"|\b(?:woke up|wake up|lifted|lifting|picked up|carried|carrying|bent (?:down|over)|slipped|sneezed)\b"
    r"[^.;!?]{0,30}$"
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


def _weeks_since_date(day: int, month: int, today: date) -> float:
    """Weeks back to the most recent such date ("seit dem 3.11."), this year or last."""
    year = today.year
    start = _date_in(year, month, day)
    if start > today:
        start = _date_in(year - 1, month, day)
    return (today - start).days / DAYS_PER_WEEK


def _date_in(year: int, month: int, day: int) -> date:
    next_month = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day, (next_month - timedelta(days=1)).day))


def _rounded(weeks: Optional[float]) -> Optional[float]:
    return round(weeks, 4) if weeks is not None else None


def _durations(text: str, today: Optional[date] = None, strict: bool = False) -> List[Tuple[int, float]]:
    """Every duration in the text with its position, English then German, numbers before phrases.

    `strict` skips bare time words ("it hurts today", "heute tut es weh") that
    do not say when the pain began: used when the person was not asked how
    long it has lasted.
    """
    found: List[Tuple[int, int, float]] = []
    today = today or date.today()

    def add(match: Match[str], weeks: Optional[float]) -> None:
        overlaps = any(start < match.end() and match.start() < end for start, end, _ in found)
        if weeks is not None and weeks >= 0 and not overlaps:
            found.append((match.start(), match.end(), weeks))

    for match in _WEEKDAY.finditer(text):
        add(match, _rounded(_weeks_since_weekday(match.group("day"), today)))
    for match in _SINCE_THE_WEEKEND.finditer(text):
        add(match, _rounded(_weeks_back_to(WEEKDAYS.index("saturday"), today)))
    for match in _DAY_OF_MONTH.finditer(text):
        add(match, _rounded(_weeks_since_day_of_month(int(match.group("day")), today)))
    for match in DURATION.finditer(text):
        quantity = _quantity_value(match.group("quantity"))
        unit = match.group("unit")
        factor = next(weeks for pattern, weeks in UNITS.items() if re.fullmatch(pattern, unit))
        add(match, _rounded(quantity * factor if quantity is not None else None))
    for pattern, weeks in DURATION_PHRASE_PATTERNS:
        for match in pattern.finditer(text):
            if strict and not (
                _STARTED.search(text[: match.start()]) or match.group(0).startswith(("for ", "over "))
            ):
                continue
            add(match, weeks)
    _german_durations(text, today, strict, add)
    return [(start, weeks) for start, _, weeks in found]


def _german_durations(
    text: str, today: date, strict: bool, add: Callable[[Match[str], Optional[float]], None]
) -> None:
    for match in de.WEEKDAY.finditer(text):
        weekday = de.WEEKDAY_INDEX[match.group("day") or match.group("started")]
        add(match, _rounded(_weeks_back_to(weekday, today)))
    for match in de.DAY_OF_MONTH.finditer(text):
        add(match, _rounded(_weeks_since_german_date(match, today)))
    for match in de.DURATION.finditer(text):
        quantity = de.quantity_value(match.group("quantity"))
        unit = match.group("unit")
        factor = next(weeks for pattern, weeks in de.UNITS.items() if re.fullmatch(pattern, unit))
        add(match, _rounded(quantity * factor if quantity is not None else None))
    for pattern, weeks, says_a_duration in de.DURATION_PHRASE_PATTERNS:
        for match in pattern.finditer(text):
            started = de.STARTED_BEFORE.search(text[: match.start()]) or de.STARTED_AFTER.search(
                text[match.end() :]
            )
            if strict and not (says_a_duration or started):
                continue
            add(match, weeks)


def _weeks_since_german_date(match: Match[str], today: date) -> Optional[float]:
    day = int(match.group("day")) if match.group("day") else de.ordinal_value(match.group("ordinal"))
    if day is None:
        return None
    if match.group("month"):
        return _weeks_since_date(day, int(match.group("month")), today)
    if match.group("month_name"):
        month = de.month_value(match.group("month_name"))
        return _weeks_since_date(day, month, today) if month else None
    return _weeks_since_day_of_month(day, today)


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
    `strict`, a bare "today" or "yesterday" without "since" ("seit") is not a
    duration.
    """
    cleaned = normalise(text)
    for not_a_duration in (_PAIN_SCORE, _PREGNANCY_WEEKS, _AGE_YEARS, _RATE, *de.NOT_DURATIONS):
        cleaned = not_a_duration.sub(" ", cleaned)
    durations = _durations(cleaned, today, strict)
    if not durations:
        return None
    lengths = [weeks for _, weeks in durations]
    long_history, recent = max(lengths), min(lengths)
    flare_cue = FLARE_CUE.search(cleaned) or de.FLARE_CUE.search(cleaned)
    if long_history >= chronic_from_weeks > recent and flare_cue:
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
    """The person's age if they give it ("I'm 58", "58 years old", "17yo", "ich bin 58"), else None."""
    cleaned = normalise(text)
    for match in [*_AGE.finditer(cleaned), *de.AGE.finditer(cleaned)]:
        groups = match.groupdict()
        if groups["said"] is not None:
            value = float(groups["said"])
            if value < 12:  # "I'm 8" is more likely a pain score than an age
                continue
        else:
            # "for 3 years" is a duration: an age needs "old" or "yo" (the German
            # pattern already asks for "alt" or "-jährig").
            if match.re is _AGE and not re.search(r"old|y/?o", match.group(0)):
                continue
            value = float(groups.get("years") or groups.get("aged") or 0)
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
        for match in (pattern.search(cleaned), de.CONDITION_PATTERNS[condition].search(cleaned)):
            denied = match and any(
                denial.search(cleaned[: match.start()]) for denial in (_DENIED_CONDITION, de.DENIED_CONDITION)
            )
            if match and not denied:
                found.append(condition)
                break
    return found


# --- "my back hurts" in any words ----------------------------------------------

_BACK_PAIN = re.compile(
    r"\b(?:backache|back ?pain|lumbago|sciatica|sore back|bad back|stiff back|aching back)\b"
    r"|\b(?:back|spine)\b.{0,30}\b(?:hurt\w*|pain\w*|sore|ach\w*|stiff|killing|agony|playing up)\b"
    r"|\b(?:hurt\w*|pain\w*|sore|ach\w*|stiff)\b.{0,20}\b(?:back|spine)\b"
)


def mentions_back_pain(text: str) -> bool:
    """True when the text says the back hurts, whatever else it says."""
    cleaned = normalise(text)
    return bool(_BACK_PAIN.search(cleaned) or de.BACK_PAIN.search(cleaned))


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
            r"\b(?:no|nope|nah|none|not (?:really|into|down|in (?:my |the )?legs?)|"
            r"doesn'?t (?:spread|go|hurt)|does not (?:spread|go|hurt)|(?:no|not any) pain (?:in|down|into)|"
            r"(?:just|only|purely) (?:in )?(?:my |the )?(?:lower |low )?back|stays? in (?:my |the )?back)\b"
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
    """Where back pain spreads: none, above_knee, below_knee, one_leg (depth not said) or both.

    For each answer in turn, the English words, then the German ones; a German
    place named after "nicht" or "kein" is denied ("nicht in den Beinen"). A
    plain "nein" counts last, so "nein, bis in den Fuß" is below the knee.
    """
    cleaned = normalise(text)
    german = dict(de.LEG_PAIN)
    for value, pattern in _LEG_PAIN:
        if pattern.search(cleaned):
            return value
        for match in german[value].finditer(cleaned):
            if value == "none" or not de.NEGATED.search(cleaned[: match.start()]):
                return value
    if de.NO_ANSWER.search(cleaned):
        return "none"
    return None
