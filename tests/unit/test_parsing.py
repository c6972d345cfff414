"""Reading pain levels and durations from what people type."""

from __future__ import annotations

from datetime import date

import pytest

from bot.parsing import (
    mentions_back_pain,
    parse_age,
    parse_conditions,
    parse_duration,
    parse_duration_weeks,
    parse_leg_pain,
    parse_pain_level,
)


@pytest.mark.parametrize(
    ("text", "expecting", "level"),
    [
        ("8", True, 8),
        ("8/10", False, 8),
        ("8 / 10", False, 8),
        ("eight", True, 8),
        ("about 7 out of ten", False, 7),
        ("7 out of 10", False, 7),
        ("it's a 6", False, 6),
        ("a 6 i guess", True, 6),
        ("pain is 9", False, 9),
        ("level 5", False, 5),
        ("7.5", True, 7.5),
        ("zero", True, 0),
        ("0", True, 0),
        ("ten", True, 10),
        ("8/10 for two weeks", False, 8),
        ("my pain is 7 and it started 3 days ago", False, 7),
        ("hurt my back lifting a box, about five out of ten, two days ago", False, 5),
    ],
)
def test_pain_numbers(text: str, expecting: bool, level: float) -> None:
    reading = parse_pain_level(text, expecting=expecting)
    assert reading is not None and reading.level == level and reading.word is None


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("mild", 2),
        ("it hurts just a little", 2),
        ("a bit sore", 2),
        ("not too bad", 2),
        ("moderate", 5),
        ("moderat", 5),
        ("pretty bad", 5),
        ("severe", 8),
        ("severly", 8),
        ("really bad", 8),
        ("my back is killing me", 8),
        ("unbearable", 10),
        ("unberable", 10),
        ("excruciating", 10),
    ],
)
def test_pain_words_are_mapped_and_remembered(text: str, level: float) -> None:
    reading = parse_pain_level(text)
    assert reading is not None and reading.level == level
    assert reading.word  # kept so the bot can confirm the mapping


@pytest.mark.parametrize(
    ("text", "expecting"),
    [
        ("8", False),  # a bare number needs the question first
        ("3 days", True),  # a duration, not a pain score
        ("two weeks", True),
        ("15/10", False),
        ("11", True),
        ("banana", True),
        ("I am 45", False),
        ("", True),
    ],
)
def test_not_a_pain_level(text: str, expecting: bool) -> None:
    assert parse_pain_level(text, expecting=expecting) is None


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("since this morning", 0),
        ("today", 0),
        ("since yesterday", 1 / 7),
        ("3 days", 3 / 7),
        ("3 dayz", 3 / 7),
        ("a couple of days", 2 / 7),
        ("a few days", 3 / 7),
        ("for 10 days", 10 / 7),
        ("a week", 1),
        ("two weeks", 2),
        ("2 weks", 2),
        ("a fortnight", 2),
        ("its been 3 weeks", 3),
        ("a month", 52 / 12),
        ("6 months", 26),
        ("half a year", 26),
        ("for months", 13),
        ("2 yrs", 104),
        ("twenty five days", 25 / 7),
        ("8/10 for two weeks", 2),
    ],
)
def test_durations(text: str, weeks: float) -> None:
    assert parse_duration_weeks(text) == pytest.approx(weeks, abs=0.001)


@pytest.mark.parametrize("text", ["3", "8/10", "banana", "", "eight"])
def test_not_a_duration(text: str) -> None:
    assert parse_duration_weeks(text) is None


def test_months_without_a_number_count_as_chronic() -> None:
    assert parse_duration_weeks("for months") >= 12


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("Two years of back trouble, but this flare started 3 days ago", 3 / 7),
        ("bad back on and off for years, this time it started yesterday", 1 / 7),
        ("had lumbago for 6 months, it flared up again 2 weeks ago", 2),
    ],
)
def test_a_flare_of_long_standing_pain_counts_from_the_flare(text: str, weeks: float) -> None:
    duration = parse_duration(text)
    assert duration is not None and duration.flare_up
    assert duration.weeks == pytest.approx(weeks, abs=0.001)


