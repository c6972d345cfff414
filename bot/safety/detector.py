"""Reads warning signs and crisis talk from what a person writes.

Deterministic on purpose: a missed warning sign or crisis is the error the bot
must not make, and a false alarm teaches people to ignore it. Every decision
follows the table in data/red_flags.yml (bot.safety.table):

- a sign's pattern counts unless a negation earlier in its clause covers it
  ("no fever", "I don't have numbness, weakness or bladder trouble"), a denial
  follows it ("fever: no"), or it belongs to someone else ("my mum had cancer");
- idioms are removed first ("fell asleep", "this is killing me");
- "not sure" is never read as a negation;
- phrases that may or may not be a sign ("I can hardly walk") become a question,
  and so do signs only named in passing when the trained model suspects one.

The patterns of every language are always used together. Only the keywords
(words that make a model-only suspicion worth a question) follow the
message's language when it is known and not English (bot.safety.table).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, List, Optional, Pattern, Tuple

from bot.safety.table import UMLAUT_SPELLING, ClauseRules, SafetyTable, WarningSign, safety_table

_APOSTROPHES = re.compile(r"['’‘`´]")
_SPACES = re.compile(r"\s+")
# "Fuß" and "Fuss", "gestürzt" and "gestuerzt" are typed alike: one spelling.
_UMLAUTS = str.maketrans(UMLAUT_SPELLING)


@dataclass(frozen=True)
class Findings:
    """What one message says about warning signs and crisis."""

    signs: Tuple[str, ...] = ()  # present: urgent advice, no exercise
    questions: Tuple[str, ...] = ()  # maybe present: ask the sign's question
    mentions: Tuple[str, ...] = ()  # named, not negated: worth a question if the model suspects a sign
    crisis: bool = False
    crisis_words: bool = False  # words of crisis talk: worth asking directly if the model suspects crisis

    @property
    def alarming(self) -> bool:
        return bool(self.signs or self.questions or self.crisis)


def normalise(text: str) -> str:
    """Lower case, Unicode NFKC, no format characters or apostrophes, ä/ö/ü/ß as ae/oe/ue/ss, one space."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = _APOSTROPHES.sub("", text.lower()).translate(_UMLAUTS)
    return _SPACES.sub(" ", text).strip()


def _blank(text: str, patterns: Iterable[Pattern[str]]) -> str:
    """Replaces every match by spaces of the same length (positions stay valid)."""
    for pattern in patterns:
        text = pattern.sub(lambda match: " " * len(match.group(0)), text)
    return text


class _Message:
    """One normalised message split into clauses and parts, for scope checks."""

    def __init__(self, text: str, rules: ClauseRules) -> None:
        self.text = text
        self.rules = rules
        self._clauses = [0] + [match.end() for match in rules.clause_breaks.finditer(text)]
        self._breaks = {match.end(): match.group(0) for match in rules.clause_breaks.finditer(text)}

    def _clause_start(self, position: int) -> int:
        return max(start for start in self._clauses if start <= position)

    def _clause_end(self, position: int) -> int:
        later = [start for start in self._clauses if start > position]
        return min(later) if later else len(self.text)

    def _general_question(self, position: int) -> bool:
        """A question about a sign that does not speak of the person ("what is foot drop?")."""
        start, end = self._clause_start(position), self._clause_end(position)
        clause = self.text[start:end]
        ends_with_question = "?" in self._breaks.get(end, "") or clause.rstrip().endswith("?")
        return (
            ends_with_question
            and bool(self.rules.general_question.match(clause.strip()))
            and not self.rules.first_person.search(clause)
        )

    def _part(self, position: int) -> str:
        """The text before `position` back to the last comma, "and", "or" or clause end."""
        start = self._clause_start(position)
        for match in self.rules.part_breaks.finditer(self.text, start, position):
            start = match.end()
        return self.text[start:position]

    def _scope(self, position: int) -> str:
        """The text before `position` that a negation or another person can cover.

        It starts at the clause start, or later at the last part (between commas,
        "and", "or") that begins with a new subject: "no fever, my legs are weak".
        """
        start = self._clause_start(position)
        scope_start = start
        part_start = start
        for match in self.rules.part_breaks.finditer(self.text, start, position):
            part_start = match.end()
            if self.rules.new_subject.match(self.text[part_start:position].lstrip()):
                scope_start = part_start
        return self.text[scope_start:position]

    def counts(self, start: int, end: int, negation_words: Optional[int] = None) -> bool:
        """Whether a match at [start, end) is the person's own, not denied.

        `negation_words` narrows the negation to the last few words before the
        match ("I would never hurt myself", but "if the pain does not stop I
        will end my life").
        """
        own_part = self.rules.sign_with_negation.match(self.text, start)
        scope = self.rules.uncertain.sub(" unsure ", self._part(start) if own_part else self._scope(start))
        if negation_words is not None:
            scope = " ".join(scope.split()[-negation_words:])
        if self.rules.negation.search(scope):
            return False
        if self.rules.denial_after.match(self.text[end:]):
            return False
        if self._general_question(start):
            return False
        # Someone else's sign ("my mum had cancer"), unless it happened to the
        # person ("my son knocked me over").
        context = self._part(start) + " " + self.text[start:end]
        others = list(self.rules.other_person.finditer(context))
        if others and not self.rules.first_person_object.search(context[others[-1].end() :]):
            return False
        return True

    def any_counts(self, pattern: Pattern[str], negation_words: Optional[int] = None) -> bool:
        return any(self.counts(*match.span(), negation_words) for match in pattern.finditer(self.text))


