"""Triage and the clinical cut-offs (PRODUCT.md, "Clinical rules")."""

from __future__ import annotations

import pytest

from bot.clinical import ClinicalCutoffs, Triage, duration_band, pain_band, triage


@pytest.mark.parametrize(
    ("level", "band"),
    [(0, "none"), (1, "mild"), (3, "mild"), (3.5, "moderate"), (4, "moderate"), (6, "moderate"), (6.5, "severe"), (7, "severe"), (10, "severe")],
)
def test_pain_bands(level: float, band: str) -> None:
    assert pain_band(level) == band


@pytest.mark.parametrize(
    ("weeks", "band"),
    [(0, "acute"), (5.9, "acute"), (6, "subacute"), (11.9, "subacute"), (12, "chronic"), (104, "chronic")],
)
def test_duration_bands(weeks: float, band: str) -> None:
    assert duration_band(weeks) == band


@pytest.mark.parametrize(
    ("pain", "weeks", "flags", "expected"),
    [
        (1, 1, ["fever"], Triage.URGENT),  # a red flag wins whatever the pain
        (None, None, ["saddle_numbness"], Triage.URGENT),
        (9, 12, [], Triage.CHRONIC),  # chronic comes before acute
        (2, 30, [], Triage.CHRONIC),
        (None, 12, [], Triage.CHRONIC),
        (4, 11.9, [], Triage.ACUTE),
        (7, 0, [], Triage.ACUTE),
        (3, 0.5, [], Triage.RECOVERY),
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
