"""The cross-validation summary reads Rasa's report files."""

from __future__ import annotations

import json
from pathlib import Path

from bot.evaluation import cross_validation_summary


def test_summary_of_intent_and_entity_reports(tmp_path: Path) -> None:
    (tmp_path / "intent_report.json").write_text(
        json.dumps(
            {
                "greet": {"precision": 1.0, "recall": 1.0, "f1-score": 1.0, "support": 5},
                "report_red_flag": {"precision": 0.9, "recall": 1.0, "f1-score": 0.947, "support": 10},
                "accuracy": 0.8126,
                "macro avg": {"precision": 0.8, "recall": 0.75, "f1-score": 0.7654, "support": 15},
            }
        )
    )
    (tmp_path / "RegexEntityExtractor_report.json").write_text(
        json.dumps(
            {
                "exercise": {"precision": 1.0, "recall": 0.5, "f1-score": 0.6667, "support": 2},
                "macro avg": {"precision": 1.0, "recall": 0.5, "f1-score": 0.6667, "support": 2},
            }
        )
    )
    summary = cross_validation_summary(tmp_path, folds=5)
    assert "5-fold" in summary
    assert "intent macro-F1: **0.765** (precision 0.800, recall 0.750)" in summary
    assert "intent accuracy: 0.813" in summary
    assert "red-flag recall: 1.000" in summary
    assert "entity `exercise` F1 (RegexEntityExtractor): 0.667" in summary
    assert "macro avg` F1" not in summary