def _number_counts(message: _Message, sign: WarningSign) -> bool:
    for rule in sign.numbers:
        for match in rule.pattern.finditer(message.text):
            value = float(match.group("value").replace(",", "."))
            if rule.exceeded_by(value) and message.counts(*match.span()):
                return True
    return False


def _number_below_threshold(message: _Message, sign: WarningSign) -> bool:
    """A measured value was given and it is normal ("temperature 36.8"): the sign is answered."""
    measured = any(rule.pattern.search(message.text) for rule in sign.numbers)
    return measured and not _number_counts(message, sign)


def _present(message: _Message, sign: WarningSign) -> bool:
    if any(message.any_counts(pattern) for pattern in sign.patterns):
        return True
    if any(all(message.any_counts(pattern) for pattern in group) for group in sign.together):
        return True
    return _number_counts(message, sign)


# Crisis phrases carry their own negations ("don't want to live"); a negation
# counts only when it governs the phrase ("I'm not suicidal", "would never").
CRISIS_NEGATION_WORDS = 3


def _crisis(text: str, table: SafetyTable, language: Optional[str] = None) -> Tuple[bool, bool]:
    """Crisis talk, and crisis words (for a model-only suspicion), in the normalised text."""
    blanked = _blank(text, (*table.crisis_idioms, *table.rules.idioms))
    message = _Message(blanked, table.rules)
    talk = any(message.any_counts(pattern, CRISIS_NEGATION_WORDS) for pattern in table.crisis_patterns)
    words = any(
        message.any_counts(pattern, CRISIS_NEGATION_WORDS) for pattern in table.crisis_keywords_in(language)
    )
    return talk, words


def analyse(text: str, table: Optional[SafetyTable] = None, language: Optional[str] = None) -> Findings:
    """Warning signs, questions to ask, mentioned signs and crisis in `text`.

    `language` is the message's language when it is known (`de`); it only
    narrows the keywords, never the signs or crisis talk that are heard.
    """
    table = table or safety_table()
    normalised = normalise(text)
    if not normalised:
        return Findings()
    message = _Message(_blank(normalised, table.rules.idioms), table.rules)
    signs: List[str] = []
    questions: List[str] = []
    mentions: List[str] = []
    for sign in sorted(table.signs, key=lambda item: item.urgency != "emergency"):
        if _present(message, sign):
            signs.append(sign.code)
        elif any(message.any_counts(pattern) for pattern in sign.ask):
            questions.append(sign.code)
        elif any(
            message.any_counts(pattern) for pattern in sign.keywords_in(language)
        ) and not _number_below_threshold(message, sign):
            mentions.append(sign.code)
    crisis, crisis_words = _crisis(normalised, table, language)
    return Findings(tuple(signs), tuple(questions), tuple(mentions), crisis, crisis_words)


def detect_signs(text: str) -> List[str]:
    """Codes of the warning signs present in `text`, emergency signs first."""
    return list(analyse(text).signs)
