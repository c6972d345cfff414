"""markers.yml: Rasa's parser reads it, it says what the report counts, and Rasa's evaluation agrees."""

from __future__ import annotations

import asyncio
import csv
from datetime import date
from pathlib import Path
from typing import Dict

import pytest
import yaml
from rasa.core.evaluation.marker_base import Marker
from rasa.core.evaluation.marker_tracker_loader import MarkerTrackerLoader
from rasa.core.tracker_store import SQLTrackerStore

from bot import paths
from bot.report import definitions
from bot.report.period import Period
from bot.report.run import read_totals
from tests.report.conftest import DOMAIN, Script, at, conversations, full_assessment, write_conversations

MARKERS_FILE = paths.PROJECT_ROOT / "markers.yml"
APPLIED = "number_of_sessions_where_marker_applied_at_least_once"


def test_rasa_reads_the_markers_and_finds_every_name_in_the_domain() -> None:
    markers = Marker.from_path(MARKERS_FILE)
    assert [str(marker) for marker in markers.sub_markers] == [m.name for m in definitions.MARKER_DEFINITIONS]
    assert markers.validate_against_domain(DOMAIN)


def test_the_markers_file_says_what_the_report_counts() -> None:
    configured = yaml.safe_load(MARKERS_FILE.read_text())
    for name, config in configured.items():
        assert config.pop("description"), f"{name} has no description"
        assert config == definitions.MARKERS[name].condition, name
    assert set(configured) == set(definitions.MARKERS)
    assert set(definitions.FUNNEL) <= set(definitions.MARKERS)


def test_the_markers_are_not_training_data() -> None:
    assert not list((paths.PROJECT_ROOT / "data").rglob("markers*.yml"))


def rasa_marker_counts(url: str, out_dir: Path) -> Dict[str, int]:
    """What `rasa evaluate markers all --config markers.yml` writes to its overall statistics file."""
    store = SQLTrackerStore(DOMAIN, host=url)
    stats = out_dir / "stats-overall.csv"
    try:
        markers = Marker.from_path(MARKERS_FILE)
        loader = MarkerTrackerLoader(store, "all")
        asyncio.run(
            markers.evaluate_trackers(loader.load(), out_dir / "markers.csv", overall_stats_file=stats)
        )
    finally:
        store.engine.dispose()
    with stats.open() as file:
        rows = list(csv.DictReader(file))
    counts = {row["marker"]: int(float(row["value"])) for row in rows if row["statistic"] == APPLIED}
    counts["sessions"] = next(
        int(float(row["value"])) for row in rows if row["statistic"] == "total_number_of_sessions"
    )
    return counts


def test_rasas_marker_evaluation_counts_what_the_report_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RASA_TELEMETRY_ENABLED", "false")  # Rasa's own switch; nothing leaves the machine
    # The conversations of March whose sessions all lie in March and have messages: Rasa counts every session.
    keep = {"telegram:4815162342", "web:anna-7f3a9c-secret-session", "rest-bob-0042"}
    scripts = {sender: script for sender, script in conversations().items() if sender in keep}
    # And one exercise stopped after a "next": not completed, though Rasa's marker cannot tell.
    stopped = Script().session(at(25, 7)).says("my back hurts a lot this morning, 5 of 10", "report_pain")
    full_assessment(stopped, "acute", 5.0, 0.1, "pelvic_tilt_seated")
    stopped.says("next", "next_step").bot("action_next_step", ("current_step", 2.0))
    stopped.says("stop, I have to go to work", "stop_exercise").bot(
        "action_stop_exercise", ("current_exercise", None), ("current_step", None)
    )
    scripts["rest-dora-5"] = stopped
    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    write_conversations(url, scripts)

    rasa = rasa_marker_counts(url, tmp_path)
    report = read_totals(url, Period(date(2025, 3, 1), date(2025, 3, 31)), progress=False)

    assert rasa["sessions"] == report.conversations == 6
    for marker in definitions.MARKER_DEFINITIONS:
        ours = report.conversations_with(marker.name)
        if marker.exact:
            assert rasa[marker.name] == ours, marker.name
        else:
            assert rasa[marker.name] >= ours, marker.name
    assert report.conversations_with(definitions.IT_HURTS) == 1 and report.conversations_with("fallback") == 2
    assert report.conversations_with(definitions.EXERCISE_COMPLETED) == 1
    assert rasa[definitions.EXERCISE_COMPLETED] == 2  # the stopped exercise too: an upper bound
