"""The warning-sign table (data/red_flags.yml), loaded and checked once.

Everything the safety layer knows about warning signs and crisis support comes
from this file: the patterns the detector uses, the screening questions, the
advice each sign gets, and the crisis lines per country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Pattern, Tuple

import yaml

from bot.paths import PROJECT_ROOT
from bot.settings import current_settings

TABLE_FILE = PROJECT_ROOT / "data" / "red_flags.yml"
EMERGENCY, SAME_DAY = "emergency", "same_day"
URGENCIES = (EMERGENCY, SAME_DAY)  # most urgent first
_VOCABULARY_REFERENCE = re.compile(r"@([a-z_]+)")


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
class Question:
    """A yes / no / not sure question about one sign or a group of signs."""

    code: str
    urgency: str
    signs: Tuple[str, ...]
    name: str
    text: str
    look_for: str
    yes: Tuple[Pattern[str], ...] = ()
    no: Tuple[Pattern[str], ...] = ()


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
    keywords: Tuple[Pattern[str], ...]


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
    idioms: Tuple[Pattern[str], ...]


@dataclass(frozen=True)
class CrisisCountry:
    code: str
    name: str
    emergency: str
    lines: Tuple[str, ...]


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

    def crisis_countries(self, wanted: Optional[str] = None) -> Tuple[CrisisCountry, ...]:
        """The countries named in `BACKCARE_CRISIS_COUNTRIES` (default: all, in table order)."""
        if wanted is None:
            wanted = ",".join(current_settings().crisis_countries)
        codes = [code.strip().upper() for code in wanted.split(",") if code.strip()]
        if not codes:
            return self.countries
        known = {country.code: country for country in self.countries}
        chosen = tuple(known[code] for code in codes if code in known)
        return chosen or self.countries


def _language_lists(raw: Any, where: str) -> List[str]:
    """All patterns of a `{language: [patterns]}` mapping, every language together."""
    if raw is None:
        return []
    if not isinstance(raw, Mapping) or not all(isinstance(v, list) for v in raw.values()):
        raise SafetyTableError(f"{where}: expected a mapping of language to a list of patterns")
    return [pattern for patterns in raw.values() for pattern in patterns]


class _Compiler:
    def __init__(self, vocabulary: Mapping[str, str]) -> None:
        self._vocabulary = vocabulary

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

    def one(self, pattern: str, where: str) -> Pattern[str]:
        try:
            return re.compile(self.expand(pattern, where))
        except re.error as error:
            raise SafetyTableError(f"{where}: invalid pattern {pattern!r}: {error}") from error

    def many(self, patterns: Iterable[str], where: str) -> Tuple[Pattern[str], ...]:
        return tuple(self.one(pattern, where) for pattern in patterns)

    def either(self, patterns: Iterable[str], where: str) -> Pattern[str]:
        """One pattern matching any of `patterns` (the languages' rules joined)."""
        joined = "|".join(f"(?:{self.expand(pattern, where)})" for pattern in patterns)
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
    name = str(_required(entry, "name", where))
    question = Question(
        code=code,
        urgency=urgency,
        signs=(code,),
        name=name,
        text=str(_required(entry, "question", where)),
        look_for=str(_required(entry, "look_for", where)),
        yes=compiler.many(
            _language_lists(entry.get("answer_yes"), f"{where} answer_yes"), f"{where} answer_yes"
        ),
        no=compiler.many(_language_lists(entry.get("answer_no"), f"{where} answer_no"), f"{where} answer_no"),
    )
    return WarningSign(
        code=code,
        urgency=urgency,
        name=name,
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
    return Question(
        code=code,
        urgency=urgency,
        signs=members,
        name=str(_required(entry, "name", where)),
        text=str(_required(entry, "question", where)),
        look_for=str(_required(entry, "look_for", where)),
    )


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
    return Question(
        code=code,
        urgency=urgency,
        signs=tuple(covered),
        name=str(_required(entry, "name", where)),
        text=str(_required(entry, "question", where)),
        look_for=str(_required(entry, "look_for", where)),
    )


def _countries(raw: Mapping[str, Any]) -> Tuple[CrisisCountry, ...]:
    countries = []
    for code, entry in (raw or {}).items():
        where = f"crisis country {code!r}"
        countries.append(
            CrisisCountry(
                code=str(code).upper(),
                name=str(_required(entry, "name", where)),
                emergency=str(_required(entry, "emergency", where)),
                lines=tuple(str(line) for line in _required(entry, "lines", where)),
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
