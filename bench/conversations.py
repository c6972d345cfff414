"""Realistic multi-turn conversations replayed by the benchmark.

Each assessment answers the leg-pain question and the four warning-sign
screening questions, as people now do; two ask a self-care question on the way,
one reports a warning sign, one a possible sign that is asked about first, and
one crisis talk.
"""

from typing import List

NO_WARNING_SIGNS = ["no", "no", "none of those", "no"]
NO_LEG_PAIN = "only my back"

CONVERSATIONS: List[List[str]] = [
    [
        "hi",
        "my lower back hurts a lot, 8/10",
        "since yesterday",
        NO_LEG_PAIN,
        *NO_WARNING_SIGNS,
        "next",
        "next",
        "that hurts",
    ],
    [
        "back pain 5/10 since 3 days",
        NO_LEG_PAIN,
        *NO_WARNING_SIGNS,
        "is walking good for it?",
        "next",
        "repeat please",
        "another one",
        "thanks",
        "bye",
    ],
    [
        "my back is a lot better now",
        "2",
        "three weeks",
        NO_LEG_PAIN,
        *NO_WARNING_SIGNS,
        "next",
        "too hard",
        "next",
    ],
    [
        "how do i do shoulder circles",
        "4",
        "a few days",
        NO_LEG_PAIN,
        *NO_WARNING_SIGNS,
        "should i use heat or ice?",
        "next",
        "next",
        "thank you",
    ],
    [
        "lower back pain for months now",
        "6",
        NO_LEG_PAIN,
        *NO_WARNING_SIGNS,
        "next",
        "another exercise",
        "bye",
    ],
    ["my back hurts and i cant feel my groin", "show me an exercise", "thanks"],
    [
        "I can hardly walk because of the pain",
        "it's just painful",
        "7",
        "2 days",
        NO_LEG_PAIN,
        *NO_WARNING_SIGNS,
        "next",
    ],
    ["I want to end my life, this pain is too much", "thank you"],
]

# The same kinds of conversation in German, replayed one at a time beside the
# English ones: turn latency per language (`single_de` in the results).
KEINE_WARNZEICHEN = ["nein", "nein", "nichts davon", "nein"]
NUR_RUECKEN = "nur im rücken"

GERMAN_CONVERSATIONS: List[List[str]] = [
    [
        "hallo",
        "mein unterer rücken tut richtig weh, 8 von 10",
        "seit gestern",
        NUR_RUECKEN,
        *KEINE_WARNZEICHEN,
        "weiter",
        "weiter",
        "das tut weh",
    ],
    [
        "hab seit 3 tagen hexenschuss, so eine 5",
        NUR_RUECKEN,
        *KEINE_WARNZEICHEN,
        "ist spazieren gehen gut dafür?",
        "weiter",
        "nochmal bitte",
        "eine andere übung",
        "danke",
        "tschüss",
    ],
    [
        "kreuzschmerzen schon seit monaten",
        "6",
        NUR_RUECKEN,
        *KEINE_WARNZEICHEN,
        "wärme oder kälte, was hilft?",
        "weiter",
        "danke schön",
    ],
    ["mein rücken tut weh und im schritt ist alles taub", "zeig mir eine übung", "danke"],
    ["ich will nicht mehr leben, diese schmerzen sind zu viel", "danke"],
]
