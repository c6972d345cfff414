"""Scores the trained model on a conversation-quality set.

Realistic messages, never used for training, each labelled with the intent
(or `faq/<topic>`) the bot should recognise and whether it must get urgent
advice. Reported by `make eval`; the floors are a gate in `make test`. The
caller names the set and its floors (the checkout keeps them with the tests).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Set, Tuple

import yaml

from bot.paths import shown
from bot.safety import analyse

# Labels the dialogue answers the same way as another intent.
EQUIVALENT: Dict[str, Set[str]] = {
    "correction": {"inform", "report_pain"},
    "report_pregnancy": {"inform", "report_pain"},
    "report_leg_pain": {"inform", "report_pain"},
    "skip_exercise": {"skip_exercise", "another_exercise"},
    "ask_dose": {"ask_dose", "faq/how_often"},
    "anxious": {"anxious", "faq/is_it_serious", "faq/stress"},
    # "ok" during an exercise is the next step (action_acknowledge); ending the
    # exercise and saying goodbye both stop it.
    "next_step": {"next_step", "affirm"},
    "affirm": {"affirm", "next_step"},
    "stop_exercise": {"stop_exercise", "goodbye"},
}


@dataclass(frozen=True)
class Labelled:
    text: str
    intent: str
    urgent: bool
    context: str


@dataclass
class QualityScore:
    messages: int
    intent_accuracy: float
    retrieval_accuracy: float  # faq messages answered with the right topic
    faq_messages: int
    false_urgent: List[str] = field(default_factory=list)  # urgent advice for a message that needs none
    missed_urgent: List[str] = field(default_factory=list)
    errors: List[Tuple[str, str, str]] = field(default_factory=list)  # text, expected, predicted
    per_label: Dict[str, Tuple[int, int]] = field(default_factory=dict)  # label -> (right, total)

    @property
    def false_urgent_rate(self) -> float:
        return len(self.false_urgent) / self.messages if self.messages else 0.0


def load_set(path: Path) -> List[Labelled]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Labelled(
            str(item["text"]), str(item["intent"]), bool(item.get("urgent")), str(item.get("context", "any"))
        )
        for item in document["messages"]
    ]


def floors(path: Path) -> Dict[str, float]:
    return {key: float(value) for key, value in yaml.safe_load(path.read_text()).items() if key != "note"}


def recognised(parse: dict) -> str:
    """The intent as the dialogue sees it: `faq/<topic>` for a self-care question."""
    intent = (parse.get("intent") or {}).get("name") or ""
    if intent == "faq":
        selector = (parse.get("response_selector") or {}).get("faq") or {}
        return (selector.get("response") or {}).get("intent_response_key") or "faq"
    return intent


def urgent_reply(text: str) -> bool:
    """Whether the bot would give urgent advice or crisis support for this message."""
    found = analyse(text)
    return bool(found.signs or found.crisis)


def score(parses: List[dict], labelled: List[Labelled]) -> QualityScore:
    """Scores `parses`, the model's parse of each of `labelled` in the same order."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    faq_right = faq_total = 0
    result = QualityScore(messages=len(labelled), intent_accuracy=0.0, retrieval_accuracy=0.0, faq_messages=0)
    for item, parse in zip(labelled, parses, strict=True):
        got = recognised(parse)
        urgent = urgent_reply(item.text)
        if urgent and not item.urgent:
            result.false_urgent.append(item.text)
        if item.urgent and not urgent:
            result.missed_urgent.append(item.text)
        ok = item.urgent and urgent or got in EQUIVALENT.get(item.intent, {item.intent})
        total[item.intent] += 1
        right[item.intent] += ok
        if item.intent.startswith("faq/"):
            faq_total += 1
            faq_right += got == item.intent
        if not ok:
            result.errors.append((item.text, item.intent, got))
    result.intent_accuracy = sum(right.values()) / len(labelled) if labelled else 0.0
    result.faq_messages = faq_total
    result.retrieval_accuracy = faq_right / faq_total if faq_total else 0.0
    result.per_label = {label: (right[label], total[label]) for label in sorted(total)}
    return result


def report(result: QualityScore, source: Path) -> str:
    """A markdown report of `result`, scored on the set in `source`."""
    faq_topics = len({label for label in result.per_label if label.startswith("faq/")})
    lines = [
        "# Conversation quality",
        "",
        f"{result.messages} realistic messages ({shown(source)}, never used for training).",
        "",
        f"- intent accuracy: **{result.intent_accuracy:.3f}**",
        f"- self-care questions answered with the right topic: **{result.retrieval_accuracy:.3f}** "
        f"({result.faq_messages} questions, {faq_topics} topics)",
        f"- urgent advice for a message that needs none: **{len(result.false_urgent)}** "
        f"(rate {result.false_urgent_rate:.3f}); urgent messages missed: {len(result.missed_urgent)}",
        "",
        "| label | right | of |",
        "|---|---|---|",
        *(f"| {label} | {good} | {count} |" for label, (good, count) in result.per_label.items()),
    ]
    if result.errors:
        lines += [
            "",
            "Misread:",
            "",
            *(f"- `{text}`: {expected} → {got}" for text, expected, got in result.errors),
        ]
    if result.false_urgent:
        lines += ["", "False urgent:", "", *(f"- `{text}`" for text in result.false_urgent)]
    return "\n".join(lines) + "\n"
