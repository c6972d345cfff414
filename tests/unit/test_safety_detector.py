"""The warning-sign and crisis detector reads like a clinician: my own phrasings, edge by edge.

The labelled corpora in tests/clinical/ measure it at scale; these tests pin
the rules one by one so a change that breaks one says which.
"""

from __future__ import annotations

import pytest

from bot.safety import analyse, detect_signs, normalise

SIGNS = [
    # Every sign of the table in plain words, with numbers and typos.
    ("my bum has gone numb since this morning", "saddle_numbness"),
    ("i cant feel the toilet paper when i wipe", "saddle_numbness"),
    ("pins n needles around my privates", "saddle_numbness"),
    ("I haven't been able to pee since last night", "bladder_bowel"),
    ("i wet myself on the way to the loo", "bladder_bowel"),
    ("Ich kann seit heute morgen nicht mehr pinkeln", "bladder_bowel"),
    ("can't get an erection since the back pain began", "sexual_dysfunction"),
    ("sciatica down both legs and my back aches", "bilateral_sciatica"),
    ("shooting pain in both my legs", "bilateral_sciatica"),
    ("my left leg keeps giving way", "leg_weakness"),
    ("my foot slaps on the floor when I walk", "leg_weakness"),
    ("tight chest and my back hurts", "chest_pain"),
    ("fell off a ladder yesterday", "trauma"),
    ("had a car crash last week", "trauma"),
    ("I've taken steroids for years and my back hurts after a small bump", "fragility_injury"),
    ("osteoporosis and i slipped on the step", "fragility_injury"),
    ("my temperature is 39 and my lower back hurts", "fever"),
    ("temp 101.5F", "fever"),
    ("feeling hot and shivery", "fever"),
    ("I had breast cancer in 2019", "cancer_history"),
    ("I've lost 8 kilos without trying and my back has ached for weeks", "weight_loss"),
    ("I inject heroin", "immune_risk"),
    ("i'm on methotrexate", "immune_risk"),
    ("pain is worse at night and nothing eases it, not even lying still", "night_pain"),
    ("pain between my shoulder blades", "upper_back_pain"),
    ("never had this before: numbness in my groin", "saddle_numbness"),
]

NOT_SIGNS = [
    # Idioms, denials, other people, questions, normal numbers.
    "I fell asleep on the sofa and woke with a stiff lower back",
    "my laptop crashed so I sat hunched for hours",
    "crashed on the couch after work and now my back is sore",
    "no fever, no numbness, bladder fine, just a sore back",
    "I don't have numbness, weakness or bladder problems",
    "fever: no, numbness: no",
    "my mum had cancer",
    "my dad has osteoporosis and fell last year",
    "what is foot drop?",
    "could it be cancer?",
    "my temperature is 36.8",
    "I'm 39 and my back hurts",
    "lost 5 kilos on a diet, back still sore",
    "pain down my left leg",
    "this pain is killing me",
    "I slipped a disc years ago",
    "it's 39 degrees outside and my back aches",
    "it hurts when I get up off the sofa",
    "my back hurts when I get out of the chair",
    "",
]


@pytest.mark.parametrize(("text", "code"), SIGNS)
def test_each_sign_is_heard(text: str, code: str) -> None:
    assert code in detect_signs(text)


@pytest.mark.parametrize("text", NOT_SIGNS)
def test_no_false_alarm(text: str) -> None:
    assert analyse(text).signs == ()


def test_a_negation_stays_inside_its_clause() -> None:
    assert detect_signs("no fever, my legs are weak") == ["leg_weakness"]
    assert detect_signs("no fever but I can't feel my groin") == ["saddle_numbness"]
    assert detect_signs("I don't have a fever; I wet myself") == ["bladder_bowel"]


def test_not_sure_is_not_a_denial() -> None:
    assert detect_signs("not sure if I have a fever") == ["fever"]


def test_emergency_signs_come_first_without_repeats() -> None:
    assert detect_signs("I had a fever, I wet myself, and I wet myself again") == ["bladder_bowel", "fever"]


@pytest.mark.parametrize(
    "text", ["I can hardly walk because of the pain", "walking is agony", "i cant walk properly"]
)
def test_pain_limited_walking_is_a_question_not_an_alarm(text: str) -> None:
    found = analyse(text)
    assert found.signs == () and found.questions == ("leg_weakness",)


def test_a_sign_named_in_passing_is_only_a_mention() -> None:
    found = analyse("is numbness normal with back pain")
    assert found.signs == () and "saddle_numbness" in found.mentions


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself, this back pain is unbearable",
        "i dont want to be here anymore",
        "thinking of ending it all",
        "sometimes i think about ending it",
        "part of me really wants to end it",
        "If the pain does not stop I will end my life",
        "Ich will nicht mehr leben",
    ],
)
def test_crisis_is_heard(text: str) -> None:
    assert analyse(text).crisis


@pytest.mark.parametrize(
    "text",
    [
        "dying to get rid of this pain",
        "this back is killing me",
        "I could kill for a massage",
        "I'm not suicidal",
        "I would never hurt myself",
    ],
)
def test_no_false_crisis(text: str) -> None:
    assert not analyse(text).crisis


def test_hidden_characters_do_not_hide_a_sign() -> None:
    assert normalise("I w\u200bet my\u00adself") == "i wet myself"
    assert detect_signs("I w\u200bet myself") == ["bladder_bowel"]


