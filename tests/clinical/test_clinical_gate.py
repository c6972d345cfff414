"""Quality gate on the clinical test sets: the warning-sign and crisis detector's floors.

Fails below sensitivity 1.0 for emergency signs and crisis, 0.95 for same-day
signs, or specificity 0.95 (bot.safety.evaluation.FLOORS). Runs in the unit
tier: the detector is deterministic and needs no trained model.
"""

from __future__ import annotations

from collections import Counter
from typing import List

import pytest
import yaml

from bot import paths
from bot.cli import CLINICAL_DIR, CLINICAL_SETS
from bot.safety import safety_table
from bot.safety.evaluation import CorpusScore, LabelledMessage, load_corpus, report, score_corpus


def clinical_sets() -> List[LabelledMessage]:
    """Every labelled message of the sets `backcare eval` scores."""
    return load_corpus(*CLINICAL_SETS)


@pytest.fixture(scope="module")
def score() -> CorpusScore:
    return score_corpus(clinical_sets())


def test_detector_meets_every_floor(score: CorpusScore) -> None:
    assert score.failures() == [], report(score, CLINICAL_DIR)


def test_the_sets_are_as_large_and_varied_as_the_safety_case_needs() -> None:
    corpus = clinical_sets()
    kinds = Counter(message.kind for message in corpus)
    per_sign = Counter(code for message in corpus for code in message.signs)
    assert len(corpus) >= 300
    assert kinds["hard_negative"] >= 100
    assert kinds["crisis"] >= 20 and kinds["non_crisis"] >= 20
    for sign in safety_table().signs:  # a new sign in the table needs its phrasings here
        assert per_sign[sign.code] >= 8, sign.code


def test_labels_name_only_signs_of_the_table() -> None:
    codes = {sign.code for sign in safety_table().signs}
    assert {code for message in clinical_sets() for code in message.signs} <= codes


def test_texts_are_unique_and_never_used_for_training() -> None:
    texts = [message.text.lower() for message in clinical_sets()]
    assert len(texts) == len(set(texts))
    training = set()
    for path in (paths.PROJECT_ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            training |= {
                line[2:].strip().lower()
                for line in (block.get("examples") or "").splitlines()
                if line.strip()
            }
    assert not set(texts) & training


def test_both_sets_are_scored() -> None:
    assert len(CLINICAL_SETS) == 2 and all(path.exists() for path in CLINICAL_SETS)
