"""The summary a person can show their doctor or physiotherapist: text for the chat, one PDF page.

It says what the person told BackCare, never more: the first day of this
episode, their daily pain scores and how they went, their answers about
warning signs, the stage and advice BackCare gave, and which exercises they
did, tolerated or stopped because they hurt. Days are the person's own (their
time zone when BackCare knows it, else UTC). It is written in the person's
language: every text comes from that language's block of data/summary.yml
(`bot.care.wording`), and the caller names exercises and warning signs in it
(`exercise_names`, `warning_sign_names`). The PDF layout is bot/care/summary_pdf.py.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime, timezone, tzinfo
from typing import Callable, Iterable, List, Mapping, Optional, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.care.chart import render_chart
from bot.care.records import NONE_REPORTED, REPORTED, CareHistory, PainEntry
from bot.care.summary_pdf import Section, summary_pdf
from bot.care.trend import Trend, daily_scores, pain_trend
from bot.care.wording import Wording, wording
from bot.safety import flags

COMPLETED, HURT = "completed", "hurt"  # ExerciseEvent kinds the summary reads
BELOW_KNEE = "below_knee"
URGENT = "urgent"


@dataclass(frozen=True)
class SignEntry:
    """One warning sign the person reported, and when they said a doctor had checked it."""

    name: str
    reported_on: date
    cleared_on: Optional[date]


@dataclass(frozen=True)
class Summary:
    """What the summary says, as data; `text()` and `pdf()` write it out."""

    made_on: date
    made_at: datetime
    episode_started_on: Optional[date]
    stage: Optional[str]
    leg_pain: Optional[str]
    scores: Tuple[Tuple[date, int], ...]
    trend: Optional[Trend]
    no_signs_on: Tuple[date, ...]  # check-ins that answered "no warning signs"
    signs_reported_on: Tuple[date, ...]  # check-ins that answered "yes"
    signs: Tuple[SignEntry, ...]
    plan_week: int
    plan_note: Optional[str]
    exercises_done: Tuple[str, ...]
    exercises_tolerated: Tuple[str, ...]
    exercises_stopped: Tuple[str, ...]
    words: Wording = field(default_factory=wording, compare=False, repr=False)

    def _say(self, key: str, **values: object) -> str:
        return self.words.say("summary." + key, **values)

    def _episode(self) -> Section:
        words = self.words
        lines = [
            self._say("episode_started", date=words.long_date(self.episode_started_on))
            if self.episode_started_on
            else self._say("episode_unknown"),
            self._say("stage", stage=self._say(f"stages.{self.stage}"))
            if self.stage and words.has(f"summary.stages.{self.stage}")
            else self._say("stage_unknown"),
        ]
        if self.leg_pain and words.has(f"summary.leg_pain_places.{self.leg_pain}"):
            lines.append(self._say("leg_pain", where=self._say(f"leg_pain_places.{self.leg_pain}")))
        return Section(self._say("episode_heading"), tuple(lines))

    def _pain(self, chart: Optional[bytes]) -> Section:
        if not self.scores:
            return Section(self._say("pain_heading"), (self._say("pain_none"),))
        days = self._say("pain_separator").join(
            self._say("pain_day", date=self.words.short_date(day), score=score) for day, score in self.scores
        )
        lines = [days]
        if self.trend is not None:
            key = "trend_one_day" if self.trend.days == 1 else "trend"
            direction = self._say(f"directions.{self.trend.direction.value}")
            lines.append(
                self._say(
                    key,
                    first=self.trend.first,
                    last=self.trend.last,
                    days=self.trend.days,
                    direction=direction,
                )
            )
        return Section(self._say("pain_heading"), tuple(lines), chart)

    def _signs(self) -> Section:
        lines = []
        if self.no_signs_on:
            lines.append(self._say("answered_none", dates=self.words.day_list(self.no_signs_on)))
        if self.signs_reported_on:
            lines.append(self._say("answered_reported", dates=self.words.day_list(self.signs_reported_on)))
        for sign in self.signs:
            name = sign.name[:1].upper() + sign.name[1:]  # the table's names start in lower case
            reported = self.words.long_date(sign.reported_on)
            if sign.cleared_on is None:
                lines.append(self._say("sign_open", name=name, reported=reported))
            else:
                cleared = self.words.long_date(sign.cleared_on)
                lines.append(self._say("sign_cleared", name=name, reported=reported, cleared=cleared))
        return Section(self._say("signs_heading"), tuple(lines or [self._say("signs_none")]))

    def _advice(self) -> Optional[Section]:
        lines = []
        if self.stage and self.words.has(f"summary.stage_advice.{self.stage}"):
            lines.append(self._say(f"stage_advice.{self.stage}"))
        if self.leg_pain == BELOW_KNEE:
            lines.append(self._say("below_knee_advice"))
        if self.trend is not None and self.words.has(f"summary.trend_advice.{self.trend.advice}"):
            lines.append(self._say(f"trend_advice.{self.trend.advice}"))
        if self.stage and self.stage != URGENT:
            if self.plan_note:
                note_key = f"plan_notes.{self.plan_note}"
                note = self._say(note_key) if self.words.has(f"summary.{note_key}") else self.plan_note
                lines.append(self._say("plan_with_note", week=self.plan_week, note=note))
            else:
                lines.append(self._say("plan", week=self.plan_week))
        return Section(self._say("advice_heading"), tuple(lines)) if lines else None

    def _exercises(self) -> Section:
        separator = self._say("names_separator")
        lines = [
            self._say(key, names=separator.join(names))
            for key, names in (
                ("exercises_done", self.exercises_done),
                ("exercises_tolerated", self.exercises_tolerated),
                ("exercises_stopped", self.exercises_stopped),
            )
            if names
        ]
        return Section(self._say("exercises_heading"), tuple(lines or [self._say("exercises_none")]))

    def sections(self, chart: Optional[bytes] = None) -> List[Section]:
        """The summary's parts in order; `chart` (a PNG) goes with the pain scores."""
        parts = [self._episode(), self._pain(chart), self._signs(), self._advice(), self._exercises()]
        return [part for part in parts if part is not None]

    def title(self) -> str:
        return self._say("title")

    def made_on_line(self) -> str:
        return self._say("made_on", date=self.words.long_date(self.made_on))

    def disclaimer(self) -> str:
        return self._say("disclaimer")

    def text(self) -> str:
        """Plain text for the chat: title, disclaimer, then each section under its heading."""
        blocks = [f"{self.title()}\n{self.made_on_line()}", self.disclaimer()]
        blocks += ["\n".join([section.heading, *section.lines]) for section in self.sections()]
        return "\n\n".join(blocks) + "\n"

    def pdf(self, compress: bool = True) -> bytes:
        """One A4 page with the chart; `compress=False` leaves the text readable in the file (tests)."""
        chart = render_chart(self.scores, self.words) if self.scores else None
        return summary_pdf(
            title=self.title(),
            made_on=self.made_on_line(),
            disclaimer=self.disclaimer(),
            sections=self.sections(chart),
            created_at=self.made_at,
            compress=compress,
            language=self.words.language,
        )


