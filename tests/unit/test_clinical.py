"""Triage and the clinical cut-offs (docs/clinical-rules.md)."""

from __future__ import annotations

import pytest

from bot.clinical import ClinicalCutoffs, Triage, needs_gp_for_age, pain_band, triage


@pytest.mark.parametrize(
    ("level", "band"),
    [
        (0, "none"),
        (1, "mild"),
        (3, "mild"),
        (3.5, "moderate"),
        (4, "moderate"),
        (6, "moderate"),
        (6.5, "severe"),
        (7, "severe"),
        (10, "severe"),
    ],
)
def test_pain_bands(level: float, band: str) -> None:
    assert pain_band(level) == band


@pytest.mark.parametrize(
    ("pain", "weeks", "flags", "expected"),
    [
        (1, 1, ["fever"], Triage.URGENT),  # a red flag wins whatever the pain
        (None, None, ["saddle_numbness"], Triage.URGENT),
        (9, 12, [], Triage.CHRONIC),  # chronic comes before acute
        (2, 30, [], Triage.CHRONIC),
        (None, 12, [], Triage.CHRONIC),
        (4, 5.9, [], Triage.ACUTE),
        (7, 0, [], Triage.ACUTE),
        (4, 6, [], Triage.SUBACUTE),  # NICE NG59: 6 to 12 weeks is no longer acute
        (9, 11.9, [], Triage.SUBACUTE),
        (3, 0.5, [], Triage.RECOVERY),
        (3, 0, [], Triage.RECOVERY),  # mild pain that started today: the mild-pain advice
        (0, 8, [], Triage.RECOVERY),
        (8, None, [], None),
        (None, 2, [], None),
    ],
)
def test_triage_order(pain, weeks, flags, expected) -> None:
    assert triage(pain, weeks, flags) == expected


def test_cutoffs_are_configurable_in_one_place() -> None:
    stricter = ClinicalCutoffs(acute_pain_from=6, chronic_from_weeks=8)
    assert triage(5, 2, [], stricter) is Triage.RECOVERY
    assert triage(5, 9, [], stricter) is Triage.CHRONIC
    assert triage(5, 2, []) is Triage.ACUTE


@pytest.mark.parametrize(
    ("age", "expected"), [(None, False), (19, True), (20, False), (50, False), (51, True)]
)
def test_a_first_episode_under_20_or_over_50_is_worth_a_gp_visit(age, expected) -> None:
    assert needs_gp_for_age(age) is expected
