"""Scores the warning-sign and crisis detector on clinical test sets.

The sets are labelled by hand and never used for training; the caller names
them (the checkout keeps them with the tests), one group of sets per language.
Each language is scored on its own and must meet the same floors: a German
miss cannot hide behind English hits. `make eval` writes the report
(eval/clinical.md, a section per language); the quality gate in `make test`
holds the floors in `FLOORS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

from bot.languages import ENGLISH, GERMAN
from bot.paths import shown
from bot.safety.detector import Findings, analyse
from bot.safety.table import SafetyTable, safety_table

# Sensitivity floors by urgency, and the specificity floor for every sign and crisis.
FLOORS = {"emergency": 1.0, "same_day": 0.95, "crisis": 1.0, "specificity": 0.95}
LANGUAGE_NAMES = {ENGLISH: "English", GERMAN: "German"}


@dataclass(frozen=True)
class LabelledMessage:
    text: str
    signs: Tuple[str, ...]
    crisis: bool
    kind: str


@dataclass
class Rate:
    """Sensitivity and specificity of one decision over the corpus."""

    true_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0
    false_positive: int = 0
    missed: List[str] = field(default_factory=list)
    false_alarms: List[str] = field(default_factory=list)

    def add(self, expected: bool, found: bool, text: str) -> None:
        if expected and found:
            self.true_positive += 1
        elif expected:
            self.false_negative += 1
            self.missed.append(text)
        elif found:
            self.false_positive += 1
            self.false_alarms.append(text)
        else:
            self.true_negative += 1

    @property
    def sensitivity(self) -> float:
        positives = self.true_positive + self.false_negative
        return self.true_positive / positives if positives else 1.0

    @property
    def specificity(self) -> float:
        negatives = self.true_negative + self.false_positive
        return self.true_negative / negatives if negatives else 1.0


@dataclass
class CorpusScore:
    messages: int
    per_sign: Dict[str, Rate]
    urgency: Dict[str, str]  # sign code -> urgency
    crisis: Rate
    any_sign: Rate  # a message flagged with any sign at all
    hard_negatives: int
    hard_negative_alarms: List[str]
    questions_on_negatives: int  # hard negatives answered with a clarifying question

    @property
    def false_alarm_rate(self) -> float:
        return len(self.hard_negative_alarms) / self.hard_negatives if self.hard_negatives else 0.0

    def failures(self) -> List[str]:
        """Every floor the detector misses, in words."""
        problems = []
        for code, rate in self.per_sign.items():
            floor = FLOORS[self.urgency[code]]
            if rate.sensitivity < floor:
                problems.append(
                    f"{code}: sensitivity {rate.sensitivity:.3f} < {floor} (missed {rate.missed})"
                )
            if rate.specificity < FLOORS["specificity"]:
                problems.append(
                    f"{code}: specificity {rate.specificity:.3f} < {FLOORS['specificity']} "
                    f"({rate.false_alarms})"
                )
        if self.crisis.sensitivity < FLOORS["crisis"]:
            problems.append(
                f"crisis: sensitivity {self.crisis.sensitivity:.3f} (missed {self.crisis.missed})"
            )
        if self.crisis.specificity < FLOORS["specificity"]:
            problems.append(f"crisis: specificity {self.crisis.specificity:.3f} ({self.crisis.false_alarms})")
        if 1 - self.false_alarm_rate < FLOORS["specificity"]:
            problems.append(
                f"hard negatives: false-alarm rate {self.false_alarm_rate:.3f} ({self.hard_negative_alarms})"
            )
        return problems


def load_corpus(*paths: Path) -> List[LabelledMessage]:
    """The labelled messages of every set in `paths`, in order."""
    if not paths:
        raise ValueError("name at least one labelled set: an empty corpus would pass every floor")
    messages = []
    for path in paths:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        messages += [
            LabelledMessage(
                str(item["text"]), tuple(item.get("signs") or ()), bool(item.get("crisis")), str(item["kind"])
            )
            for item in document["messages"]
        ]
    return messages


@dataclass
class PipelineOutcome:
    """What a person meets with the trained model and the safety guard together."""

    messages: int = 0
    crisis_answered: int = 0  # crisis messages given support or asked directly
    crisis_total: int = 0
    crisis_checks_on_non_crisis: List[str] = field(default_factory=list)
    questions_on_negatives: List[str] = field(default_factory=list)  # a clarifying question, no alarm


def pipeline_outcome(corpus: List[LabelledMessage], intents: List[str]) -> PipelineOutcome:
    """Tallies the parsed intents of the corpus messages (same order) against their labels."""
    outcome = PipelineOutcome(messages=len(corpus))
    for message, intent in zip(corpus, intents, strict=True):
        if message.crisis:
            outcome.crisis_total += 1
            outcome.crisis_answered += intent == "crisis"
        elif intent == "crisis":
            outcome.crisis_checks_on_non_crisis.append(message.text)
        if message.kind == "hard_negative" and intent == "report_red_flag":
            outcome.questions_on_negatives.append(message.text)
    return outcome


def pipeline_report(outcome: PipelineOutcome, level: int = 2) -> str:
    lines = [
        "",
        f"{'#' * level} With the trained model",
        "",
        f"The same {outcome.messages} messages through the NLU pipeline (model and safety guard): "
        "crisis messages answered with support or a direct question "
        f"{outcome.crisis_answered}/{outcome.crisis_total}; "
        f"non-crisis messages asked the crisis question {len(outcome.crisis_checks_on_non_crisis)}; "
        f"hard negatives asked a clarifying question about one sign (never an alarm) "
        f"{len(outcome.questions_on_negatives)}.",
    ]
    lines += [f"- crisis question for `{text}`" for text in outcome.crisis_checks_on_non_crisis]
    lines += [f"- clarifying question for `{text}`" for text in outcome.questions_on_negatives]
    return "\n".join(lines) + "\n"


def score_corpus(corpus: List[LabelledMessage], table: Optional[SafetyTable] = None) -> CorpusScore:
    table = table or safety_table()
    per_sign = {sign.code: Rate() for sign in table.signs}
    crisis, any_sign = Rate(), Rate()
    alarms: List[str] = []
    hard_negatives = questions = 0
    for message in corpus:
        found: Findings = analyse(message.text, table)
        for code, rate in per_sign.items():
            rate.add(code in message.signs, code in found.signs, message.text)
        crisis.add(message.crisis, found.crisis, message.text)
        any_sign.add(bool(message.signs), bool(found.signs), message.text)
        if message.kind == "hard_negative":
            hard_negatives += 1
            if found.signs or found.crisis:
                alarms.append(message.text)
            elif found.questions:
                questions += 1
    return CorpusScore(
        messages=len(corpus),
        per_sign=per_sign,
        urgency={sign.code: sign.urgency for sign in table.signs},
        crisis=crisis,
        any_sign=any_sign,
        hard_negatives=hard_negatives,
        hard_negative_alarms=alarms,
        questions_on_negatives=questions,
    )


def report(score: CorpusScore, source: Path, title: str = "Clinical test corpus", level: int = 1) -> str:
    """A markdown report: per-sign sensitivity and specificity, crisis, false alarms.

    `source` is the folder of the labelled sets the score was measured on;
    `level` the heading level of `title` (a language's section is level 2).
    """
    lines = [
        f"{'#' * level} {title}",
        "",
        f"{score.messages} labelled messages ({shown(source)}/, never used for training), "
        "scored on the warning-sign and crisis detector (bot/safety). Floors: sensitivity "
        f"{FLOORS['emergency']} for emergency signs and crisis, {FLOORS['same_day']} for same-day signs; "
        f"specificity {FLOORS['specificity']}.",
        "",
        "| sign | urgency | positives | sensitivity | specificity | missed | false alarms |",
        "|---|---|---|---|---|---|---|",
    ]
    for code, rate in score.per_sign.items():
        positives = rate.true_positive + rate.false_negative
        lines.append(
            f"| {code} | {score.urgency[code]} | {positives} | {rate.sensitivity:.3f} "
            f"| {rate.specificity:.3f} | {rate.false_negative} | {rate.false_positive} |"
        )
    crisis = score.crisis
    lines += [
        f"| **crisis** | | {crisis.true_positive + crisis.false_negative} | {crisis.sensitivity:.3f} "
        f"| {crisis.specificity:.3f} | {crisis.false_negative} | {crisis.false_positive} |",
        f"| **any sign** | | {score.any_sign.true_positive + score.any_sign.false_negative} "
        f"| {score.any_sign.sensitivity:.3f} | {score.any_sign.specificity:.3f} "
        f"| {score.any_sign.false_negative} | {score.any_sign.false_positive} |",
        "",
        f"Hard negatives (idioms, denials, other people's history): {score.hard_negatives}; "
        f"false alarms {len(score.hard_negative_alarms)} (rate {score.false_alarm_rate:.3f}); "
        f"answered with a clarifying question instead: {score.questions_on_negatives}.",
    ]
    problems = [
        *(f"- missed `{text}` ({code})" for code, rate in score.per_sign.items() for text in rate.missed),
        *(
            f"- false alarm `{text}` ({code})"
            for code, rate in score.per_sign.items()
            for text in rate.false_alarms
        ),
        *(f"- crisis missed `{text}`" for text in crisis.missed),
        *(f"- crisis false alarm `{text}`" for text in crisis.false_alarms),
    ]
    if problems:
        lines += ["", f"{'#' * (level + 1)} Errors", "", *problems]
    return "\n".join(lines) + "\n"


def language_section(
    language: str, score: CorpusScore, source: Path, outcome: Optional[PipelineOutcome] = None
) -> str:
    """One language's part of eval/clinical.md.

    English opens the report as it always has; every other language follows
    as a section of its own, with the same table and the same floors.
    """
    if language == ENGLISH:
        return report(score, source) + (pipeline_report(outcome) if outcome else "")
    name = LANGUAGE_NAMES.get(language, language)
    return (
        "\n"
        + report(score, source, f"{name} ({language})", level=2)
        + (pipeline_report(outcome, level=3) if outcome else "")
    )


__all__ = [
    "FLOORS",
    "LANGUAGE_NAMES",
    "CorpusScore",
    "LabelledMessage",
    "PipelineOutcome",
    "Rate",
    "language_section",
    "load_corpus",
    "pipeline_outcome",
    "pipeline_report",
    "report",
    "score_corpus",
]
