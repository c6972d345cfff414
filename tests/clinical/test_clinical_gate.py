"""Quality gate on the clinical test sets: the warning-sign and crisis detector's floors.

Fails below sensitivity 1.0 for emergency signs and crisis, 0.95 for same-day
signs, or specificity 0.95 (bot.safety.evaluation.FLOORS). Every language is
scored on its own against the same floors, so a German miss cannot hide behind
English hits. Runs in the unit tier: the detector is deterministic and needs no
trained model.
"""

from __future__ import annotations

from collections import Counter
from typing import List, Set

import pytest
import yaml

from bot import paths
from bot.cli import CLINICAL_DIR, CLINICAL_SETS
from bot.languages import SUPPORTED
from bot.safety import safety_table
from bot.safety.evaluation import (
    CorpusScore,
    LabelledMessage,
    language_section,
    load_corpus,
    report,
    score_corpus,
)

LANGUAGES = sorted(CLINICAL_SETS)
NLU_DIR = paths.PROJECT_ROOT / "data" / "nlu"


def clinical_sets(language: str) -> List[LabelledMessage]:
    """Every labelled message of the sets `backcare eval` scores for `language`."""
    return load_corpus(*CLINICAL_SETS[language])


@pytest.fixture(scope="module", params=LANGUAGES)
def score(request: pytest.FixtureRequest) -> CorpusScore:
    return score_corpus(clinical_sets(request.param))


def test_detector_meets_every_floor(score: CorpusScore) -> None:
    assert score.failures() == [], report(score, CLINICAL_DIR)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sets_are_as_large_and_varied_as_the_safety_case_needs(language: str) -> None:
    corpus = clinical_sets(language)
    kinds = Counter(message.kind for message in corpus)
    per_sign = Counter(code for message in corpus for code in message.signs)
    assert len(corpus) >= 300
    assert kinds["hard_negative"] >= 100
    assert kinds["crisis"] >= 20 and kinds["non_crisis"] >= 20
    for sign in safety_table().signs:  # a new sign in the table needs its phrasings here
        assert per_sign[sign.code] >= 8, (language, sign.code)


@pytest.mark.parametrize("language", LANGUAGES)
def test_labels_name_only_signs_of_the_table(language: str) -> None:
    codes = {sign.code for sign in safety_table().signs}
    assert {code for message in clinical_sets(language) for code in message.signs} <= codes


def training_texts() -> Set[str]:
    """Every NLU training example, in every language's folder (data/nlu/, data/nlu/de/ ...)."""
    texts: Set[str] = set()
    for path in sorted(NLU_DIR.rglob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            texts |= {
                line.strip()[2:].strip().lower()
                for line in (block.get("examples") or "").splitlines()
                if line.strip().startswith("- ")
            }
    return texts


def test_texts_are_unique_and_never_used_for_training() -> None:
    texts = [message.text.lower() for language in LANGUAGES for message in clinical_sets(language)]
    assert len(texts) == len(set(texts))
    assert training_texts(), "no training examples found: the check would pass on nothing"
    assert not set(texts) & training_texts()


def test_the_training_check_reads_every_language_folder() -> None:
    folders = {path.parent for path in NLU_DIR.rglob("*.yml")}
    assert NLU_DIR / "de" in folders


def test_both_sets_are_scored() -> None:
    # Every language BackCare speaks has its own two sets, and all of them exist.
    assert set(CLINICAL_SETS) == set(SUPPORTED)
    for sets in CLINICAL_SETS.values():
        assert len(sets) == 2 and all(path.exists() for path in sets)


def test_the_report_has_a_section_per_language() -> None:
    text = "".join(
        language_section(language, score_corpus(clinical_sets(language)), CLINICAL_DIR)
        for language in CLINICAL_SETS
    )
    assert text.startswith("# Clinical test corpus\n")  # the English report opens as it always has
    assert "\n## German (de)\n" in text
    assert text.count("| **crisis** |") == len(CLINICAL_SETS)
