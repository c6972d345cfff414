"""Reading the time and time zone people write for a reminder, and the next slot across daylight saving."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.care.reminder_times import is_time_zone, next_slot, parse_reminder_time, parse_time_zone

UTC = timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("remind me every day at 8", time(8, 0)),
        ("at 18:30", time(18, 30)),
        ("8am", time(8, 0)),
        ("8 pm", time(20, 0)),
        ("6.30pm", time(18, 30)),
        ("at 7:15 in the morning", time(7, 15)),
        ("20h", time(20, 0)),
        ("20h30", time(20, 30)),
        ("at noon", time(12, 0)),
        ("at midnight", time(0, 0)),
        ("8", time(8, 0)),
        ("at 8 in the evening", time(20, 0)),
        ("8 in the evening", time(20, 0)),
        ("every evening at 7", time(19, 0)),
        ("at eight in the evening", time(20, 0)),
        ("9 at night", time(21, 0)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("8 a.m.", time(8, 0)),
        ("8 o'clock", time(8, 0)),
        ("At 10:00PM please", time(22, 0)),
        ("at 18:30 in the evening", time(18, 30)),
        # A number that is not the time comes first.
        ("my pain is 7/10, remind me at 9", time(9, 0)),
        ("I did 3 exercises this morning, remind me at 8", time(8, 0)),
    ],
)
def test_times_people_write(text: str, expected: time) -> None:
    assert parse_reminder_time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "remind me every day",
        "yes please",
        "",
        "every 2 days",
        "in 3 hours",
        "7.5 hours",
        "eight exercises",
        # impossible times are refused, not guessed
        "25:00",
        "at 24:30",
        "8:75",
        "13pm",
        "0am",
        "18:30 in the morning",
    ],
)
def test_no_time_or_an_impossible_one_is_none(text: str) -> None:
    assert parse_reminder_time(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("AMERICA/NEW_YORK", "America/New_York"),
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("Sao Paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("Zürich", "Europe/Zurich"),
        ("port au prince", "America/Port-au-Prince"),
        ("I live in Berlin", "Europe/Berlin"),
        ("I'm in new york.", "America/New_York"),
        ("Berlin, Germany", "Europe/Berlin"),
        ("Germany", "Europe/Berlin"),
        ("UK", "Europe/London"),
        ("England", "Europe/London"),
        ("Britain", "Europe/London"),
        ("France", "Europe/Paris"),
        ("Spain", "Europe/Madrid"),
        ("Italy", "Europe/Rome"),
        ("the Netherlands", "Europe/Amsterdam"),
        ("Austria", "Europe/Vienna"),
        ("Switzerland", "Europe/Zurich"),
        ("Ireland", "Europe/Dublin"),
        ("Poland", "Europe/Warsaw"),
        ("Japan", "Asia/Tokyo"),
        ("UTC", "UTC"),
        ("gmt", "GMT"),
        # Etc/GMT names count west of Greenwich as positive: the sign is inverted.
        ("UTC+2", "Etc/GMT-2"),
        ("GMT-5", "Etc/GMT+5"),
        ("utc + 1", "Etc/GMT-1"),
        ("UTC\u22125", "Etc/GMT+5"),  # a typographic minus
        ("UTC+14", "Etc/GMT-14"),
        ("UTC+0", "UTC"),
        ("UTC+5:30", "Asia/Kolkata"),
        ("GMT+0545", "Asia/Kathmandu"),
    ],
)
def test_time_zones_people_write(text: str, expected: str) -> None:
    assert parse_time_zone(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "Mars", "the moon", "USA", "Australia", "UTC+15", "UTC-13", "UTC-3:30", "UTC+2:15", "europe"],
)
def test_unknown_places_and_offsets_are_none(text: str) -> None:
    # Countries with several zones (USA, Australia) need a city; Newfoundland's
    # -3:30 changes in summer, so no fixed zone stands for it.
    assert parse_time_zone(text) is None


@pytest.mark.parametrize("offset", ["+3:30", "+4:30", "+5:30", "+5:45", "+6:30", "+8:45", "+9:30", "-9:30"])
def test_part_hour_offsets_map_to_zones_that_keep_them_all_year(offset: str) -> None:
    zone = ZoneInfo(parse_time_zone(f"UTC{offset}") or "")
    sign = 1 if offset[0] == "+" else -1
    hours, minutes = (int(part) for part in offset[1:].split(":"))
    expected = sign * timedelta(hours=hours, minutes=minutes)
    for month in (1, 7):  # winter and summer on either side of the equator
        assert datetime(2026, month, 15, 12, tzinfo=zone).utcoffset() == expected


def test_every_whole_hour_offset_zone_has_the_offset_asked_for() -> None:
    for hours in range(-12, 15):
        zone = parse_time_zone(f"UTC{hours:+d}")
        assert zone is not None
        assert datetime(2026, 1, 1, tzinfo=ZoneInfo(zone)).utcoffset() == timedelta(hours=hours)


def test_is_time_zone_wants_the_iana_spelling() -> None:
    assert is_time_zone("Europe/Berlin") and is_time_zone("UTC")
    assert not is_time_zone("europe/berlin") and not is_time_zone("Berlin") and not is_time_zone("")


def slot(hour: int, minute: int, zone: str, after: datetime) -> datetime:
    found = next_slot(hour, minute, zone, after)
    assert found.tzinfo is not None and found.utcoffset() == timedelta(0)
    return found


def test_next_slot_is_today_when_still_ahead_and_tomorrow_otherwise() -> None:
    morning = datetime(2026, 6, 10, 5, 0, tzinfo=UTC)  # 07:00 in Berlin (summer time, UTC+2)
    assert slot(8, 0, "Europe/Berlin", morning) == datetime(2026, 6, 10, 6, 0, tzinfo=UTC)
    assert slot(7, 0, "Europe/Berlin", morning) == datetime(2026, 6, 11, 5, 0, tzinfo=UTC)  # strictly after
    assert slot(6, 59, "Europe/Berlin", morning) == datetime(2026, 6, 11, 4, 59, tzinfo=UTC)


def test_next_slot_counts_the_day_in_the_persons_zone() -> None:
    # 23:30 UTC on 10 June is already 08:30 on 11 June in Tokyo.
    late = datetime(2026, 6, 10, 23, 30, tzinfo=UTC)
    assert slot(9, 0, "Asia/Tokyo", late) == datetime(2026, 6, 11, 0, 0, tzinfo=UTC)
    assert slot(8, 0, "Asia/Tokyo", late) == datetime(2026, 6, 11, 23, 0, tzinfo=UTC)
    # ... and still 19:30 on 10 June in New York: 20:00 there is midnight UTC.
    assert slot(20, 0, "America/New_York", late) == datetime(2026, 6, 11, 0, 0, tzinfo=UTC)


def test_next_slot_accepts_any_aware_time_as_after() -> None:
    in_berlin = datetime(2026, 6, 10, 7, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert slot(8, 0, "Europe/Berlin", in_berlin) == datetime(2026, 6, 10, 6, 0, tzinfo=UTC)


# Europe/Berlin changes on the last Sunday of March (02:00 -> 03:00) and of October (03:00 -> 02:00):
# 29 March and 25 October in 2026.


def test_the_same_local_time_moves_in_utc_across_both_changes() -> None:
    before_spring = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    assert slot(8, 0, "Europe/Berlin", before_spring) == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)  # CEST
    before_autumn = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    assert slot(8, 0, "Europe/Berlin", before_autumn) == datetime(2026, 10, 25, 7, 0, tzinfo=UTC)  # CET


def test_a_time_in_the_spring_gap_moves_forward() -> None:
    # 02:30 does not exist in Berlin on 29 March 2026: it is sent at 03:30 CEST (01:30 UTC).
    sent = slot(2, 30, "Europe/Berlin", datetime(2026, 3, 28, 12, 0, tzinfo=UTC))
    assert sent == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert sent.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M") == "03:30"
    # and the day after it is 02:30 again
    assert slot(2, 30, "Europe/Berlin", sent) == datetime(2026, 3, 30, 0, 30, tzinfo=UTC)


def test_a_time_that_happens_twice_in_autumn_is_sent_once() -> None:
    first = slot(2, 30, "Europe/Berlin", datetime(2026, 10, 24, 12, 0, tzinfo=UTC))
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    # after the first 02:30 the next slot is the next day's, not the second 02:30 (01:30 UTC)
    assert slot(2, 30, "Europe/Berlin", first) == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)
    between = datetime(2026, 10, 25, 1, 0, tzinfo=UTC)  # between the two 02:30s
    assert slot(2, 30, "Europe/Berlin", between) == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)


def test_daily_slots_over_a_year_are_one_per_local_day_at_the_local_time() -> None:
    zone = ZoneInfo("Europe/Berlin")
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    days = []
    for _ in range(365):
        moment = slot(8, 0, "Europe/Berlin", moment)
        local = moment.astimezone(zone)
        assert (local.hour, local.minute) == (8, 0)
        days.append(local.date())
    assert len(set(days)) == 365 and days[-1] - days[0] == timedelta(days=364)


@pytest.mark.parametrize(
    ("said", "zone"),
    [
        ("Paris please", "Europe/Paris"),
        ("near new york city", "America/New_York"),
        ("in the uk", "Europe/London"),
    ],
)
def test_a_place_inside_a_sentence_is_found(said: str, zone: str) -> None:
    assert parse_time_zone(said) == zone


@pytest.mark.parametrize("said", ["no", "yes please", "ok", "at 8", "i am in munich"])
def test_words_that_name_no_place_give_no_zone(said: str) -> None:
    assert parse_time_zone(said) is None
