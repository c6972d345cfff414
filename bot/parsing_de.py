"""German words and patterns for bot.parsing: pain levels, durations, ages, leg pain.

The German twin of the English vocabulary in bot.parsing, kept apart so each
language reads as one list. bot.parsing tries both languages on every text:
the NLU does not say which language a message is in, and people mix them.

Patterns are written with umlauts and ß; `umlauts` widens them to the
spellings of keyboards without them ("unertraeglich", "fuss", "massig").
Texts arrive lower-cased and NFC-normalised (bot.parsing.normalise).
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Pattern, Tuple

WEEKS_PER_MONTH = 52 / 12
DAYS_PER_WEEK = 7.0
HOURS_PER_WEEK = 168.0

_SPELLINGS = {"ä": "(?:ä|ae|a)", "ö": "(?:ö|oe|o)", "ü": "(?:ü|ue|u)", "ß": "(?:ß|ss)"}


def umlauts(pattern: str) -> str:
    """`pattern` that also matches ae/oe/ue/ss or a plain vowel for ä/ö/ü/ß."""
    return "".join(_SPELLINGS.get(char, char) for char in pattern)


def compile_de(pattern: str) -> Pattern[str]:
    return re.compile(umlauts(pattern))


def fold(word: str) -> str:
    """One spelling of a German number word: "fünf", "fuenf" and "funf" are "funf"."""
    for plain, folded in (("ä", "a"), ("ö", "o"), ("ü", "u"), ("ß", "ss")):
        word = word.replace(plain, folded)
    for plain, folded in (("ae", "a"), ("oe", "o"), ("ue", "u")):
        word = word.replace(plain, folded)
    return word


# --- numbers ------------------------------------------------------------------

ONES = {"ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9}
_TENS = {
    "zwanzig": 20,
    "dreißig": 30,
    "vierzig": 40,
    "fünfzig": 50,
    "sechzig": 60,
    "siebzig": 70,
    "achtzig": 80,
    "neunzig": 90,
}
NUMBER_WORDS: Dict[str, int] = {
    "null": 0,
    "eins": 1,
    "zwei": 2,
    "zwo": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
    "elf": 11,
    "zwölf": 12,
    "dreizehn": 13,
    "vierzehn": 14,
    "fünfzehn": 15,
    "sechzehn": 16,
    "siebzehn": 17,
    "achtzehn": 18,
    "neunzehn": 19,
    **_TENS,
    "hundert": 100,
}
_FOLDED_WORDS = {fold(word): value for word, value in NUMBER_WORDS.items()}
_FOLDED_ONES = {fold(word): value for word, value in ONES.items()}
_FOLDED_TENS = {fold(word): value for word, value in _TENS.items()}

# "achtundfünfzig": ones, "und", tens, written as one word.
_COMPOUND = "(?:{})und(?:{})".format("|".join(ONES), "|".join(_TENS))
_WORD = "(?:{}|{})".format(_COMPOUND, "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)))
# "7", "6,5", "sieben", "sechseinhalb", "6 einhalb", "anderthalb", "sechs komma fünf".
_NUMBER = (
    rf"(?:anderthalb|eineinhalb|(?:\d+|{_WORD})\s*einhalb|\d+(?:[.,]\d+)?"
    rf"|{_WORD}(?:\s+komma\s+(?:\d|{_WORD}))?)"
)
NUMBER = umlauts(_NUMBER)


def _word_value(word: str) -> Optional[float]:
    word = fold(word)
    if word in _FOLDED_WORDS:
        return float(_FOLDED_WORDS[word])
    match = re.fullmatch(r"(\w+?)und(\w+)", word)
    if match and match.group(1) in _FOLDED_ONES and match.group(2) in _FOLDED_TENS:
        return float(_FOLDED_ONES[match.group(1)] + _FOLDED_TENS[match.group(2)])
    return None


def number_value(token: str) -> Optional[float]:
    """The value of "7", "6,5", "sieben", "achtundfünfzig", "sechseinhalb"; None otherwise."""
    token = re.sub(r"\s+", " ", token.strip())
    if fold(token) in ("anderthalb", "eineinhalb"):
        return 1.5
    half = re.fullmatch(r"(.+?)\s*einhalb", token)
    if half:
        whole = number_value(half.group(1))
        return whole + 0.5 if whole is not None else None
    decimal = re.fullmatch(r"(.+?) komma (.+)", token)
    if decimal:
        whole, tenth = number_value(decimal.group(1)), number_value(decimal.group(2))
        return whole + tenth / 10 if whole is not None and tenth is not None and tenth < 10 else None
    try:
        return float(token.replace(",", "."))
    except ValueError:
        return _word_value(token)


# --- pain -----------------------------------------------------------------------

# What makes a word a statement about pain: "starke Schmerzen", "tut leicht weh".
_PAIN_TERM = (
    r"(?:\w*schmerz\w*|weh|wehtut|tut|tuts|schmerzt|zieht|ziehen|ziehende\w*|sticht|stechen|brennt|pocht|"
    r"drückt|hexenschuss)"
)

OUT_OF_TEN = compile_de(rf"(?P<number>{_NUMBER})\s*(?:/|von|aus|auf)\s*(?:10|zehn)\b")
ON_THE_SCALE = compile_de(rf"(?P<number>{_NUMBER})\s+(?:auf der (?:schmerz)?skala|punkte?n?\b)")
# A number said to be the pain: "so eine 7", "ungefähr 6", "Schmerzstärke 8",
# "liegt bei 5", "ich würd sagen 7". A unit after it makes it something else.
PAIN_CUE = compile_de(
    r"\b(?:\w*schmerz\w*|stufe|level|skala|wert|stärke|so|etwa|ungefähr|ungefair|ca\.?|circa|zirka|rund|"
    r"vielleicht|eher|fast|knapp|mindestens|bestimmt|sicher|locker|sagen|sag|schätze|schätzungsweise|"
    r"liegt|liegen|bei|um die|eine|einer|ne|'ne|(?:es|das|er) (?:ist|sind|wäre|war|is))"
    r"(?:\s*[:=]\s*|\s+)"
    r"(?:(?:ist|sind|is|liegt|liegen|bei|auf|so|um die|etwa|ungefähr|ca\.?|circa|eine|einer|ne|'ne|nur noch|"
    r"noch|nur|eher|knapp|fast|mal|gut|glatte|ich|wir|würde|würd|sagen|schon)\s+){0,3}"
    rf"(?P<number>{_NUMBER})\b"
    r"(?!\s*(?:%|prozent|uhr|mal\b|kilo|kg|cm|meter|minuten|min\b|sekunden|grad|°|euro|€|jahr|tag|woche|monat|"
    r"stunde|std\b|übung|wiederholung|schritt|kind|ssw))"
)
NO_PAIN = compile_de(
    r"\b(?:keine (?:rücken|kreuz)?schmerzen(?: mehr)?|kein schmerz|schmerzfrei|beschwerdefrei|ohne schmerzen|"
    r"tut (?:gar |überhaupt )?(?:nicht|nichts|nix) (?:mehr )?weh)\b"
)

# Descriptions that are a pain level wherever they stand, on the 0-10 scale
# (docs/clinical-rules.md), most specific first. Group "word" is confirmed back.
PAIN_WORDS: List[Tuple[str, float]] = [
    (
        r"unerträglich\w*|unaushaltbar\w*|höllisch\w*|höllen\s?schmerz\w*|höllenqual\w*|qualvoll\w*|"
        r"kaum (?:noch |mehr )?(?:auszuhalten|zum aushalten|aushaltbar|zu ertragen|erträglich)|"
        r"nicht (?:mehr )?(?:auszuhalten|zum aushalten|aushaltbar|zu ertragen|erträglich)|"
        r"schlimmste[nr]? schmerz\w*|schlimmer geht(?:'?s| es) nicht|wahnsinnige[nr]? schmerz\w*",
        10.0,
    ),
    (
        r"nicht (?:so |sehr |besonders |allzu |mehr so |so richtig |so arg )?"
        r"(?:schlimm|stark|heftig|arg|wild)|halb so wild|erträglich|aushaltbar|auszuhalten|"
        r"geringe[nr]? \w*schmerz\w*|leichte[nrs]? \w*schmerz\w*",
        2.0,
    ),
    (
        r"(?:sehr|richtig|total|echt|mega|voll|sau|tierisch|extrem|höllisch) weh|sehr schmerzhaft|"
        r"bringt mich (?:noch )?um",
        8.0,
    ),
    (
        r"mittelstark\w*|mittelschwer\w*|mittelmäßig\w*|mittlere[nrs]? \w*schmerz\w*|mäßig\w*|"
        r"ziemlich (?:weh|schlimm|unangenehm|doll|arg)|(?:ganz schön|schon ziemlich|recht) "
        r"(?:weh|unangenehm|schmerzhaft)",
        5.0,
    ),
]
PAIN_WORD_PATTERNS = [(compile_de(rf"\b(?P<word>{words})\b"), level) for words, level in PAIN_WORDS]

# Descriptions that are a pain level only next to the pain ("tut stark weh",
# "die Schmerzen sind leicht") or as the answer to the pain question: "leicht"
# is also easy, "stark" strong, "Mittel" a remedy.
_STRONGER = r"(?:(?:sehr|ganz|echt|richtig|ziemlich|extrem|total|so|mega|wahnsinnig|unheimlich)\s+)?"
_NOT_BETTER = (
    r"(?!\s+(?:besser|gebessert|verbessert|nachgelassen|weniger|zurück\w*|übung\w*|variante|version))"
)
_DESCRIPTIONS: List[Tuple[str, float, bool]] = [  # (words, level, may stand before the pain)
    (
        r"stark\w*|heftig\w*|extrem\w*|furchtbar\w*|fürchterlich\w*|schrecklich\w*|massiv\w*|schlimm(?:e[mns]?)?",
        8.0,
        True,
    ),
    (r"leicht\w*|(?:ein )?(?:bisschen|bißchen|bissl|bissel|wenig)", 2.0, True),
    (r"mittel(?!\s+(?:gegen|für|dagegen|zum|zur|nehmen))", 5.0, False),
]


def _near_the_pain(words: str, before: bool) -> str:
    after = (
        rf"\b{_PAIN_TERM}(?:[\s,]+\w+){{0,3}}?[\s,]+(?:(?:nur|noch|eher|so|aber)\s+)?"
        rf"(?P<word>{_STRONGER}(?:{words}))\b{_NOT_BETTER}"
    )
    if not before:
        return after
    return after + rf"|\b(?P<before>{_STRONGER}(?:{words}))\b{_NOT_BETTER}(?:\s+\w+){{0,2}}?\s+{_PAIN_TERM}\b"


NEAR_PAIN_PATTERNS = [
    (compile_de(_near_the_pain(words, before)), level) for words, level, before in _DESCRIPTIONS
]
# A short answer to "how strong is the pain?": "leicht", "eher mittel", "ziemlich stark".
_ANSWER_ONLY = {8.0: "", 5.0: "|geht so|so lala", 2.0: "|etwas"}
ANSWER_PATTERNS = [
    (
        compile_de(
            r"^\W*(?:es\s+)?(?:(?:nur|eher|so|noch|nur noch)\s+)?"
            rf"(?P<word>{_STRONGER}(?:{words}{_ANSWER_ONLY[level]}))\W*$"
        ),
        level,
    )
    for words, level, _ in _DESCRIPTIONS
]
_INFLECTED = compile_de(
    r"\b(stark|heftig|extrem|furchtbar|fürchterlich|schrecklich|massiv|schlimm|leicht)(?:e[mnrs]?)\b"
)


def base_form(description: str) -> str:
    """ "starke" -> "stark": a description said next to the pain, as the bot confirms it."""
    return _INFLECTED.sub(r"\1", description)


NONE_ANSWER = compile_de(r"(?:null|keine?|nichts|nix|gar keine?|gar nichts|gar nicht)\W*")
# Numbers that are not a pain score: the scale itself, times of day ("um 8",
# but "so um 7" is about 7), measures ("6 Kilo", "38,5 Grad"), steps.
NOT_PAIN = [
    compile_de(r"\b(?:auf )?(?:einer |der )?skala (?:von )?(?:0|1|null|eins) bis (?:10|zehn)\b"),
    compile_de(r"\b(?:von|zwischen) (?:0|1|null|eins) (?:bis|und) (?:10|zehn)\b"),
    compile_de(
        r"(?<!so )\bum (?:halb |viertel (?:vor|nach) )?(?:\d{1,2}(?:[:.]\d{2})?|"
        rf"{_WORD})\b(?:\s*uhr\b)?(?!\s*von)|\b\d{{1,2}}(?:[:.]\d{{2}})?\s*uhr\b|\b\d{{1,2}}:\d{{2}}\b"
    ),
    compile_de(
        r"\b\d+(?:[.,]\d+)?\s*(?:kilo\w*|kg|cm|grad|°|mal\b|minuten|min\b|sekunden|prozent|%|euro|€)"
        rf"|\b(?:schritt|übung|nummer|nr\.?)\s*(?:\d+|{_WORD})\b"
    ),
]


# --- duration -------------------------------------------------------------------

UNITS: Dict[str, float] = {
    r"stunden?|std": 1 / HOURS_PER_WEEK,
    r"tage?n?|tagn": 1 / DAYS_PER_WEEK,
    r"wochen?|wochn|woch": 1.0,
    r"vierteljahre?n?": 13.0,
    r"monate?n?|monatn": WEEKS_PER_MONTH,
    r"jahre?n?|jahrn": 52.0,
}
_UNIT = "|".join(f"(?:{pattern})" for pattern in UNITS)
# Vague quantities, as people use them with durations ("ein paar Tage").
QUANTITY_WORDS = {"paar": 3.0, "einige": 4.0, "mehrere": 4.0, "wenige": 3.0}
_QUANTITY = (
    r"(?:(?:ein|'?n)(?:e[mnrs]?)?\s+)?halbe[mnrs]?|(?:ein\s+)?paar|einige[mnrs]?|mehrere[mnrs]?|wenige[mnrs]?|"
    rf"{_NUMBER}|ein(?:e[mnrs]?)?|'?ne[mnrs]?|'n"
)
# "seit einer guten Woche", "vor knapp drei Monaten": the adjective changes nothing.
_ADJECTIVE = r"(?:(?:guten|knappen|ganzen|vollen|weiteren|langen)\s+)?"
DURATION = compile_de(rf"\b(?P<quantity>{_QUANTITY})\s*{_ADJECTIVE}(?P<unit>{_UNIT})\b")


def quantity_value(quantity: str) -> Optional[float]:
    """The number in "ein halbes", "ein paar", "einigen", "einer", "drei", "2,5"."""
    words = quantity.split()
    last = re.sub(r"(?:e[mnrs]?)$", "", words[-1]) if words else ""
    if re.fullmatch(r"halb", last):
        return 0.5
    for word, value in QUANTITY_WORDS.items():
        if last == word or last == re.sub(r"e$", "", word):
            return value
    if re.fullmatch(r"(?:ein|'?n)(?:e[mnrs]?)?|'?ne[mnrs]?", quantity):
        return 1.0
    return number_value(quantity)


# Time words and phrases in weeks: (pattern, weeks, says a duration by itself).
# Time words ("gestern") say when the pain began only with "seit" or a verb of
# starting; "seit Jahren" and "monatelang" are durations whatever surrounds them.
_FEW = r"(?:vielen |etlichen |einigen |mehreren |ein paar |paar |wenigen )?"
DURATION_PHRASES: List[Tuple[str, float, bool]] = [
    (r"vorgestern", 2 / DAYS_PER_WEEK, False),
    (
        r"gestern(?: (?:früh|morgen|vormittag|mittag|nachmittag|abend|nacht))?|letzte nacht|vergangene nacht",
        1 / DAYS_PER_WEEK,
        False,
    ),
    (
        r"heute?(?: (?:früh|morgen|vormittag|mittag|nachmittag|abend|nacht))?|dem aufstehen|vorhin|"
        r"gerade eben",
        0.0,
        False,
    ),
    (r"(?:letzte[nr]?|vorige[nr]?|vergangene[nr]?) woche", 1.0, False),
    (r"(?:letzte[nm]?|vorige[nm]?|vergangene[nm]?) monat", WEEKS_PER_MONTH, False),
    (r"(?:letzte[sm]?|vorige[sm]?|vergangene[sm]?) jahr", 52.0, False),
    (rf"jahrelang|(?:seit|schon) {_FEW}jahren|seit ewigkeiten|seit ewigen zeiten", 104.0, True),
    (rf"monatelang|(?:seit|schon) {_FEW}monaten", 13.0, True),
    (rf"wochenlang|(?:seit|schon) {_FEW}wochen", 3.0, True),
    (rf"tagelang|(?:seit|schon) {_FEW}tagen", 3 / DAYS_PER_WEEK, True),
]
DURATION_PHRASE_PATTERNS = [
    (compile_de(rf"\b(?:{phrase})\b"), weeks, intrinsic) for phrase, weeks, intrinsic in DURATION_PHRASES
]
# "seit gestern", "erst seit heute", "ab Montag".
STARTED_BEFORE = compile_de(r"\b(?:seit|seid|ab|erst|schon)\s+(?:\w+\s+){0,1}$")
# German puts the verb last: "hat gestern angefangen", "heute früh verhoben".
STARTED_AFTER = compile_de(
    r"^[^.,;!?]{0,40}?\b(?:angefangen|begonnen|losgegangen|los|passiert|gekommen|eingeschossen|geschossen|"
    r"verhoben|verrissen|verdreht|gezerrt|eingeklemmt|blockiert|bekommen|gekriegt|geholt|aufgewacht|"
    r"aufgetreten|gemerkt|zugezogen|verletzt)\b"
)

WEEKDAYS = ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag")
# The weekend counts from its Saturday.
WEEKDAY_INDEX = {**{day: index for index, day in enumerate(WEEKDAYS)}, "sonnabend": 5, "wochenende": 5}
_DAY_NAME = "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|wochenende"
_LAST = r"(?:letzte[nm]?|vergangene[nm]?|vorige[nm]?)"
WEEKDAY = compile_de(
    rf"\b(?:seit|seid|ab|am|vom|{_LAST})\s+(?:dem\s+)?(?:{_LAST}\s+)?(?P<day>{_DAY_NAME})s?\b"
    rf"|\b(?P<started>{_DAY_NAME})s?\s+(?:\w+\s+){{0,2}}(?:angefangen|begonnen|losgegangen|passiert)\b"
)

MONTHS = (
    "januar",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
)
MONTH_INDEX = {fold(name): index + 1 for index, name in enumerate(MONTHS)} | {"janner": 1}
ORDINALS: Dict[str, int] = {
    "ersten": 1,
    "zweiten": 2,
    "dritten": 3,
    "vierten": 4,
    "fünften": 5,
    "sechsten": 6,
    "siebten": 7,
    "siebenten": 7,
    "achten": 8,
    "neunten": 9,
    "zehnten": 10,
    "elften": 11,
    "zwölften": 12,
    "dreizehnten": 13,
    "vierzehnten": 14,
    "fünfzehnten": 15,
    "sechzehnten": 16,
    "siebzehnten": 17,
    "achtzehnten": 18,
    "neunzehnten": 19,
    "zwanzigsten": 20,
    **{f"{one}undzwanzigsten": 20 + value for one, value in ONES.items()},
    "dreißigsten": 30,
    "einunddreißigsten": 31,
}
_FOLDED_ORDINALS = {fold(word): value for word, value in ORDINALS.items()}
# "seit dem 3.", "seit dem 3.11.", "seit dem 3. November", "seit dem dritten".
DAY_OF_MONTH = compile_de(
    r"\b(?:seit|seid|ab|am|vom)\s+(?:dem\s+)?"
    r"(?:(?P<day>[12]?\d|3[01])(?:\.|ten\b|te\b)|(?P<ordinal>{}))".format(
        "|".join(sorted(ORDINALS, key=len, reverse=True))
    )
    + r"(?:\s*(?P<month>1[0-2]|0?[1-9])\.(?:\s*(?:20)?\d{{2}}\b)?|\s*(?P<month_name>{}|jänner)\b)?".format(
        "|".join(MONTHS)
    )
)


def ordinal_value(word: str) -> Optional[int]:
    return _FOLDED_ORDINALS.get(fold(word))


def month_value(name: str) -> Optional[int]:
    return MONTH_INDEX.get(fold(name))


# Numbers that look like durations and are not: ages, pregnancy weeks and
# rates ("8 Stunden am Tag"); for durations, pain scores too.
NOT_DURATIONS_OR_SCORES = [
    compile_de(r"\b\d{1,3}\s*-?\s*(?:jahre?|j\.?)\s*alt\b|\b\d{1,3}\s*-?\s*jährig\w*"),
    compile_de(r"\bmit \d{1,3} jahren\b|\bim alter von \d{1,3}(?: jahren)?\b|\bich bin \d{1,3} jahre?\b"),
    compile_de(
        r"\b(?:in der |im )?\d{1,2}\.?\s*(?:(?:schwangerschafts)?wochen?|ssw|monate?n?)\s+"
        r"(?:schwanger\w*|der schwangerschaft)"
        r"|\bin der \d{1,2}\.?\s*(?:woche|schwangerschaftswoche|ssw)\b|\bssw\s*\d{1,2}\b|\b\d{1,2}\.?\s*ssw\b"
    ),
    compile_de(
        rf"\b{_NUMBER}\s*(?:{_UNIT})\s+(?:am|pro|die|jeden|jede|im|in der)\s+(?:tag|woche|monat|jahr)\b"
    ),
]
PAIN_SCORE = compile_de(rf"{_NUMBER}\s*(?:/|von|aus)\s*(?:10|zehn)\b")
NOT_DURATIONS = [PAIN_SCORE, *NOT_DURATIONS_OR_SCORES]
# Words that say the recent duration is a new flare of long-standing pain.
FLARE_CUE = compile_de(
    r"\b(?:wieder\w*|erneut|diesmal|dieses mal|aktuell|akut\w*|schub\w*|rückfall|aufgeflammt|flammt\w*|"
    r"angefangen|begonnen|los\w*|schlimmer|verschlimmert|verschlechtert|kommt und geht|ab und (?:zu|an)|"
    r"hin und wieder|eingeschossen|hexenschuss|verhoben|verrissen)\b"
)


# --- age ------------------------------------------------------------------------

AGE = compile_de(
    r"\b(?:ich bin|bin|alter:?)\s+(?P<said>\d{1,3})"
    r"(?!\s*(?:/|von|aus|%|prozent|[.,]\d|kg|kilo|cm|meter|mal\b|uhr|wochen?|tage?n?|monate?n?|stunden?|std|"
    r"ssw|jahre? (?:lang|her)|minuten|grad|°|euro))"
    r"|(?P<years>\d{1,3})\s*-?\s*(?:jahre?|j\.?)\s*alt\b|(?P<aged>\d{1,3})\s*-?\s*jährig"
)


# --- conditions -------------------------------------------------------------------

CONDITION_PATTERNS = {
    "pregnancy": compile_de(
        r"\b(?:schwanger\w*|ssw|erwarte ein (?:baby|kind)|in anderen umständen|babybauch)\b"
    ),
    "osteoporosis": compile_de(
        r"\b(?:osteopor\w*|osteopenie|knochenschwund|brüchige knochen|dünne knochen)\b"
    ),
}
DENIED_CONDITION = compile_de(r"\b(?:nicht|nein|kein\w*|nie|ohne)\b[^.,;]{0,20}$")


# --- back pain ----------------------------------------------------------------------

_BACK = r"(?:rücken|rüken|rucken|kreuz|lws|lendenwirbel\w*|lendenbereich|steißbein)"
_HURTS = (
    r"(?:weh|wehtut|\w*schmerz\w*|zieht|ziehen|sticht|stechen|steif|verspannt|blockiert|verhoben|"
    r"verrissen|gezerrt|eingeklemmt|geschossen|kaputt|probleme?|ärger|beschwerden|macht\w*|bringt)"
)
BACK_PAIN = compile_de(
    r"\b(?:rücken|rüken|kreuz)(?:sch\w*|weh|leiden|problem\w*|beschwerden)\b|\bhexenschuss\b|\bischias\w*|"
    r"\blumbago\b|\bbandscheibe\w*|\bverhoben\b|\b(?:im|ins|am|mein|meinem|das|dem) kreuz\b"
    rf"|\b{_BACK}\b.{{0,30}}\b{_HURTS}\b"
    rf"|\b(?:{_HURTS}|aua|autsch)\b.{{0,25}}\b{_BACK}\b"
    r"|\b(?:hab|habe|hab's|habs)\b.{0,25}\brücken\b"
)


# --- leg pain ---------------------------------------------------------------------------

# A place named after "nicht" or "kein" is denied ("nicht in den Beinen").
NEGATED = compile_de(r"\b(?:nicht|kein\w*|nie|ohne)\b(?:\s+\w+){0,3}\s*$")
_NOT_WALKING = r"(?<!zu )"  # "zu Fuß gehen" is walking, not a foot
LEG_PAIN: List[Tuple[str, Pattern[str]]] = [
    (
        "both",
        compile_de(
            r"\b(?:beide[nr]?|beidseit\w*|links und rechts|rechts und links)\b"
            r"|\b(?:in|bis in|bis zu) (?:die|den|beide|beiden) beine\w*"
        ),
    ),
    (
        "none",
        compile_de(
            r"\bnur (?:(?:so |ganz )?unten )?(?:(?:im|am|in dem|in meinem|der|mein|den|meinen)\s+)?"
            r"(?:(?:unteren|unterem|untere)\s+)?(?:rücken|kreuz|lws|lendenwirbel\w*|lendenbereich|steißbein)\b"
            r"|\bnur unten\b"
            r"|\b(?:bleibt|bleiben|ist|sind|sitzt|tut) (?:nur |alles |eigentlich nur |eigentlich )?(?:im|am) "
            r"(?:unteren )?(?:rücken|kreuz)\b"
            r"|^\W*(?:eigentlich )?(?:im|am) (?:unteren )?(?:rücken|kreuz)\W*$"
            r"|\bstrahlt (?:\w+ )?(?:nicht|nirgends|nirgendwo)"
            r"|\b(?:zieht|geht|wandert) (?:\w+ )?(?:nicht|nirgends|nirgendwo)\s+"
            r"(?:ins|in|runter|nach|bis|aus)\b"
            r"|\bnicht (?:\w+ ){0,3}(?:bein\w*|fuß|füße|knie)\b"
            r"|\bkein\w* (?:\w+ )?(?:im|in den|in die|ins) bein\w*|\b(?:keine|ohne) ausstrahlung\b"
        ),
    ),
    (
        "below_knee",
        compile_de(
            r"\bunter(?:halb)? (?:des |dem |das )?knie\w*|\bunters knie|\bübers knie|"
            r"\büber das knie hinaus|"
            r"\bwade\w*|\bunterschenkel\w*|\bschienbein\w*|\bknöchel\w*|"
            rf"{_NOT_WALKING}\bfuß\w*|\bfüße\w*|\bzehe\w*|\bzeh\b|\bferse\w*|\bsprunggelenk\w*|"
            r"\bbis (?:ganz )?(?:nach )?unten|\bganz runter"
        ),
    ),
    (
        "above_knee",
        compile_de(
            r"\b(?:oberschenkel\w*|gesäß\w*|po|popo|pobacke\w*|hintern|hüfte\w*|leiste\w*)\b|"
            r"\bbis (?:zum|ans|an das|an's) knie|\boberhalb (?:des|vom) knie\w*|\büber dem knie"
        ),
    ),
    (
        "one_leg",
        compile_de(
            r"\b(?:bein|ischias\w*|ausstrahl\w*)\b|\bstrahlt\w* (?:(?!nicht\b)\w+ ){0,4}aus\b|"
            r"^\W*(?:ja|jo|jap|jep|jawohl|genau)\b"
        ),
    ),
]
NO_ANSWER = compile_de(r"^\W*(?:nein|nö|nee|ne|neh|nicht wirklich|eher nicht|gar nicht|nirgends|nirgendwo)\b")
LEG_WORDS = compile_de(
    rf"\b(?:bein\w*|oberschenkel\w*|wade\w*|knie\w*|füße|gesäß|po|pobacke\w*|ischias\w*)\b|{_NOT_WALKING}\bfuß\b"
)
# Said in passing, a leg counts only with its pain: "zieht ins Bein" is leg
# pain, "die Dehnung der Oberschenkel" an exercise, "Beine sind ok" neither.
SPREADING = compile_de(
    r"\b(?:\w*schmerz\w*|weh|tut|tun|tuts|zieht|ziehen|strahlt\w*|ausstrahl\w*|sticht|stechen|brennt|"
    r"schießt|geschossen|kribbel\w*|ischias\w*)\b"
)
