"""When a daily reminder is due: the time and time zone people write, and the next slot in UTC.

Pure functions, no database: `parse_reminder_time("at 6.30pm")` is 18:30 and
`parse_reminder_time("abends um halb acht")` 19:30; `parse_time_zone("new
york")` is "America/New_York" and `parse_time_zone("ich wohne in München")`
"Europe/Berlin"; `next_slot` turns a local hour and minute into the next
moment in UTC, across daylight-saving changes. Both languages are read in
every conversation: a person may answer in German before BackCare has
noticed that they speak it, and a German phrase ("um", "Uhr", "halb") is
never read as an English one.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Dict, List, Optional
from zoneinfo import ZoneInfo, available_timezones

from bot.care.place_names import COUNTRIES, PLACES
from bot.care.reminder_times_de import NOT_A_TIME, parse_german_time

# ---------------------------------------------------------------- the time of day

# Hours said in English words ("at eight").
_HOUR_WORDS = {
    word: value
    for value, word in enumerate(
        "one two three four five six seven eight nine ten eleven twelve".split(), start=1
    )
}
_TIME = re.compile(
    r"""
    (?<![\w:.,/])                                   # not the tail of another number or word
    (?P<at>(?:\bat|\baround|\bby|@)\s*)?
    (?P<hour>\d{1,2}|(?:"""
    + "|".join(_HOUR_WORDS)
    + r""")\b)
    (?:(?P<separator>[:.h])(?P<minute>\d{2}))?      # 18:30, 6.30, 20h30
    (?![\w:.,/]\d|\d)                               # not 8:5, 1.5 or 7/10
    (?:\s*(?P<suffix>a\.?m\.?|p\.?m\.?|h|o'?clock)(?![a-z]))?
    """,
    re.VERBOSE,
)
# A number followed by these is an amount, not a time ("every 2 days", "pain 7 out of 10").
_NOT_A_TIME = re.compile(r"\s*(?:days?|weeks?|hours?|hrs?|minutes?|mins?|times?|x\b|%|out of|/)")
# "8 in the evening" is a time even without "at".
_DAY_PART_AFTER = re.compile(r"\s*(?:in the (?:morning|afternoon|evening)|at night|tonight)\b")
_MORNING = re.compile(r"\b(?:morning|midnight)\b")
_LATER = re.compile(r"\b(?:afternoon|evening|noon|midday)\b")
_NIGHT = re.compile(r"\b(?:night|tonight)\b")
_NOON = re.compile(r"\b(?:noon|midday)\b")
_MIDNIGHT = re.compile(r"\bmidnight\b")


def parse_reminder_time(text: str) -> Optional[time]:
    """The time of day in what a person wrote ("at 8", "6.30pm", "um 8 Uhr", "halb acht"); None without one.

    A bare hour is the morning ("8" is 08:00) unless the text says otherwise
    ("at 8 in the evening", "8 pm", "every evening at 8", "abends um 8"). An
    impossible time ("25:00", "8:75", "13pm", "um 25 Uhr") is None, so the bot
    asks again instead of guessing. German phrases are read first
    (bot/care/reminder_times_de.py): "um 7:30 abends" must not stop at the
    English reading of "7:30".
    """
    lowered = text.lower().replace("\u2019", "'")
    german = parse_german_time(lowered, _clock_time, lambda words: _day_part("", words))
    if isinstance(german, time):
        return german
    if german == NOT_A_TIME:
        return None
    for match in _TIME.finditer(lowered):
        if _NOT_A_TIME.match(lowered, match.end()) or not _looks_like_a_time(match, lowered):
            continue
        suffix = match["suffix"] or ""
        hour = _HOUR_WORDS.get(match["hour"]) or int(match["hour"])
        if suffix[:1] in ("a", "p") and not 1 <= hour <= 12:
            return None  # "13pm", "0am"
        return _clock_time(hour, int(match["minute"] or 0), _day_part(suffix, lowered))
    if _NOON.search(lowered):
        return time(12, 0)
    if _MIDNIGHT.search(lowered):
        return time(0, 0)
    return None


def _looks_like_a_time(match: re.Match, text: str) -> bool:
    """A number is a time when it is said like one: "at 8", "8:00", "8pm", "8 in the evening", or just "8"."""
    if match["hour"] in _HOUR_WORDS:  # "at eight", "eight pm": "eight exercises" is no time
        return bool(match["at"] or match["suffix"])
    return bool(
        match["at"]
        or match["minute"]
        or match["suffix"]
        or _DAY_PART_AFTER.match(text, match.end())
        or match.group(0).strip() == text.strip(" .!?")
    )


def _day_part(suffix: str, text: str) -> Optional[str]:
    """ "am", "pm", "night" or None: what the suffix, or else the words of the text, say."""
    if suffix[:1] in ("a", "p"):
        return "am" if suffix.startswith("a") else "pm"
    if _MORNING.search(text):
        return "am"
    if _LATER.search(text):
        return "pm"
    if _NIGHT.search(text):
        return "night"
    return None


def _clock_time(hour: int, minute: int, part: Optional[str]) -> Optional[time]:
    if hour > 23 or minute > 59:
        return None
    if part is None or hour == 0 or hour > 12:
        # Already a 24-hour time: "18:30 in the evening" agrees with itself, "18:30 in the morning" does not.
        return None if part == "am" and hour > 12 else time(hour, minute)
    if part == "night":
        # "9 at night" is 21:00; "12 at night" is midnight and "2 at night" 02:00.
        part = "pm" if 6 <= hour <= 11 else "am"
    return time(hour % 12 + (12 if part == "pm" else 0), minute)


# ---------------------------------------------------------------- the time zone

# Zones named after a city; the rest (Etc/GMT+5, US/Eastern, CET...) are only matched by full name.
_CITY_REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)
_UTC_OFFSET = re.compile(r"^(?:utc|gmt)\s*(?P<sign>[+\-−])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?$")
# Offsets that are not whole hours have no Etc/GMT zone; these zones keep
# theirs all year (no daylight saving), so they are the same thing.
# Other such offsets (Newfoundland's -3:30 changes in summer) are not guessed.
_PART_HOUR_ZONES = {
    (-1, 9, 30): "Pacific/Marquesas",
    (1, 3, 30): "Asia/Tehran",
    (1, 4, 30): "Asia/Kabul",
    (1, 5, 30): "Asia/Kolkata",
    (1, 5, 45): "Asia/Kathmandu",
    (1, 6, 30): "Asia/Yangon",
    (1, 8, 45): "Australia/Eucla",
    (1, 9, 30): "Australia/Darwin",
}
# A person saying where they are: "I live in Berlin", "I'm in new york", "my time zone is UTC+2",
# "ich wohne in München", "ich bin aus Wien", "meine Zeitzone ist MEZ" (matched without accents).
_LEAD_IN = re.compile(
    r"^(?:(?:i\s*'?m|i am|we\s*'?re|we are)\s+(?:based\s+)?(?:in|from)|i live in|we live in|"
    r"based in|living in|in|from|my time ?zone is|time ?zone:?|it\s*'?s|it is|"
    r"(?:ich|wir)\s+(?:wohne|wohnen|lebe|leben|bin|sind|komme|kommen)\s+(?:in|im|aus|bei)(?:\s+der)?|"
    r"(?:wohne|lebe|bin) in|aus|im|bei|in der|meine zeit ?zone ist|zeit ?zone:?|es ist)\s+"
)
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


@lru_cache(maxsize=1)
def _zone_names() -> Dict[str, str]:
    """Every IANA name, lower-cased -> as spelt ("europe/berlin" -> "Europe/Berlin")."""
    return {name.lower(): name for name in available_timezones() if name not in ("Factory", "localtime")}


@lru_cache(maxsize=1)
def _cities() -> Dict[str, str]:
    """The city of each zone as people write it ("sao paulo", "port au prince") -> its zone."""
    cities: Dict[str, str] = {}
    # Written longest name first, so the shortest wins: America/Indianapolis and
    # America/Indiana/Indianapolis are the same clock.
    for name in sorted(_zone_names().values(), key=lambda name: (name.count("/"), name), reverse=True):
        if name.split("/")[0] in _CITY_REGIONS:
            city = name.rsplit("/", 1)[-1].replace("_", " ").replace("-", " ")
            cities[city.lower()] = name
    return cities


@lru_cache(maxsize=1)
def _named_places() -> Dict[str, str]:
    """Countries and places by name without accents, also as typed without umlauts ("oesterreich")."""
    named: Dict[str, str] = {}
    for name, zone in {**COUNTRIES, **PLACES}.items():
        for spelling in (name, name.translate(_UMLAUTS)):
            named[_plain(spelling)] = zone
    return named


def parse_time_zone(text: str) -> Optional[str]:
    """The IANA time zone a person names: "Europe/Berlin", "berlin", "Germany", "UTC+2", "Wien",
    "Österreich"; None otherwise."""
    cleaned = _LEAD_IN.sub("", _plain(text))
    for candidate in [
        cleaned,
        *(part.strip() for part in cleaned.split(",") if part.strip()),
        *_word_runs(cleaned),
    ]:
        zone = _zone_of(candidate)
        if zone:
            return zone
    return None


def _word_runs(text: str, longest: int = 3) -> List[str]:
    """Runs of up to `longest` words, longer first: "paris please" -> "paris please", "paris", "please"."""
    words = re.sub(r"[^\w+:/-]+", " ", text).split()
    return [
        " ".join(words[start : start + size])
        for size in range(longest, 0, -1)
        for start in range(len(words) - size + 1)
    ]


def _plain(text: str) -> str:
    """Lower case, no accents ("São Paulo" -> "sao paulo", "Zürich" -> "zurich", "ß" -> "ss"), one space."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'").lower().replace("ß", "ss"))
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(letters.strip(" .!?").split())