@pytest.mark.parametrize(
    "text", ["back pain for two years", "3 days", "it has hurt for 3 months and I saw a GP 2 weeks ago"]
)
def test_no_flare_without_a_long_history_and_a_new_start(text: str) -> None:
    duration = parse_duration(text)
    assert duration is not None and not duration.flare_up


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("I'm 28 weeks pregnant and my back hurts since yesterday", 1 / 7),
        ("a 58 year old man, pain since monday", None),
    ],
)
def test_pregnancy_weeks_and_ages_are_not_durations(text: str, weeks) -> None:
    found = parse_duration_weeks(text)
    if weeks is None:
        assert found is None or found < 2
    else:
        assert found == pytest.approx(weeks, abs=0.001)


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("im 35 and i lifted a box", 35),
        ("I am 58", 58),
        ("58 year old man", 58),
        ("17yo", 17),
        ("aged 67", 67),
        ("for 3 years", None),
        ("im 8", None),
        ("I'm 7/10", None),
    ],
)
def test_ages(text: str, age) -> None:
    assert parse_age(text) == age


@pytest.mark.parametrize(
    ("text", "conditions"),
    [
        ("I'm 20 weeks pregnant", ["pregnancy"]),
        ("I have osteoporosis", ["osteoporosis"]),
        ("not pregnant", []),
        ("sore back", []),
    ],
)
def test_conditions(text: str, conditions) -> None:
    assert parse_conditions(text) == conditions


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("since friday", 3),
        ("since last friday", 3),
        ("since monday", 7),
        ("since last monday", 7),
        ("my lower back has been killing me since the weekend", 2),
        ("it started at the weekend", 2),
        ("on saturday", 2),
        ("since tues", 6),
    ],
)
def test_weekdays_count_back_from_today(text: str, days: int) -> None:
    monday = date(2026, 11, 30)
    assert parse_duration(text, today=monday).weeks == pytest.approx(days / 7, abs=0.001)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("just a sore back", True),
        ("my lower back is killing me", True),
        ("lumbago again", True),
        ("it hurts in my back", True),
        ("is walking good for it?", False),
        ("my knee hurts", False),
    ],
)
def test_back_pain_in_any_words(text: str, expected: bool) -> None:
    assert mentions_back_pain(text) is expected


@pytest.mark.parametrize(
    "text", ["my leg is a bit better", "a little stiff in the mornings", "slightly better today"]
)
def test_a_bit_better_is_not_a_pain_level(text: str) -> None:
    assert parse_pain_level(text) is None


@pytest.mark.parametrize("text", ["just a little", "a bit"])
def test_a_bit_answers_the_pain_question(text: str) -> None:
    reading = parse_pain_level(text, expecting=True)
    assert reading is not None and reading.level == 2


@pytest.mark.parametrize(
    ("text", "weeks", "level"),
    [
        ("I hurt my back this morning, maybe a 6", 0, 6),
        ("back pain since this morning, maybe a 6", 0, 6),
        ("threw my back out this morning, about 7/10", 0, 7),
        ("im 35 and i lifted a heavy box this morning and now my lower back is killing me. like 8/10", 0, 8),
        ("hurt my back at the gym yesterday, it's a 5", 1 / 7, 5),
        ("since this morning, maybe 6ish", 0, 6),
    ],
)
def test_a_first_message_gives_both_the_start_and_the_level(text: str, weeks: float, level: float) -> None:
    # Not asked for either yet (strict): an injury says when the pain began.
    duration = parse_duration(text, strict=True)
    reading = parse_pain_level(text)
    assert duration is not None and duration.weeks == pytest.approx(weeks, abs=0.001)
    assert reading is not None and reading.level == level


@pytest.mark.parametrize("text", ["my back hurts today", "felt a bit better yesterday"])
def test_a_time_word_without_a_start_is_still_not_a_duration_when_not_asked(text: str) -> None:
    assert parse_duration(text, strict=True) is None


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("just in my back", "none"),
        ("its only in my lower back", "none"),
        ("just my lower back, nothing else", "none"),
        ("it doesnt hurt in my leg", "none"),
        ("no pain in my legs", "none"),
        ("only my back", "none"),
        ("it goes down to my foot", "below_knee"),
        ("both legs", "both"),
    ],
)
def test_leg_pain_answers(text: str, where: str) -> None:
    assert parse_leg_pain(text) == where


@pytest.mark.parametrize(
    "text",
    [
        "no pain in my legs",  # where the pain goes, not how strong it is
        "no pain down my leg",
        "remind me every day at 7:30",
        "lost 5 kilos on a diet, back still sore",
    ],
)
def test_not_a_pain_level_when_asked(text: str) -> None:
    assert parse_pain_level(text, expecting=True) is None


@pytest.mark.parametrize("text", ["I sit 8 hours a day at work", "i walk 2 hours every day"])
def test_a_daily_habit_is_not_a_duration(text: str) -> None:
    assert parse_duration_weeks(text) is None