# --- German ---------------------------------------------------------------------------

GERMAN_SIGNS = [
    # Every sign of the table as people type it, with and without umlauts.
    ("untenrum ist seit gestern alles taub", "saddle_numbness"),
    ("mein Gesäß fühlt sich pelzig an", "saddle_numbness"),
    ("ich kann seit heute morgen nicht mehr pinkeln", "bladder_bowel"),
    ("habe mir ungewollt in die Hose gemacht", "bladder_bowel"),
    ("seit dem Ischias klappt es mit der Erektion nicht mehr", "sexual_dysfunction"),
    ("es zieht in beide Beine", "bilateral_sciatica"),
    ("mein Bein knickt weg", "leg_weakness"),
    ("der Fuss schleift beim Gehen", "leg_weakness"),
    ("Druck auf der Brust und Rückenschmerzen", "chest_pain"),
    ("bin gestern auf dem Eis gestürzt", "trauma"),
    ("bin gestern auf dem Eis gestuerzt", "trauma"),
    ("nehme seit Jahren Kortison und habe mich beim Bücken verhoben", "fragility_injury"),
    ("Fieber 39 und Kreuzschmerzen", "fever"),
    ("hab 38,6 gemessen", "fever"),
    ("hatte vor Jahren Brustkrebs", "cancer_history"),
    ("Gewicht verloren ohne Diät", "weight_loss"),
    ("ich habe früher Heroin gespritzt", "immune_risk"),
    ("nachts unerträglich, egal wie ich liege", "night_pain"),
    ("Schmerzen zwischen den Schulterblättern", "upper_back_pain"),
]

GERMAN_NOT_SIGNS = [
    # Sayings, denials, other people, questions, normal values.
    "ich bin fast eingeschlafen",
    "mein Bein ist nach dem Sitzen eingeschlafen",
    "meine Mutter hatte Krebs",
    "kein Fieber",
    "keine Probleme beim Wasserlassen",
    "Hexenschuss beim Heben",
    "taub vor Müdigkeit",
    "Fieber: nein, Taubheit: nein",
    "Fieber hab ich keins.",
    "weder Fieber noch Taubheit",
    "ohne Taubheit oder Kribbeln",
    "meine Beine sind nicht schwach",
    "mein Laptop ist abgestürzt",
    "wäre fast gestürzt",
    "draußen sind 38 Grad",
    "Temperatur 36,9",
    "was ist eine Reithosenanästhesie?",
    "hab durch Diät 4 Kilo abgenommen",
    "mein Vater ist von der Leiter gestürzt",
]


@pytest.mark.parametrize(("text", "code"), GERMAN_SIGNS)
def test_each_german_sign_is_heard(text: str, code: str) -> None:
    assert code in detect_signs(text)


@pytest.mark.parametrize("text", GERMAN_NOT_SIGNS)
def test_no_german_false_alarm(text: str) -> None:
    assert analyse(text).signs == ()


def test_umlauts_and_their_spellings_read_alike() -> None:
    assert normalise("Fuß gestürzt, Gesäß taub") == "fuss gestuerzt, gesaess taub"
    assert detect_signs("Gesäß ist taub") == detect_signs("Gesaess ist taub") == ["saddle_numbness"]


def test_a_german_negation_stays_inside_its_clause() -> None:
    assert detect_signs("kein Fieber, aber mein Bein knickt weg") == ["leg_weakness"]
    assert detect_signs("kein Fieber, mein Bein knickt weg") == ["leg_weakness"]
    # A sign said with its own "kein" is not denied by the one before it.
    assert detect_signs("kein Fieber und keine Kraft mehr im linken Bein") == ["leg_weakness"]


def test_german_not_sure_is_not_a_denial() -> None:
    assert detect_signs("weiß nicht, ob ich Fieber habe") == ["fever"]
    assert detect_signs("keine Ahnung ob ich Fieber habe") == ["fever"]


def test_someone_else_in_german_is_the_subject_not_the_object() -> None:
    assert detect_signs("meine Oma ist gestürzt") == []
    assert detect_signs("bin vom Pferd gestürzt") == ["trauma"]
    assert "fragility_injury" in detect_signs("Osteoporose, und ich habe die Oma hochgehoben")


def test_german_pain_limited_walking_is_a_question_not_an_alarm() -> None:
    found = analyse("ich kann kaum laufen vor Schmerzen")
    assert found.signs == () and found.questions == ("leg_weakness",)


@pytest.mark.parametrize(
    "text",
    [
        "ich will nicht mehr leben",
        "will mir was antun",
        "alle wären besser dran ohne mich",
        "ich fange an, Tabletten zu sammeln",
        "ich denke an Suizid",
        "ich will einfach nicht mehr.",
    ],
)
def test_german_crisis_is_heard(text: str) -> None:
    assert analyse(text).crisis


@pytest.mark.parametrize(
    "text",
    [
        "das bringt mich noch um",
        "ich sterbe vor Schmerzen",
        "ich bin nicht suizidal",
        "ich würde mir nie etwas antun",
        "ich will nicht mehr so viel sitzen",
        "die Übung hat mich fast umgebracht",
    ],
)
def test_no_false_german_crisis(text: str) -> None:
    assert not analyse(text).crisis
