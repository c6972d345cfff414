"""When a daily reminder is due: the time and time zone people write, and the next slot in UTC.

Pure functions, no database: `parse_reminder_time("at 6.30pm")` is 18:30,
`parse_time_zone("new york")` is "America/New_York", and `next_slot` turns a
local hour and minute into the next moment in UTC, across daylight-saving
changes.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Dict, List, Optional
from zoneinfo import ZoneInfo, available_timezones

from bot.parsing import NUMBER_WORDS

# ---------------------------------------------------------------- the time of day

# Hours said in words ("at eight"), from the numbers the assessment reads.
_HOUR_WORDS = {word: value for word, value in NUMBER_WORDS.items() if 1 <= value <= 12}
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
    """The time of day in what a person wrote ("at 8", "6.30pm", "20h", "at noon"); None without one.

    A bare hour is the morning ("8" is 08:00) unless the text says otherwise
    ("at 8 in the evening", "8 pm", "every evening at 8"). An impossible time
    ("25:00", "8:75", "13pm") is None, so the bot asks again instead of guessing.
    """
    lowered = text.lower().replace("\u2019", "'")
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

# Countries with one time zone, or one that nearly everyone there lives in
# (Spain's Canary Islands, Portugal's Azores and New Zealand's Chatham
# Islands are left out). Countries spanning several zones (the US, Canada,
# Russia, Brazil, Australia, ...) are not here: a city names the zone.
_COUNTRIES: Dict[str, str] = {
    "germany": "Europe/Berlin",
    "deutschland": "Europe/Berlin",
    "uk": "Europe/London",
    "united kingdom": "Europe/London",
    "great britain": "Europe/London",
    "britain": "Europe/London",
    "england": "Europe/London",
    "scotland": "Europe/London",
    "wales": "Europe/London",
    "northern ireland": "Europe/London",
    "ireland": "Europe/Dublin",
    "france": "Europe/Paris",
    "spain": "Europe/Madrid",
    "portugal": "Europe/Lisbon",
    "italy": "Europe/Rome",
    "netherlands": "Europe/Amsterdam",
    "the netherlands": "Europe/Amsterdam",
    "holland": "Europe/Amsterdam",
    "belgium": "Europe/Brussels",
    "austria": "Europe/Vienna",
    "switzerland": "Europe/Zurich",
    "poland": "Europe/Warsaw",
    "czechia": "Europe/Prague",
    "czech republic": "Europe/Prague",
    "denmark": "Europe/Copenhagen",
    "sweden": "Europe/Stockholm",
    "norway": "Europe/Oslo",
    "finland": "Europe/Helsinki",
    "greece": "Europe/Athens",
    "turkey": "Europe/Istanbul",
    "japan": "Asia/Tokyo",
    "south korea": "Asia/Seoul",
    "korea": "Asia/Seoul",
    "india": "Asia/Kolkata",
    "singapore": "Asia/Singapore",
    "new zealand": "Pacific/Auckland",
}
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
# A person saying where they are: "I live in Berlin", "I'm in new york", "my time zone is UTC+2".
_LEAD_IN = re.compile(
    r"^(?:(?:i\s*'?m|i am|we\s*'?re|we are)\s+(?:based\s+)?(?:in|from)|i live in|we live in|"
    r"based in|living in|in|from|my time ?zone is|time ?zone:?|it\s*'?s|it is)\s+"
)


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


def parse_time_zone(text: str) -> Optional[str]:
    """The IANA time zone a person names: "Europe/Berlin", "berlin", "Germany", "UTC+2"; None otherwise."""
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
    """Lower case, no accents ("São Paulo" -> "sao paulo", "Zürich" -> "zurich"), single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'").lower())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(letters.strip(" .!?").split())


def _zone_of(name: str) -> Optional[str]:
    offset = _UTC_OFFSET.match(name.replace(" ", ""))
    if offset:
        return _zone_of_offset(offset["sign"], int(offset["hours"]), int(offset["minutes"] or 0))
    if "/" in name and name in _zone_names():
        return _zone_names()[name]
    return (
        _COUNTRIES.get(name)
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
