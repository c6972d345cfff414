"""Reading German answers: pain levels, durations, ages, flare-ups and leg pain.

The same parser reads English and German (tests/unit/test_parsing.py holds
the English cases); these tables are what a German speaker types.
"""

from __future__ import annotations

from datetime import date
from typing import List, Optional

import pytest

from bot.parsing import (
    mentions_back_pain,
    mentions_leg_pain,
    parse_age,
    parse_conditions,
    parse_duration,
    parse_leg_pain,
    parse_pain_level,
)

MONDAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "expecting", "level"),
    [
        ("7 von 10", False, 7),
        ("acht von zehn", False, 8),
        ("so eine 7", False, 7),
        ("so ne 6", False, 6),
        ("ungefähr 6", False, 6),
        ("ungefaehr 6", False, 6),
        ("eine 5", False, 5),
        ("etwa sechs", False, 6),
        ("7/10", False, 7),
        ("ca. 5", False, 5),
        ("ich würd sagen 7", False, 7),
        ("Schmerzstärke 8", False, 8),
        ("die Schmerzen liegen bei 4", False, 4),
        ("eher so 3 von 10", False, 3),
        ("vielleicht 5 oder 6", False, 5),
        ("auf einer Skala von 1 bis 10 eine 7", False, 7),
        ("6,5", True, 6.5),
        ("sechseinhalb", True, 6.5),
        ("sieben", True, 7),
        ("fünf", True, 5),
        ("fuenf", True, 5),
        ("zehn", True, 10),
        ("null", True, 0),
        ("keine", True, 0),
        ("6 und seit gestern", True, 6),
        ("7, seit einer Woche", True, 7),
        ("Hallo, ich habe seit 3 Tagen starke Rückenschmerzen im unteren Rücken, so 7 von 10", False, 7),
        ("mein Rücken geht schon besser, nur noch ne 2", False, 2),
        ("seit dem 3. so ne 4", False, 4),
        ("Rückenschmerzen mit 7 von 10", False, 7),
    ],
)
def test_german_pain_numbers(text: str, expecting: bool, level: float) -> None:
    reading = parse_pain_level(text, expecting=expecting)
    assert reading is not None and reading.level == level and reading.word is None


@pytest.mark.parametrize(
    ("text", "expecting", "level", "word"),
    [
        ("leicht", True, 2, "leicht"),
        ("ein bisschen", True, 2, "ein bisschen"),
        ("tut nur leicht weh", False, 2, "leicht"),
        ("leichte Schmerzen", False, 2, "leichte schmerzen"),
        ("nicht so schlimm", False, 2, "nicht so schlimm"),
        ("mittel", True, 5, "mittel"),
        ("es geht so", True, 5, "geht so"),
        ("mäßig", False, 5, "mäßig"),
        ("massig", False, 5, "massig"),
        ("mittelstark", False, 5, "mittelstark"),
        ("die Schmerzen sind mittel", False, 5, "mittel"),
        ("stark", True, 8, "stark"),
        ("heftig", True, 8, "heftig"),
        ("sehr stark", True, 8, "sehr stark"),
        ("ziemlich heftig", True, 8, "ziemlich heftig"),
        ("starke Rückenschmerzen", False, 8, "stark"),
        ("Rückenschmerzen, ziemlich heftig", False, 8, "ziemlich heftig"),
        ("dieser Rücken bringt mich noch um", False, 8, "bringt mich noch um"),
        ("unerträglich", False, 10, "unerträglich"),
        ("unertraeglich", False, 10, "unertraeglich"),
        ("höllisch", False, 10, "höllisch"),
        ("kaum auszuhalten", False, 10, "kaum auszuhalten"),
        ("nicht mehr erträglich", False, 10, "nicht mehr erträglich"),
        ("erträglich", False, 2, "erträglich"),
        ("keine Schmerzen mehr", False, 0, "keine schmerzen mehr"),
        ("schmerzfrei", False, 0, "schmerzfrei"),
        ("tut gar nicht mehr weh", False, 0, "tut gar nicht mehr weh"),
    ],
)
def test_german_pain_words_are_mapped_and_confirmed(
    text: str, expecting: bool, level: float, word: str
) -> None:
    reading = parse_pain_level(text, expecting=expecting)
    assert reading is not None and reading.level == level
    assert reading.word == word  # the bot says it back before going on


