"""The warning-sign table (data/red_flags.yml), loaded and checked once.

Everything the safety layer knows about warning signs and crisis support comes
from this file: the patterns the detector uses, the screening questions, the
advice each sign gets, and the crisis lines per country.

Texts a person reads (a sign's name, a question, what to look for, crisis
lines) are given per language, `{en: ..., de: ...}`; a plain string is English
only. The English text stays in the plain fields (`name`, `text`, `look_for`),
so callers that speak English read what they always read; `worded(language)`
gives another language's, falling back to English.

Umlauts and ß in patterns are read as ae, oe, ue and ss, as the detector
writes them in the message (bot.safety.detector.normalise): one pattern
matches "Fuß" and "Fuss", "gestürzt" and "gestuerzt".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Pattern, Tuple

import yaml

from bot.languages import ENGLISH, SUPPORTED, text_in
from bot.paths import PROJECT_ROOT
from bot.settings import current_settings

TABLE_FILE = PROJECT_ROOT / "data" / "red_flags.yml"
EMERGENCY, SAME_DAY = "emergency", "same_day"
URGENCIES = (EMERGENCY, SAME_DAY)  # most urgent first
_VOCABULARY_REFERENCE = re.compile(r"@([a-z_]+)")
# German letters as the normalised message spells them (see the module text).
UMLAUT_SPELLING = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}
_UMLAUTS_IN_PATTERNS = str.maketrans(
    {letter: f"(?:{spelling})" for letter, spelling in UMLAUT_SPELLING.items()}
)
_UMLAUT_IN_CLASS = re.compile(r"\[[^\]]*[äöüß]")


class SafetyTableError(ValueError):
    """The warning-sign table is invalid; the message names the entry and field."""


@dataclass(frozen=True)
class NumberRule:
    """A measured value that is a sign at or above a threshold ("temperature 39")."""

    pattern: Pattern[str]
    at_least: float
    fahrenheit_above: Optional[float] = None

    def exceeded_by(self, value: float) -> bool:
        if self.fahrenheit_above is not None and value > self.fahrenheit_above:
            value = (value - 32) * 5 / 9
        return value >= self.at_least


@dataclass(frozen=True)
class Wording:
    """A question's texts in one language: the name of what it asks about, the question, what to look for."""

    name: str
    text: str
    look_for: str


@dataclass(frozen=True)
class Question:
    """A yes / no / not sure question about one sign or a group of signs.

    `name`, `text` and `look_for` are English; `translations` holds the same
    texts per language (English included).
    """

    code: str
    urgency: str
    signs: Tuple[str, ...]
    name: str
    text: str
    look_for: str
    yes: Tuple[Pattern[str], ...] = ()
    no: Tuple[Pattern[str], ...] = ()
    translations: Tuple[Tuple[str, Wording], ...] = ()

    def worded(self, language: str) -> Wording:
        """The texts in `language`, or in English when the table has none in it."""
        return dict(self.translations).get(language) or Wording(self.name, self.text, self.look_for)


@dataclass(frozen=True)
class WarningSign:
    code: str
    urgency: str
    name: str
    advice: str  # the domain response sent when the sign is present
    question: Question
    patterns: Tuple[Pattern[str], ...]
    together: Tuple[Tuple[Pattern[str], ...], ...]
    numbers: Tuple[NumberRule, ...]
    ask: Tuple[Pattern[str], ...]
    keywords: Tuple[Pattern[str], ...]  # every language's
    keywords_by_language: Tuple[Tuple[str, Tuple[Pattern[str], ...]], ...] = ()

    def name_in(self, language: str) -> str:
        return self.question.worded(language).name

    def keywords_in(self, language: Optional[str]) -> Tuple[Pattern[str], ...]:
        """The keywords of a message known to be in `language`; every language's otherwise."""
        return _of_language(self.keywords_by_language, language) or self.keywords


