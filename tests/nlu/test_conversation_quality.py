"""Gate on the conversation-quality set: the trained model on realistic messages.

Fails on any urgent advice for a message that needs none, on a missed urgent
message, or below the intent and self-care retrieval floors
(tests/quality/floors.yml).
"""

from __future__ import annotations

import pytest

from bot import conversation_quality as quality
from bot import evaluation
from bot.cli import QUALITY_FLOOR_FILE, QUALITY_SET_FILE
from support.model import trained_model


@pytest.fixture(scope="module")
def result() -> quality.QualityScore:
    labelled = quality.load_set(QUALITY_SET_FILE)
    return quality.score(evaluation.parse(trained_model(), [item.text for item in labelled]), labelled)


def test_no_urgent_advice_without_a_warning_sign(result: quality.QualityScore) -> None:
    assert result.false_urgent == []
    assert result.missed_urgent == []


def test_intent_accuracy_stays_above_the_floor(result: quality.QualityScore) -> None:
    floors = quality.floors(QUALITY_FLOOR_FILE)
    assert result.intent_accuracy >= floors["intent_accuracy"], quality.report(result, QUALITY_SET_FILE)


def test_self_care_questions_get_the_right_answer(result: quality.QualityScore) -> None:
    floors = quality.floors(QUALITY_FLOOR_FILE)
    assert result.retrieval_accuracy >= floors["retrieval_accuracy"], quality.report(result, QUALITY_SET_FILE)


def test_the_set_is_large_varied_and_held_out() -> None:
    import yaml

    from bot import paths

    labelled = quality.load_set(QUALITY_SET_FILE)
    topics = {item.intent for item in labelled if item.intent.startswith("faq/")}
    assert len(labelled) >= 150 and len(topics) >= 25
    training_texts = set()
    for path in (paths.PROJECT_ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            training_texts |= {
                line[2:].strip().lower()
                for line in (block.get("examples") or "").splitlines()
                if line.strip()
            }
    # One- and two-word messages ("ok", "next", "👍") are vocabulary every
    # training set needs; anything longer must be unseen.
    sentences = {item.text.lower() for item in labelled if len(item.text.split()) > 2}
    assert not sentences & training_texts