@pytest.mark.parametrize(
    ("text", "expecting"),
    [
        ("8", False),  # a bare number needs the question first
        ("seit 3 Tagen", True),  # a duration, not a pain score
        ("zwei Wochen", True),
        ("58 Jahre alt", True),
        ("ich bin 58", True),
        ("elf", True),
        ("15 von 10", False),
        ("leicht", False),  # "easy" as often as "mild"
        ("Mir fällt das Gehen leicht", False),
        ("eine leichtere Übung bitte", True),
        ("zu leicht", True),
        ("ein bisschen besser", True),
        ("Welches Mittel hilft gegen die Schmerzen?", True),
        ("vielleicht", True),
        ("um 7 Uhr aufgewacht", True),
        ("erinner mich jeden Tag um 8", True),
        ("hab ungewollt 6 Kilo abgenommen", True),
        ("was war Schritt 2 nochmal", True),
        ("keine Schmerzen im Bein", True),  # answers where it spreads, not how strong
        ("Banane", True),
    ],
)
def test_not_a_german_pain_level(text: str, expecting: bool) -> None:
    assert parse_pain_level(text, expecting=expecting) is None


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("seit gestern", 1),
        ("seit gestern Abend", 1),
        ("seit heute morgen", 0),
        ("seit heut früh", 0),
        ("erst seit heute", 0),
        ("seit vorgestern", 2),
        ("seit drei Tagen", 3),
        ("seit 2 Wochen", 14),
        ("seit 2 wochn", 14),
        ("zwei Wochen", 14),
        ("seit einer Woche", 7),
        ("seit ner Woche", 7),
        ("seit anderthalb Wochen", 10.5),
        ("seit einem Monat", 7 * 52 / 12),
        ("seit einem halben Jahr", 182),
        ("seit ein paar Tagen", 3),
        ("ein paar Tage", 3),
        ("vor drei Tagen angefangen", 3),
        ("letzte Woche", 7),
        ("seit letzter Woche", 7),
        ("seit Montag", 7),  # today is a Monday: the Monday before
        ("seit Freitag", 3),
        ("seit dem Wochenende", 2),
        ("seit dem 3.", 27),
        ("seit dem 3.11.", 27),
        ("seit dem 3. November", 27),
        ("seit dem dritten", 27),
        ("seit dem 24.12.", 341),
        ("schon monatelang", 91),
        ("seit Monaten", 91),
        ("seit Jahren", 728),
        ("jahrelang", 728),
        ("10 tage", 10),
        ("seit über drei Monaten", 91),
        ("Ich hab seit drei Wochen Rückenschmerzen, so eine 6", 21),
        ("kreuzschmerzen, acht von zehn, seit heute früh", 0),
        ("ich meinte zwei Tage, nicht zwei Wochen", 2),
    ],
)
def test_german_durations(text: str, days: float) -> None:
    duration = parse_duration(text, today=MONDAY)
    assert duration is not None
    assert duration.weeks == pytest.approx(days / 7, abs=0.001)


@pytest.mark.parametrize(
    "text",
    [
        "7 von 10",
        "acht von zehn",
        "58 Jahre alt",
        "ich bin 58 Jahre",
        "ein 58-jähriger Mann",
        "bin in der 20. Woche schwanger",
        "ich bin 20 Wochen schwanger",
        "ich sitze 8 Stunden am Tag",
        "seit Weihnachten",  # a feast day is not read (yet): asked again
        "3",
        "Banane",
        "eines Tages",
    ],
)
def test_not_a_german_duration(text: str) -> None:
    assert parse_duration(text, today=MONDAY) is None


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("seit gestern", 1),
        ("hab mich heute morgen verhoben", 0),
        ("gestern beim Heben verhoben", 1),
        ("es hat letzte Woche angefangen", 7),
        ("schon monatelang", 91),
        ("seit 3 Tagen", 3),
    ],
)
def test_german_start_words_count_when_not_asked(text: str, days: float) -> None:
    duration = parse_duration(text, today=MONDAY, strict=True)
    assert duration is not None and duration.weeks == pytest.approx(days / 7, abs=0.001)