@dataclass(frozen=True)
class ClauseRules:
    """How clauses, negations, idioms and other people are recognised."""

    clause_breaks: Pattern[str]
    part_breaks: Pattern[str]
    new_subject: Pattern[str]
    negation: Pattern[str]
    uncertain: Pattern[str]
    denial_after: Pattern[str]
    other_person: Pattern[str]
    general_question: Pattern[str]
    first_person: Pattern[str]
    # The writer as the object after another person ("my son knocked me over").
    first_person_object: Pattern[str]
    # A sign phrased with its own negation ("keine Kraft im Bein"): only its own
    # part can deny it.
    sign_with_negation: Pattern[str]
    idioms: Tuple[Pattern[str], ...]


@dataclass(frozen=True)
class CountryWording:
    name: str
    lines: Tuple[str, ...]


@dataclass(frozen=True)
class CrisisCountry:
    """A country's emergency number and crisis lines; `name` and `lines` are English."""

    code: str
    name: str
    emergency: str
    lines: Tuple[str, ...]
    # The languages of the people whose lines these are first (a German speaker: Germany).
    languages: Tuple[str, ...] = ()
    translations: Tuple[Tuple[str, CountryWording], ...] = ()

    def worded(self, language: str) -> CountryWording:
        return dict(self.translations).get(language) or CountryWording(self.name, self.lines)


@dataclass(frozen=True)
class SafetyTable:
    rules: ClauseRules
    signs: Tuple[WarningSign, ...]
    screening: Tuple[Question, ...]
    crisis_patterns: Tuple[Pattern[str], ...]
    crisis_keywords: Tuple[Pattern[str], ...]
    crisis_idioms: Tuple[Pattern[str], ...]
    countries: Tuple[CrisisCountry, ...]
    # The returning person's short check-in question (emergency signs only).
    check_in: Optional[Question] = None
    crisis_keywords_by_language: Tuple[Tuple[str, Tuple[Pattern[str], ...]], ...] = ()

    def crisis_keywords_in(self, language: Optional[str]) -> Tuple[Pattern[str], ...]:
        """The crisis keywords of a message known to be in `language`; every language's otherwise."""
        return _of_language(self.crisis_keywords_by_language, language) or self.crisis_keywords

    def sign(self, code: str) -> Optional[WarningSign]:
        return next((sign for sign in self.signs if sign.code == code), None)

    def question(self, code: str) -> Optional[Question]:
        """A screening group's question, or the question about one sign."""
        for question in (*self.screening, *((self.check_in,) if self.check_in else ())):
            if question.code == code:
                return question
        sign = self.sign(code)
        return sign.question if sign else None

    def urgency_of(self, code: str) -> Optional[str]:
        question = self.question(code)
        return question.urgency if question else None

    def crisis_countries(
        self, wanted: Optional[str] = None, language: Optional[str] = None
    ) -> Tuple[CrisisCountry, ...]:
        """The countries named in `BACKCARE_CRISIS_COUNTRIES` (default: all, in table order).

        With a `language`, the countries whose lines serve people of that
        language come first; the order is otherwise kept.
        """
        if wanted is None:
            wanted = ",".join(current_settings().crisis_countries)
        codes = [code.strip().upper() for code in wanted.split(",") if code.strip()]
        known = {country.code: country for country in self.countries}
        chosen = tuple(known[code] for code in codes if code in known) or self.countries
        if language is None:
            return chosen
        return tuple(sorted(chosen, key=lambda country: language not in country.languages))


def _of_language(
    by_language: Tuple[Tuple[str, Tuple[Pattern[str], ...]], ...], language: Optional[str]
) -> Tuple[Pattern[str], ...]:
    """One language's keywords, for a message in a language other than English.

    Keywords only decide whether a model-only suspicion is worth a question;
    a German message is judged by the German words alone, because English
    ones are everyday German ("die" is an article). An English or unknown
    message keeps every list, as before.
    """
    if language is None or language == ENGLISH:
        return ()
    return dict(by_language).get(language, ())


def _language_lists(raw: Any, where: str) -> List[str]:
    """All patterns of a `{language: [patterns]}` mapping, every language together."""
    if raw is None:
        return []
    if not isinstance(raw, Mapping) or not all(isinstance(v, list) for v in raw.values()):
        raise SafetyTableError(f"{where}: expected a mapping of language to a list of patterns")
    return [pattern for patterns in raw.values() for pattern in patterns]