def _zone_of(name: str) -> Optional[str]:
    offset = _UTC_OFFSET.match(name.replace(" ", ""))
    if offset:
        return _zone_of_offset(offset["sign"], int(offset["hours"]), int(offset["minutes"] or 0))
    if "/" in name and name in _zone_names():
        return _zone_names()[name]
    return (
        _named_places().get(name)
        or _cities().get(name.replace("-", " "))  # "port au prince", "Port-au-Prince"
        or _zone_names().get(name)  # UTC, GMT, CET, EST ...
    )


def _zone_of_offset(sign: str, hours: int, minutes: int) -> Optional[str]:
    direction = 1 if sign == "+" else -1
    if minutes:
        return _PART_HOUR_ZONES.get((direction, hours, minutes))
    if hours == 0:
        return "UTC"
    # POSIX counts offsets west of Greenwich as positive, so the IANA zone
    # for UTC+2 is "Etc/GMT-2" and for UTC-5 it is "Etc/GMT+5".
    name = f"Etc/GMT{'-' if direction > 0 else '+'}{hours}"
    return name if is_time_zone(name) else None


# ---------------------------------------------------------------- the next slot


def next_slot(hour: int, minute: int, time_zone: str, after: datetime) -> datetime:
    """The first moment strictly after `after` when the clock in `time_zone` shows hour:minute, in UTC.

    On the spring change a time that does not exist locally (02:30 in Berlin
    on the last Sunday of March) moves forward by the gap (03:30); on the
    autumn change a time that happens twice counts once, the first time.
    """
    zone = ZoneInfo(time_zone)
    day = after.astimezone(zone).date()
    while True:
        # fold=0 reads a missing local time with the offset before the change,
        # which lands that far past the gap; a repeated one as its first occurrence.
        local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone, fold=0)
        slot = local.astimezone(timezone.utc)
        if slot > after:
            return slot
        day += timedelta(days=1)


def is_time_zone(name: str) -> bool:
    """Whether `name` is an IANA time zone name, spelt as IANA spells it."""
    return _zone_names().get(name.lower()) == name
