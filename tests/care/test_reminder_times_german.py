"""Reminder times and places written in German, read by the same functions as the English ones."""

from __future__ import annotations

from datetime import time

import pytest

from bot.care.reminder_times import parse_reminder_time, parse_time_zone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jeden Tag um 8", time(8, 0)),
        ("um 8 Uhr", time(8, 0)),
        ("morgens um halb acht", time(7, 30)),
        ("um 19:30", time(19, 30)),
        ("abends um 7", time(19, 0)),
        ("täglich 9 Uhr", time(9, 0)),
        ("19 Uhr", time(19, 0)),  # the example of the German "no time there" reply
        ("Erinnere mich bitte jeden Tag um 8:00", time(8, 0)),
        ("um acht", time(8, 0)),
        ("um acht Uhr abends", time(20, 0)),
        ("um 7:30 abends", time(19, 30)),  # not the English reading, 07:30
        ("um 8.30 Uhr", time(8, 30)),
        ("20.15 Uhr", time(20, 15)),
        ("um 8 Uhr 30", time(8, 30)),
        ("halb 8", time(7, 30)),  # half way to eight
        ("heute Abend um halb 9", time(20, 30)),
        ("viertel nach 8", time(8, 15)),
        ("viertel vor neun", time(8, 45)),
        ("dreiviertel acht", time(7, 45)),
        ("zehn vor acht", time(7, 50)),
        ("fünf nach halb acht abends", time(19, 35)),
        ("mittags um 1", time(13, 0)),
        ("12 Uhr mittags", time(12, 0)),
        ("jeden Mittag", time(12, 0)),
        ("nachts um 2", time(2, 0)),
        ("um 10 Uhr nachts", time(22, 0)),
        ("um Mitternacht", time(0, 0)),
        ("um 24 Uhr", time(0, 0)),
        ("ein Uhr", time(1, 0)),
        ("morgen früh um 6", time(6, 0)),
        ("morgen um 8", time(8, 0)),  # "morgen" is tomorrow, not the morning: a bare 8 all the same
        ("jeden Abend 8", time(20, 0)),
        ("gegen 9", time(9, 0)),
        ("so um die 8 rum", time(8, 0)),
        ("um zwölf", time(12, 0)),
        ("um zwoelf Uhr", time(12, 0)),  # typed without umlauts
        ("Abends um 18 Uhr", time(18, 0)),  # a 24-hour time agrees with "abends"
        # A number that is not the time comes first.
        ("Schmerz 7 von 10, erinnere mich um 9", time(9, 0)),
        ("ich habe 3 Übungen gemacht, bitte um 8 Uhr", time(8, 0)),
        # English, German and a mix in one conversation
        ("um 8pm", time(20, 0)),
        ("at 7 in the evening", time(19, 0)),
    ],
)
def test_german_times(text: str, expected: time) -> None:
    assert parse_reminder_time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "jeden Tag",
        "ja bitte",
        "täglich",
        "alle 2 Tage",
        "in 3 Stunden",
        "7 von 10",
        "acht Übungen",
        "3 mal täglich",
        "seit 8 Tagen",
        "nachmittags",
        "um ein paar Minuten später",
        "in zwei Wochen",
        "um halb",
        # impossible times are refused, not guessed
        "um 25 Uhr",
        "um 8:75",
        "18 Uhr morgens",
        "um 24:30",
    ],
)
def test_no_german_time_or_an_impossible_one_is_none(text: str) -> None:
    assert parse_reminder_time(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Deutschland", "Europe/Berlin"),
        ("ich lebe in Deutschland", "Europe/Berlin"),
        ("ich wohne in München", "Europe/Berlin"),
        ("Muenchen", "Europe/Berlin"),
        ("Köln bitte", "Europe/Berlin"),
        ("Hamburg", "Europe/Berlin"),
        ("Wien", "Europe/Vienna"),
        ("Österreich", "Europe/Vienna"),
        ("Oesterreich", "Europe/Vienna"),
        ("ich bin aus Graz", "Europe/Vienna"),
        ("in der Schweiz", "Europe/Zurich"),
        ("Zürich", "Europe/Zurich"),
        ("Genf", "Europe/Zurich"),
        ("Großbritannien", "Europe/London"),
        ("Grossbritannien", "Europe/London"),
        ("wir wohnen in Rom", "Europe/Rome"),
        ("MEZ", "Europe/Berlin"),
        ("meine Zeitzone ist UTC+1", "Etc/GMT-1"),
    ],
)
def test_german_places(text: str, expected: str) -> None:
    assert parse_time_zone(text) == expected


@pytest.mark.parametrize("text", ["irgendwo schön", "zu Hause", "Deutschlandfunk", "weiß ich nicht"])
def test_no_german_place_is_none(text: str) -> None:
    assert parse_time_zone(text) is None