def _texts(raw: Any, where: str) -> Dict[str, str]:
    """`{language: text}` from a plain (English) string or a mapping with an English text."""
    if isinstance(raw, str) and raw:
        return {ENGLISH: raw}
    if not isinstance(raw, Mapping):
        raise SafetyTableError(f"{where}: expected a text or a mapping of language to text")
    unknown = sorted(set(map(str, raw)) - set(SUPPORTED))
    if unknown:
        raise SafetyTableError(f"{where}: unknown languages {unknown}")
    texts = {str(language): str(text) for language, text in raw.items() if text not in (None, "")}
    if ENGLISH not in texts:
        raise SafetyTableError(f"{where}: needs an English text")
    return texts


def _question(
    code: str,
    urgency: str,
    signs: Tuple[str, ...],
    entry: Mapping[str, Any],
    where: str,
    yes: Tuple[Pattern[str], ...] = (),
    no: Tuple[Pattern[str], ...] = (),
) -> Question:
    """A question with its name, text and what to look for in every language the table gives."""
    name = _texts(_required(entry, "name", where), f"{where} name")
    text = _texts(_required(entry, "question", where), f"{where} question")
    look_for = _texts(_required(entry, "look_for", where), f"{where} look_for")
    languages = sorted({*name, *text, *look_for}, key=SUPPORTED.index)
    translations = tuple(
        (
            language,
            Wording(text_in(name, language), text_in(text, language), text_in(look_for, language)),
        )
        for language in languages
    )
    return Question(
        code=code,
        urgency=urgency,
        signs=signs,
        name=name[ENGLISH],
        text=text[ENGLISH],
        look_for=look_for[ENGLISH],
        yes=yes,
        no=no,
        translations=translations,
    )


