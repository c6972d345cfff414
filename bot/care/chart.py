"""A person's daily pain scores as a PNG chart (about 640 x 360 pixels).

Drawn with matplotlib's object API on the Agg canvas, never with pyplot: the
page server renders charts in worker threads, and pyplot's global figure
state is not thread-safe. Its texts, dates included, are in the person's
language (data/summary.yml); matplotlib's DejaVu Sans has every letter they use.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import List, Optional, Sequence, Tuple

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import date2num
from matplotlib.figure import Figure

from bot.care.wording import Wording, wording

WIDTH_INCHES, HEIGHT_INCHES, DPI = 6.4, 3.6, 100  # 640 x 360 pixels
PAIN_MIN, PAIN_MAX = 0, 10
MAX_DATE_LABELS = 7  # more would overlap at this width
LINE_COLOUR = "#1f5f8b"  # the chat page's blue


def _label_days(days: Sequence[date]) -> List[date]:
    """The days that get a date label: the first, the last, and others far enough
    apart that labels never overlap (the axis shows at most MAX_DATE_LABELS)."""
    if not days:
        return []
    # The axis spans the days plus one on either side.
    min_gap = max(1.0, ((days[-1] - days[0]).days + 2) / MAX_DATE_LABELS)
    labels = [days[0]]
    for day in days[1:]:
        if (day - labels[-1]).days >= min_gap:
            labels.append(day)
    if labels[-1] != days[-1]:
        if len(labels) > 1 and (days[-1] - labels[-1]).days < min_gap:
            labels.pop()
        labels.append(days[-1])
    return labels


def draw_chart(scores: Sequence[Tuple[date, int]], words: Optional[Wording] = None) -> Figure:
    """The chart of `scores` (day, pain 0-10), oldest first, in the texts of `words`; empty without scores."""
    words = words or wording()
    days = [day for day, _ in scores]
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    if scores:
        axes.plot(
            [date2num(day) for day in days],
            [score for _, score in scores],
            color=LINE_COLOUR,
            marker="o",
            linewidth=2,
            markersize=6,
        )
        # A single day still gets a readable axis: one day either side.
        first, last = min(days) - timedelta(days=1), max(days) + timedelta(days=1)
        axes.set_xlim(date2num(first), date2num(last))
        shown = _label_days(days)
        axes.set_xticks([date2num(day) for day in shown])
        axes.set_xticklabels([words.short_date(day) for day in shown])
    axes.set_ylim(PAIN_MIN - 0.5, PAIN_MAX + 0.5)
    axes.set_yticks(range(PAIN_MIN, PAIN_MAX + 1, 2))
    axes.grid(True, color="#d5dee6", linewidth=0.8)
    axes.set_title(words.say("chart.title"))
    axes.set_xlabel(words.say("chart.x_label"))
    axes.set_ylabel(words.say("chart.y_label"))
    figure.tight_layout()
    return figure


def render_chart(scores: Sequence[Tuple[date, int]], words: Optional[Wording] = None) -> bytes:
    """A PNG of `scores` (day, pain 0-10), oldest first; an empty chart without scores."""
    figure = draw_chart(scores, words)
    output = io.BytesIO()
    figure.savefig(output, format="png", dpi=DPI)
    return output.getvalue()
