"""The doctor's summary: its text against a golden file, the same text in a one-page A4 PDF, and its rules."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from bot.care.records import CareHistory, PainEntry
from bot.care.summary import Summary, build_summary, local_daily_scores
from bot.care.wording import load_texts
from bot.safety import flags
from support.pdf_text import pdf_text
from tests.care.histories import HISTORY, NOW, at

GOLDEN_TEXT = Path(__file__).parent / "golden" / "summary.txt"
EXERCISE_NAMES = {"pelvic_tilt_lying": "Pelvic tilt lying down", "cat_camel": "Cat-camel"}
# Fixed names, so the golden file does not change with the wording of data/red_flags.yml.
SIGN_NAMES = {"night_pain": "night pain", "fever": "fever"}
A4_POINTS = "595.28 841.89"


def summary_of(history: CareHistory = HISTORY) -> Summary:
    return build_summary(history, NOW, EXERCISE_NAMES, SIGN_NAMES.__getitem__)


def test_the_text_is_the_golden_file() -> None:
    assert summary_of().text() == GOLDEN_TEXT.read_text(encoding="utf-8")


def test_the_pdf_holds_the_same_text_on_one_a4_page() -> None:
    summary = summary_of()
    shown = " ".join(pdf_text(summary.pdf(compress=False)))
    assert shown == " ".join(GOLDEN_TEXT.read_text(encoding="utf-8").split())
    pdf = summary.pdf()
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 1
    assert f"/MediaBox [0 0 {A4_POINTS}]".encode() in pdf
    # The chart is embedded at the size it was drawn.
    assert re.search(rb"/Subtype /Image", pdf) and b"/Width 640" in pdf and b"/Height 360" in pdf


def test_days_are_the_persons_own() -> None:
    days = [day.isoformat() for day, _ in local_daily_scores(HISTORY)]
    assert days == ["2026-03-03", "2026-03-04", "2026-03-07", "2026-03-08", "2026-03-10"]
    in_utc = dataclasses.replace(HISTORY, time_zone=None)
    assert "2026-03-06" in [day.isoformat() for day, _ in local_daily_scores(in_utc)]
    unknown_zone = dataclasses.replace(HISTORY, time_zone="Mars/Olympus_Mons")
    assert local_daily_scores(unknown_zone) == local_daily_scores(in_utc)


def test_exercises_done_tolerated_and_stopped() -> None:
    summary = summary_of()
    assert summary.exercises_done == ("Pelvic tilt lying down", "Cat-camel", "Knee to chest")
    assert summary.exercises_tolerated == ("Pelvic tilt lying down", "Knee to chest")
    assert summary.exercises_stopped == ("Cat-camel",)


def test_a_first_visit_has_no_trend_and_no_chart() -> None:
    first = dataclasses.replace(
        HISTORY,
        episode_started_at=None,
        stage=None,
        leg_pain=None,
        check_ins=(PainEntry(at(3), 7, "none", "assessment"),),
        exercises=(),
        warning_signs=(),
    )
    summary = summary_of(first)
    assert summary.trend is None
    text = summary.text()
    assert "3 Mar: 7\n" in text and "→" not in text
    assert "First day of this episode: not recorded." in text
    assert "No exercises recorded." in text
    assert "Advice BackCare gave" not in text  # no stage, no advice
    assert b"/Subtype /Image" in summary.pdf()


def test_nothing_recorded_still_makes_a_page_without_a_chart() -> None:
    empty = dataclasses.replace(HISTORY, check_ins=(), exercises=(), warning_signs=(), stage=None)
    summary = summary_of(empty)
    assert "No pain scores recorded." in summary.text()
    assert "No warning-sign answers recorded." in summary.text()
    pdf = summary.pdf()
    assert b"/Subtype /Image" not in pdf and len(re.findall(rb"/Type /Page\b", pdf)) == 1


def test_urgent_advice_offers_no_exercise_plan() -> None:
    text = summary_of(dataclasses.replace(HISTORY, stage="urgent")).text()
    assert "Seek medical care" in text and "Exercise plan" not in text


def test_real_warning_sign_names_and_unknown_exercises_read_well() -> None:
    summary = build_summary(HISTORY, NOW, {}, lambda code: flags.describe(code).name)
    assert summary.signs[0].name == flags.describe("night_pain").name
    assert summary.exercises_stopped == ("Cat camel",)  # no longer in the database: its slug, readable


def test_every_language_block_has_the_english_texts() -> None:
    """A translation added later must say everything the English block says."""

    def keys(block: object, prefix: str = "") -> set:
        if not isinstance(block, dict):
            return {prefix}
        return set().union(*(keys(value, f"{prefix}.{key}") for key, value in block.items()))

    texts = load_texts()
    for language, block in texts.items():
        assert keys(block) == keys(texts["en"]), language