def person_zone(history: CareHistory) -> tzinfo:
    """The person's time zone, or UTC when BackCare does not know it (or cannot read it)."""
    if not history.time_zone:
        return timezone.utc
    try:
        return ZoneInfo(history.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def local_check_ins(history: CareHistory) -> List[PainEntry]:
    """The person's check-ins with times in their own time zone, so days are their days."""
    zone = person_zone(history)
    return [dataclasses.replace(entry, at=entry.at.astimezone(zone)) for entry in history.check_ins]


def local_daily_scores(history: CareHistory) -> List[Tuple[date, int]]:
    """One pain score per day of the person's (the last of the day), oldest first: what the chart shows."""
    return daily_scores(local_check_ins(history))


def warning_sign_names(language: str) -> Callable[[str], str]:
    """Names a warning-sign code in `language` as data/red_flags.yml words it (else in English)."""

    def name(code: str) -> str:
        return flags.describe(code, language=language).name

    return name


def _unique(items: Iterable[str]) -> List[str]:
    """`items` without repeats, in the order they first came."""
    return list(dict.fromkeys(items))


def build_summary(
    history: CareHistory,
    now: datetime,
    exercise_names: Mapping[str, str],
    sign_name: Callable[[str], str],
    words: Optional[Wording] = None,
) -> Summary:
    """The summary of `history` as of `now`.

    `exercise_names` maps slugs to the names people know (an exercise no longer
    in the database keeps its slug, made readable); `sign_name` names a
    warning-sign code (`bot.safety.flags.describe(code).name`).
    """
    zone = person_zone(history)
    check_ins = local_check_ins(history)

    def day(moment: datetime) -> date:
        return moment.astimezone(zone).date()

    def exercise(slug: str) -> str:
        return exercise_names.get(slug) or slug.replace("_", " ").replace("-", " ").capitalize()

    def answered(answer: str) -> Tuple[date, ...]:
        return tuple(sorted({entry.at.date() for entry in check_ins if entry.warning_signs == answer}))

    done = _unique(event.slug for event in history.exercises if event.kind == COMPLETED)
    hurt = _unique(event.slug for event in history.exercises if event.kind == HURT)
    return Summary(
        made_on=day(now),
        made_at=now,
        episode_started_on=day(history.episode_started_at) if history.episode_started_at else None,
        stage=history.stage,
        leg_pain=history.leg_pain,
        scores=tuple(daily_scores(check_ins)),
        trend=pain_trend(check_ins, history.episode_started_at, now),
        no_signs_on=answered(NONE_REPORTED),
        signs_reported_on=answered(REPORTED),
        signs=tuple(
            SignEntry(sign_name(sign.code), day(sign.at), day(sign.cleared_at) if sign.cleared_at else None)
            for sign in history.warning_signs
        ),
        plan_week=history.plan_week,
        plan_note=history.plan_note,
        exercises_done=tuple(exercise(slug) for slug in done),
        exercises_tolerated=tuple(exercise(slug) for slug in done if slug not in hurt),
        exercises_stopped=tuple(exercise(slug) for slug in hurt),
        words=words or wording(),
    )