class _Compiler:
    def __init__(self, vocabulary: Mapping[str, str]) -> None:
        self._vocabulary = vocabulary

    def keywords(self, raw: Any, where: str) -> Tuple[Tuple[str, Tuple[Pattern[str], ...]], ...]:
        """Whole-word keyword patterns per language."""
        _language_lists(raw, where)  # checks the shape
        return tuple(
            (str(language), tuple(self.one(rf"\b(?:{keyword})\b", where) for keyword in keywords))
            for language, keywords in (raw or {}).items()
        )

    def expand(self, pattern: str, where: str, depth: int = 0) -> str:
        """`pattern` with every "@name" replaced by its vocabulary entry (entries may nest)."""
        if depth > 5:
            raise SafetyTableError(f"{where}: vocabulary entries refer to each other in a loop")

        def fragment(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self._vocabulary:
                raise SafetyTableError(f"{where}: unknown vocabulary entry @{name}")
            return f"(?:{self.expand(self._vocabulary[name], where, depth + 1)})"

        return _VOCABULARY_REFERENCE.sub(fragment, pattern)

    def spelled(self, pattern: str, where: str) -> str:
        """`pattern` with its vocabulary filled in and umlauts spelled as in a normalised message."""
        expanded = self.expand(pattern, where)
        if _UMLAUT_IN_CLASS.search(expanded):
            raise SafetyTableError(f"{where}: write umlauts outside [...] in {pattern!r}: ä reads as ae")
        return expanded.translate(_UMLAUTS_IN_PATTERNS)

    def one(self, pattern: str, where: str) -> Pattern[str]:
        try:
            return re.compile(self.spelled(pattern, where))
        except re.error as error:
            raise SafetyTableError(f"{where}: invalid pattern {pattern!r}: {error}") from error

    def many(self, patterns: Iterable[str], where: str) -> Tuple[Pattern[str], ...]:
        return tuple(self.one(pattern, where) for pattern in patterns)

    def either(self, patterns: Iterable[str], where: str) -> Pattern[str]:
        """One pattern matching any of `patterns` (the languages' rules joined)."""
        joined = "|".join(f"(?:{self.spelled(pattern, where)})" for pattern in patterns)
        try:
            return re.compile(joined or r"(?!x)x")
        except re.error as error:
            raise SafetyTableError(f"{where}: invalid pattern: {error}") from error


def _required(entry: Mapping[str, Any], field: str, where: str) -> Any:
    value = entry.get(field)
    if value in (None, "", [], {}):
        raise SafetyTableError(f"{where}: missing {field}")
    return value


def _urgency(entry: Mapping[str, Any], where: str) -> str:
    urgency = _required(entry, "urgency", where)
    if urgency not in URGENCIES:
        raise SafetyTableError(f"{where}: urgency must be one of {URGENCIES}")
    return str(urgency)


def _clause_rules(raw: Mapping[str, Any], compiler: _Compiler) -> ClauseRules:
    languages = list(raw.values())

    def joined(field: str) -> Pattern[str]:
        return compiler.either(
            (language[field] for language in languages if language.get(field)), f"language.{field}"
        )

    idioms = [idiom for language in languages for idiom in language.get("idioms") or []]
    return ClauseRules(
        clause_breaks=joined("clause_breaks"),
        part_breaks=joined("part_breaks"),
        new_subject=joined("new_subject"),
        negation=joined("negation"),
        uncertain=joined("uncertain"),
        denial_after=joined("denial_after"),
        other_person=joined("other_person"),
        general_question=joined("general_question"),
        first_person=joined("first_person"),
        first_person_object=joined("first_person_object"),
        sign_with_negation=joined("sign_with_negation"),
        idioms=compiler.many(idioms, "language.idioms"),
    )


SIGN_FIELDS = {
    "code",
    "urgency",
    "name",
    "question",
    "look_for",
    "advice",
    "patterns",
    "together",
    "numbers",
    "ask",
    "keywords",
    "answer_yes",
    "answer_no",
}


def _sign(entry: Mapping[str, Any], compiler: _Compiler) -> WarningSign:
    code = _required(entry, "code", "a sign")
    where = f"sign {code!r}"
    unknown = set(map(str, entry)) - SIGN_FIELDS
    if unknown:
        raise SafetyTableError(f"{where}: unknown fields {sorted(unknown)}")
    urgency = _urgency(entry, where)
    together = tuple(
        compiler.many(group, f"{where} together")
        for group in _language_lists(entry.get("together"), f"{where} together")
    )
    numbers = tuple(
        NumberRule(
            compiler.one(_required(rule, "pattern", f"{where} numbers"), f"{where} numbers"),
            float(_required(rule, "at_least", f"{where} numbers")),
            float(rule["fahrenheit_above"]) if rule.get("fahrenheit_above") is not None else None,
        )
        for rule in entry.get("numbers") or []
    )
    patterns = compiler.many(_language_lists(entry.get("patterns"), where), where)
    if not (patterns or together or numbers):
        raise SafetyTableError(f"{where}: needs patterns, together or numbers")
    question = _question(
        code,
        urgency,
        (code,),
        entry,
        where,
        yes=compiler.many(
            _language_lists(entry.get("answer_yes"), f"{where} answer_yes"), f"{where} answer_yes"
        ),
        no=compiler.many(_language_lists(entry.get("answer_no"), f"{where} answer_no"), f"{where} answer_no"),
    )
    return WarningSign(
        code=code,
        urgency=urgency,
        name=question.name,
        advice=str(_required(entry, "advice", where)),
        question=question,
        patterns=patterns,
        together=together,
        numbers=numbers,
        ask=compiler.many(_language_lists(entry.get("ask"), f"{where} ask"), f"{where} ask"),
        keywords=tuple(
            compiler.one(rf"\b(?:{keyword})\b", f"{where} keywords")
            for keyword in _language_lists(entry.get("keywords"), f"{where} keywords")
        ),
        keywords_by_language=compiler.keywords(entry.get("keywords"), f"{where} keywords"),
    )


def _screening(entry: Mapping[str, Any], signs: Mapping[str, WarningSign]) -> Question:
    code = _required(entry, "code", "a screening question")
    where = f"screening {code!r}"
    urgency = _urgency(entry, where)
    members = tuple(_required(entry, "signs", where))
    for member in members:
        if member not in signs:
            raise SafetyTableError(f"{where}: unknown sign {member!r}")
        if signs[member].urgency != urgency:
            raise SafetyTableError(
                f"{where}: sign {member!r} has urgency {signs[member].urgency}, not {urgency}"
            )
    return _question(code, urgency, members, entry, where)


def _check_in(entry: Mapping[str, Any], screening: Tuple[Question, ...]) -> Question:
    """One question that covers whole screening groups, all of one urgency."""
    code = _required(entry, "code", "the check-in question")
    where = f"check-in {code!r}"
    urgency = _urgency(entry, where)
    groups = {question.code: question for question in screening}
    covered: List[str] = []
    for group in _required(entry, "covers", where):
        if group not in groups:
            raise SafetyTableError(f"{where}: unknown screening group {group!r}")
        if groups[group].urgency != urgency:
            raise SafetyTableError(f"{where}: group {group!r} is {groups[group].urgency}, not {urgency}")
        covered.extend(groups[group].signs)
    return _question(code, urgency, tuple(covered), entry, where)


def _countries(raw: Mapping[str, Any]) -> Tuple[CrisisCountry, ...]:
    countries = []
    for code, entry in (raw or {}).items():
        where = f"crisis country {code!r}"
        name = _texts(_required(entry, "name", where), f"{where} name")
        lines = [_texts(line, f"{where} lines") for line in _required(entry, "lines", where)]
        languages = sorted({*name, *(language for line in lines for language in line)}, key=SUPPORTED.index)
        spoken = tuple(str(language) for language in entry.get("languages") or ())
        if set(spoken) - set(SUPPORTED):
            raise SafetyTableError(f"{where}: unknown languages {sorted(set(spoken) - set(SUPPORTED))}")
        countries.append(
            CrisisCountry(
                code=str(code).upper(),
                name=name[ENGLISH],
                emergency=str(_required(entry, "emergency", where)),
                lines=tuple(line[ENGLISH] for line in lines),
                languages=spoken,
                translations=tuple(
                    (
                        language,
                        CountryWording(
                            text_in(name, language), tuple(text_in(line, language) for line in lines)
                        ),
                    )
                    for language in languages
                ),
            )
        )
    if not countries:
        raise SafetyTableError("crisis: at least one country with crisis lines is needed")
    return tuple(countries)


def parse_table(document: Mapping[str, Any]) -> SafetyTable:
    """Builds the table from the parsed YAML document, checking every entry."""
    if not isinstance(document, Mapping):
        raise SafetyTableError("expected a mapping at the top level")
    compiler = _Compiler(document.get("vocabulary") or {})
    rules = _clause_rules(_required(document, "language", "table"), compiler)
    signs = tuple(_sign(entry, compiler) for entry in _required(document, "signs", "table"))
    codes = [sign.code for sign in signs]
    if len(codes) != len(set(codes)):
        raise SafetyTableError(f"duplicate sign codes in {codes}")
    by_code: Dict[str, WarningSign] = {sign.code: sign for sign in signs}
    screening = tuple(_screening(entry, by_code) for entry in _required(document, "screening", "table"))
    screened = {member for question in screening for member in question.signs}
    if screened != set(codes):
        raise SafetyTableError(f"signs missing from the screening: {sorted(set(codes) - screened)}")
    crisis = _required(document, "crisis", "table")
    return SafetyTable(
        rules=rules,
        signs=signs,
        screening=screening,
        crisis_patterns=compiler.many(_language_lists(crisis.get("patterns"), "crisis"), "crisis"),
        crisis_keywords=tuple(
            compiler.one(rf"\b(?:{keyword})\b", "crisis keywords")
            for keyword in _language_lists(crisis.get("keywords"), "crisis keywords")
        ),
        crisis_idioms=compiler.many(_language_lists(crisis.get("idioms"), "crisis idioms"), "crisis idioms"),
        countries=_countries(crisis.get("countries")),
        check_in=_check_in(document["check_in"], screening) if document.get("check_in") else None,
        crisis_keywords_by_language=compiler.keywords(crisis.get("keywords"), "crisis keywords"),
    )


def load_table(path: Path = TABLE_FILE) -> SafetyTable:
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise SafetyTableError(f"cannot read {path}: {error}") from error
    return parse_table(document)


@lru_cache(maxsize=1)
def safety_table() -> SafetyTable:
    """The project's table, loaded once per process."""
    return load_table(TABLE_FILE)