@pytest.mark.parametrize(
    "text",
    ["heute tut es weh", "gestern war es besser", "das wars für heute", "letzte Woche war ich beim Arzt"],
)
def test_german_time_words_alone_are_not_durations_when_not_asked(text: str) -> None:
    assert parse_duration(text, today=MONDAY, strict=True) is None


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Ich habe seit Jahren Rückenschmerzen, aber seit drei Tagen ist es wieder schlimm", 3),
        ("seit zwei Jahren Kreuzschmerzen, schon wieder seit gestern", 1),
        ("hab seit Monaten Rücken, wie immer wieder, diesmal seit Montag", 7),
        ("Rücken seit einem halben Jahr, wieder mal seit vorgestern schlimmer", 2),
    ],
)
def test_a_german_flare_of_long_standing_pain_counts_from_the_flare(text: str, days: float) -> None:
    duration = parse_duration(text, today=MONDAY)
    assert duration is not None and duration.flare_up
    assert duration.weeks == pytest.approx(days / 7, abs=0.001)


@pytest.mark.parametrize(
    "text", ["Rückenschmerzen seit zwei Jahren", "hexenschuss, schon wieder", "seit 3 Tagen"]
)
def test_no_german_flare_without_a_long_history_and_a_new_start(text: str) -> None:
    duration = parse_duration(text, today=MONDAY)
    assert duration is None or not duration.flare_up


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("ich bin 58", 58),
        ("Ich bin 58 und habe Rückenschmerzen", 58),
        ("58 Jahre alt", 58),
        ("bin 35 jahre alt", 35),
        ("ein 58-jähriger Mann", 58),
        ("ich bin 8", None),  # more likely a pain score
        ("seit 3 Jahren", None),
        ("ich bin 1,80 groß", None),
        ("ich bin 20 Wochen schwanger", None),
        ("ich bin 7 von 10", None),
    ],
)
def test_german_ages(text: str, age: Optional[float]) -> None:
    assert parse_age(text) == age


@pytest.mark.parametrize(
    ("text", "conditions"),
    [
        ("bin übrigens schwanger", ["pregnancy"]),
        ("bin in der 20. Woche schwanger", ["pregnancy"]),
        ("ich habe Osteoporose", ["osteoporosis"]),
        ("nicht schwanger", []),
        ("keine Osteoporose", []),
    ],
)
def test_german_conditions(text: str, conditions: List[str]) -> None:
    assert parse_conditions(text) == conditions


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("strahlt ins Bein aus", "one_leg"),
        ("der Ischias zieht ins linke Bein", "one_leg"),
        ("ja", "one_leg"),
        ("bis in den Fuß", "below_knee"),
        ("bis in den Fuss", "below_knee"),
        ("es zieht bis in die Wade", "below_knee"),
        ("nein, bis in den Fuß", "below_knee"),
        ("strahlt ins rechte Bein aus bis zum Knie", "above_knee"),
        ("geht in die linke Pobacke", "above_knee"),
        ("in den Oberschenkel", "above_knee"),
        ("in beide Beine", "both"),
        ("beidseitig", "both"),
        ("nur im Rücken", "none"),
        ("nein, nur unten im Kreuz", "none"),
        ("nur im Rücken, nicht in den Beinen", "none"),
        ("strahlt nicht aus", "none"),
        ("keine Schmerzen im Bein", "none"),
        ("im Rücken", "none"),
        ("sie bleiben im Rücken", "none"),
        ("im Rücken und ins Bein", "one_leg"),
        ("Ein Bein, bis oberhalb des Knies", "above_knee"),
        ("Ein Bein, bis unter das Knie", "below_knee"),
        ("nein", "none"),
        ("nö", "none"),
        ("weiß nicht", None),
        ("ich gehe zu Fuß", None),
    ],
)
def test_german_leg_pain(text: str, where: Optional[str]) -> None:
    assert parse_leg_pain(text) == where


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("der Ischias zieht ins linke Bein", True),
        ("es strahlt in den Oberschenkel aus", True),
        ("wie geht die Dehnung der hinteren Oberschenkel", False),
        ("meine Beine sind eigentlich ok", False),
        ("ich gehe zu Fuß zur Arbeit", False),
    ],
)
def test_german_leg_pain_said_in_passing(text: str, expected: bool) -> None:
    assert mentions_leg_pain(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mein Rücken tut weh", True),
        ("mein kreuz tut weh", True),
        ("Kreuzschmerzen", True),
        ("rückenschemrzen", True),
        ("hab seit gestern Rücken", True),
        ("Hexenschuss", True),
        ("beim Niesen hats mir ins Kreuz geschossen", True),
        ("was kann ich tun um den Rücken zu lockern", False),
        ("Wie wird das Wetter morgen?", False),
        ("mein Knie tut weh", False),
    ],
)
def test_german_back_pain_in_any_words(text: str, expected: bool) -> None:
    assert mentions_back_pain(text) is expected
