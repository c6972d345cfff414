"""Quality gate: the trained model on the held-out set (never used for training)."""

from __future__ import annotations

import pytest

from bot import evaluation, training
from bot.cli import HOLDOUT_SETS
from support.model import trained_model

LANGUAGES = sorted(HOLDOUT_SETS)


@pytest.fixture(scope="module", params=LANGUAGES)
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def holdout_score(language: str) -> evaluation.HoldoutScore:
    """The model on the language's held-out set: each language meets its own floors."""
    return evaluation.score(trained_model(), HOLDOUT_SETS[language][0])


def test_red_flags_are_always_recognised(holdout_score: evaluation.HoldoutScore) -> None:
    missed = [text for text, expected, _ in holdout_score.errors if expected == evaluation.RED_FLAG_INTENT]
    assert holdout_score.red_flag_recall == 1.0, missed


def test_intent_macro_f1_stays_above_the_floor(holdout_score: evaluation.HoldoutScore, language: str) -> None:
    floor = evaluation.quality_floor(HOLDOUT_SETS[language][1])
    assert holdout_score.intent_macro_f1 >= floor, (holdout_score.intent_macro_f1, holdout_score.errors)


def test_entity_f1_stays_above_the_floor(holdout_score: evaluation.HoldoutScore, language: str) -> None:
    assert holdout_score.entity_f1 >= evaluation.quality_floor(HOLDOUT_SETS[language][1], "entity_f1")


def test_holdout_never_overlaps_training_data() -> None:
    from rasa.shared.nlu.training_data.loading import load_data

    training_texts = {
        m.get("text").lower()
        for m in load_data(str(training.paths.PROJECT_ROOT / "data" / "nlu")).intent_examples
    }
    for holdout, _ in HOLDOUT_SETS.values():
        holdout_texts = {m.get("text").lower() for m in evaluation.load_holdout(holdout).intent_examples}
        assert not training_texts & holdout_texts, holdout
