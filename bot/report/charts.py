"""The report's two charts as PNG files: the assessment funnel, and the conversations' outcomes.

Drawn with matplotlib's object API on the Agg canvas (no display, no pyplot
global state), like the pain chart of bot/care/chart.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence, Tuple

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.report.aggregate import OUTCOME_LABELS, OUTCOMES, Totals

WIDTH_INCHES, DPI = 8.0, 100
BAR_COLOUR = "#1f5f8b"  # the chat page's blue
URGENT_COLOUR = "#b03a2e"
MUTED_COLOUR = "#9aa5ad"
FUNNEL_FILE, OUTCOMES_FILE = "funnel.png", "outcomes.png"


def _share(count: int, whole: int) -> str:
    return f"{count} ({100 * count / whole:.0f}%)" if whole else str(count)


def _bar_chart(
    title: str, rows: Sequence[Tuple[str, int, str]], whole: int, empty_note: str, path: Path
) -> Path:
    """Horizontal bars, first row on top, each labelled with its count and share of `whole`."""
    figure = Figure(figsize=(WIDTH_INCHES, 1.2 + 0.45 * max(len(rows), 2)), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = [label for label, _, _ in rows]
    counts = [count for _, count, _ in rows]
    positions = list(range(len(rows)))[::-1]
    axes.barh(positions, counts, color=[colour for _, _, colour in rows], height=0.6)
    axes.set_yticks(positions)
    axes.set_yticklabels(labels)
    top = max(counts, default=0)
    axes.set_xlim(0, max(top, 1) * 1.25)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    for position, count in zip(positions, counts, strict=True):
        axes.text(count + max(top, 1) * 0.01, position, _share(count, whole), va="center", fontsize=9)
    axes.set_title(title, fontsize=11, loc="left")
    axes.set_xlabel("conversations")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if not whole:
        axes.text(0.5, 0.5, empty_note, transform=axes.transAxes, ha="center", va="center", color="#555555")
    figure.tight_layout()
    figure.savefig(path, format="png")
    return path


def funnel_chart(totals: Totals, out_dir: Path) -> Path:
    steps = totals.funnel()
    started = steps[0].reached if steps else 0
    rows = [(step.label, step.reached, BAR_COLOUR) for step in steps]
    return _bar_chart(
        "Assessment: how far conversations got (share of those that started it)",
        rows,
        started,
        "No assessment started in this period",
        out_dir / FUNNEL_FILE,
    )


def outcomes_chart(totals: Totals, out_dir: Path) -> Path:
    colours = {"urgent": URGENT_COLOUR, "assessment_unfinished": MUTED_COLOUR, "no_assessment": MUTED_COLOUR}
    rows = [
        (OUTCOME_LABELS[name], int(totals.outcomes[name]), colours.get(name, BAR_COLOUR)) for name in OUTCOMES
    ]
    return _bar_chart(
        "Stage reached (the last one of each conversation)",
        rows,
        totals.conversations,
        "No conversations in this period",
        out_dir / OUTCOMES_FILE,
    )
