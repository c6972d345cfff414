"""The report as markdown: counts and shares only, never a message or a conversation id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, List, Sequence

from bot.clinical import CUTOFFS
from bot.report import definitions as d
from bot.report.aggregate import OUTCOME_LABELS, OUTCOMES, Totals
from bot.report.charts import FUNNEL_FILE, OUTCOMES_FILE
from bot.report.period import Period
from bot.safety.flags import describe

URGENCY_WORDS = {"emergency": "emergency", "same_day": "same day"}


@dataclass(frozen=True)
class ReportContext:
    period: Period
    generated_at: datetime  # aware, UTC
    store: str  # the kind of store ("SQLite", "PostgreSQL"), never its address


def _count(number: int) -> str:
    return f"{number:,}"


def _conversations(number: int) -> str:
    return f"{number:,} conversation{'' if number == 1 else 's'}"


def _percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], align: str = "") -> List[str]:
    """A markdown table; `align` has one letter per column, "r" for numbers."""
    marks = ["---:" if (align[i : i + 1] == "r") else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(marks) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _turns(totals: Totals) -> str:
    if not totals.conversations:
        return "n/a"
    mean = totals.user_turns / totals.conversations
    return (
        f"mean {mean:.1f}, median {totals.turn_percentile(0.5)}, "
        f"90th percentile {totals.turn_percentile(0.9)}, most {max(totals.turns)}"
    )


def _overview(totals: Totals) -> List[str]:
    n = totals.conversations
    started = totals.conversations_with(d.ASSESSMENT_STARTED)
    staged = totals.conversations_with(d.STAGE_REACHED)
    urgent = totals.conversations_with(d.URGENT_REFERRAL)
    with_exercise = totals.conversations_with(d.EXERCISE_STARTED)
    fell_back = totals.conversations_with(d.FALLBACK)
    rows = [
        ("Conversations", _count(n)),
        ("Conversation ids (chats)", _count(totals.chats)),
        ("Messages from people", _count(totals.user_turns)),
        ("Messages per conversation", _turns(totals)),
        ("Assessments started", f"{_count(started)} ({_percent(started, n)} of conversations)"),
        ("Stage reached", f"{_count(staged)} ({_percent(staged, n)} of conversations)"),
        (
            "Urgent referrals",
            f"{_count(urgent)} ({_percent(urgent, n)} of conversations); "
            f"{_count(totals.new_referrals)} for a warning sign raised in the conversation",
        ),
        ("Crisis support", _count(totals.conversations_with(d.CRISIS_SUPPORT))),
        (
            "Exercises started / completed",
            f"{_count(totals.exercises_started)} / {_count(totals.exercises_completed)} "
            f"({_percent(totals.exercises_completed, totals.exercises_started)} completed), "
            f"in {_conversations(with_exercise)}",
        ),
        (
            '"It hurts" rate',
            f"{_percent(totals.it_hurts, totals.exercises_started)} of exercises started "
            f"({_count(totals.it_hurts)}), in {_conversations(totals.conversations_with(d.IT_HURTS))}",
        ),
        (
            "Fallback rate",
            f"{_percent(totals.fallback_turns, totals.user_turns)} of messages "
            f"({_count(totals.fallback_turns)}); "
            f"{_conversations(fell_back)} ({_percent(fell_back, n)}) had at least one",
        ),
    ]
    return ["## Overview", "", *_table(("Figure", "Value"), rows)]


def _funnel(totals: Totals) -> List[str]:
    steps = totals.funnel()
    started = steps[0].reached
    rows = [
        (step.label, _count(step.reached), _percent(step.reached, started), _count(step.stopped))
        for step in steps
    ]
    return [
        "## Assessment funnel",
        "",
        f"![How far the assessment got]({FUNNEL_FILE})",
        "",
        *_table(("Step", "Reached", "Of those that started", "Stopped here"), rows, "lrrr"),
        "",
        "Each conversation that started the assessment counts at the furthest step it reached: a "
        "warning sign ends the assessment early, straight at the urgent stage, and a returning "
        "person's duration and leg pain are already known. Stopping at the stage is the end of the "
        "assessment.",
    ]


def _outcomes(totals: Totals) -> List[str]:
    rows = [
        (
            OUTCOME_LABELS[name],
            _count(totals.outcomes[name]),
            _percent(totals.outcomes[name], totals.conversations),
        )
        for name in OUTCOMES
    ]
    return [
        "## Stage reached",
        "",
        f"![Stage reached]({OUTCOMES_FILE})",
        "",
        *_table(("Stage (the last of each conversation)", "Conversations", "Share"), rows, "lrr"),
    ]


def _signs(totals: Totals) -> List[str]:
    lines = ["## Urgent referrals by sign", ""]
    codes = totals.signs()
    if not codes:
        return [*lines, "No urgent referral in this period."]
    rows = []
    for code in codes:
        flag = describe(code)
        rows.append(
            (
                flag.name,
                f"`{code}`",
                URGENCY_WORDS.get(flag.urgency, flag.urgency),
                _count(totals.new_signs[code]),
                _count(totals.remembered_signs[code]),
            )
        )
    by_urgency = ", ".join(
        f"{URGENCY_WORDS.get(urgency, urgency)} {_count(totals.urgencies[urgency])}"
        for urgency in (*d.URGENCIES, *sorted(set(totals.urgencies) - set(d.URGENCIES)))
        if totals.urgencies[urgency]
    )
    return [
        *lines,
        *_table(
            ("Sign", "Code", "Urgency", "Raised in the conversation", "Remembered from before"), rows, "lllrr"
        ),
        "",
        f"Conversations by the most urgent advice given: {by_urgency}. A conversation can name several "
        'signs. "Remembered from before": a sign reported in an earlier conversation (within '
        f"{CUTOFFS.warning_sign_memory_days:g} days, until a doctor has checked the person), repeated when "
        "the next one starts.",
    ]


def _turn_table(totals: Totals) -> List[str]:
    rows = [
        (label, _count(count), _percent(count, totals.conversations)) for label, count in totals.turn_bands()
    ]
    return [
        "## Messages per conversation",
        "",
        *_table(("Messages from the person", "Conversations", "Share"), rows, "lrr"),
    ]


def _markers(totals: Totals) -> List[str]:
    rows = []
    for marker in d.MARKER_DEFINITIONS:
        count = totals.conversations_with(marker.name)
        rows.append(
            (
                f"`{marker.name}`" + ("" if marker.exact else " *"),
                marker.label,
                _count(count),
                _percent(count, totals.conversations),
            )
        )
    return [
        "## Markers",
        "",
        "The key events are Rasa markers in `markers.yml`; `rasa evaluate markers` counts the sessions "
        "where each applied (`number_of_sessions_where_marker_applied_at_least_once`) over the whole "
        "store, this report over the conversations of the period.",
        "",
        *_table(("Marker", "Event", "Conversations", "Share"), rows, "llrr"),
        "",
        "\\* Completed means the \"next\" after an exercise's last step. Rasa's marker cannot read slot "
        'values and also marks an exercise stopped after a "next": it counts at least as many.',
    ]


def render(totals: Totals, context: ReportContext) -> str:
    period = context.period
    intro = [
        f"# BackCare operator's report: {period.since} to {period.until}",
        "",
        f"Conversations that started from {period.since} to {period.until} ({period.days} days, UTC), "
        f"read from the {context.store} tracker store on {context.generated_at:%Y-%m-%d %H:%M} UTC. "
        "A conversation is one Rasa session (a chat starts a new one after a pause: "
        "`session_expiration_time` in domain.yml) in which the person wrote at least one message"
        + (
            f"; {_count(totals.silent_sessions)} session{'' if totals.silent_sessions == 1 else 's'} "
            "without one (an unanswered reminder) left out"
            if totals.silent_sessions
            else ""
        )
        + ". This report holds counts only: no message text and no conversation ids.",
    ]
    sections = [
        intro,
        _overview(totals),
        _funnel(totals),
        _outcomes(totals),
        _signs(totals),
        _turn_table(totals),
        _markers(totals),
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"
