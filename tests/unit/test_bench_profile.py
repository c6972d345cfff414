"""The profile summary reads py-spy's folded stacks correctly."""

from __future__ import annotations

import pytest

from bench.profile import shares

STACKS = [
    "main (rasa/__main__.py:10);handle_message (rasa/core/processor.py:5);"
    "parse_message (rasa/core/processor.py:7);process (rasa/nlu/classifiers/diet_classifier.py:9) 6",
    "main (rasa/__main__.py:10);handle_message (rasa/core/processor.py:5);"
    "save (rasa/core/tracker_store.py:3) 3",
    "main (rasa/__main__.py:10);idle (asyncio/base_events.py:1) 1",
    "not a stack line",
]


def test_inclusive_shares_per_part() -> None:
    result = shares(STACKS)
    assert result["NLU (parse_message)"] == pytest.approx(0.6)
    assert result["  DIET"] == pytest.approx(0.6)
    assert result["tracker store: save"] == pytest.approx(0.3)
    assert result["policies (next action)"] == 0.0


def test_no_samples_gives_zero_shares() -> None:
    assert set(shares([]).values()) == {0.0}
