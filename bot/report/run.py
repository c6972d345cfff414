"""`backcare report`: read the store once, add up each conversation, write markdown and charts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Optional

from sqlalchemy.exc import SQLAlchemyError

from bot.report.aggregate import Totals
from bot.report.charts import funnel_chart, outcomes_chart
from bot.report.markdown import ReportContext, render
from bot.report.period import TAIL_SECONDS, Period
from bot.report.sessions import conversations
from bot.report.store import (
    TrackerStoreError,
    count_events,
    dialect_name,
    open_store,
    progress_bar,
    read_events,
    show_progress,
    shown_url,
    with_progress,
)

REPORT_FILE = "report.md"


@dataclass(frozen=True)
class ReportFiles:
    markdown: Path
    funnel: Path
    outcomes: Path
    totals: Totals


def read_totals(url: str, period: Period, progress: Optional[bool] = None) -> Totals:
    """The figures of the conversations that started in `period`, read in one pass over the store."""
    engine = open_store(url)
    start, end = period.start, period.end + TAIL_SECONDS
    totals = Totals()
    show = show_progress(progress)
    try:
        total = count_events(engine, start, end) if show else 0
        with progress_bar(total, show) as bar:
            for facts in conversations(with_progress(read_events(engine, start, end), bar)):
                if period.contains(facts.started_at):
                    totals.add(facts)
    except SQLAlchemyError as error:
        raise TrackerStoreError(f"cannot read {shown_url(url)} ({error.__class__.__name__})") from error
    finally:
        engine.dispose()
    return totals


def write_report(
    url: str, period: Period, out_dir: Path, generated_at: datetime, progress: Optional[bool] = None
) -> ReportFiles:
    """Writes `report.md`, `funnel.png` and `outcomes.png` into `out_dir`."""
    totals = read_totals(url, period, progress)
    out_dir.mkdir(parents=True, exist_ok=True)
    context = ReportContext(period=period, generated_at=generated_at, store=dialect_name(url))
    markdown = out_dir / REPORT_FILE
    markdown.write_text(render(totals, context), encoding="utf-8")
    return ReportFiles(markdown, funnel_chart(totals, out_dir), outcomes_chart(totals, out_dir), totals)
