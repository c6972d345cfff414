"""Scores the trained model on a held-out NLU set, never used for training.

Used by `backcare eval` (full report) and by the quality gate in `make test`
(macro-F1 and entity-F1 floors from a JSON file, red-flag recall 1.0). The
caller names the set and the floors: the packaged code never knows where a
checkout keeps its evaluation data.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Set, Tuple

from bot import paths

if TYPE_CHECKING:
    from rasa.shared.nlu.training_data.training_data import TrainingData

RED_FLAG_INTENT = "report_red_flag"


@dataclass
class HoldoutScore:
    examples: int
    intent_macro_f1: float
    intent_accuracy: float
    red_flag_recall: float
    entity_f1: float
    per_intent: Dict[str, Dict[str, float]]
    errors: List[Tuple[str, str, str]]  # text, expected, predicted
    expected: List[str]
    predicted: List[str]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)


def load_holdout(path: Path) -> TrainingData:
    from rasa.shared.nlu.training_data.loading import load_data

    return load_data(str(path))


_agents: Dict[Path, Any] = {}


def _agent(model: Path) -> Any:
    """One loaded model per file and process: each language's set is parsed by the same one."""
    from rasa.core.agent import Agent

    if model not in _agents:
        _agents[model] = Agent.load(str(model))
    return _agents[model]


async def _predict(model: Path, texts: List[str]) -> List[dict]:
    agent = _agent(model)
    return [await agent.parse_message(text) for text in texts]


def parse(model: Path, texts: List[str]) -> List[dict]:
    """The NLU parse of each text with the trained model (intent, entities, ranking)."""
    return asyncio.run(_predict(model, texts))


def _entity_pairs(message: Dict[str, Any]) -> Set[Tuple[str, str, int, int]]:
    return {(e["entity"], str(e.get("value")), e["start"], e["end"]) for e in message.get("entities") or []}


def score(model: Path, holdout: Path) -> HoldoutScore:
    """Intent, red-flag and entity scores of `model` on the set in `holdout`."""
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    data = load_holdout(holdout)
    examples = list(data.intent_examples)
    texts = [m.get("text") for m in examples]
    expected = [m.get("intent") for m in examples]
    parsed = parse(model, texts)
    predicted = [p["intent"]["name"] for p in parsed]

    labels = sorted(set(expected))
    precision, recall, f1, support = precision_recall_fscore_support(
        expected, predicted, labels=labels, zero_division=0
    )
    per_intent = {
        label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
        for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
    }
    # Entity F1 over the annotated `exercise` entities (exact span and value).
    true_entities = [
        {
            (e["entity"], str(e["value"]), e["start"], e["end"])
            for e in m.get("entities") or []
            if e["entity"] == "exercise"
        }
        for m in examples
    ]
    found_entities = [{item for item in _entity_pairs(p) if item[0] == "exercise"} for p in parsed]
    hits = sum(len(t & f) for t, f in zip(true_entities, found_entities, strict=True))
    wanted, got = sum(map(len, true_entities)), sum(map(len, found_entities))
    entity_precision = hits / got if got else 0.0
    entity_recall = hits / wanted if wanted else 0.0
    entity_f1 = 2 * entity_precision * entity_recall / (entity_precision + entity_recall) if hits else 0.0
    return HoldoutScore(
        examples=len(examples),
        intent_macro_f1=float(sum(item["f1"] for item in per_intent.values()) / len(per_intent)),
        intent_accuracy=float(accuracy_score(expected, predicted)),
        red_flag_recall=per_intent.get(RED_FLAG_INTENT, {}).get("recall", 0.0),
        entity_f1=entity_f1,
        per_intent=per_intent,
        errors=[(t, e, p) for t, e, p in zip(texts, expected, predicted, strict=True) if e != p],
        expected=expected,
        predicted=predicted,
    )


def quality_floor(floors: Path, measure: str = "intent_macro_f1") -> float:
    """The floor of `measure` in the JSON file `floors`."""
    return float(json.loads(floors.read_text())[measure])


def write_report(
    result: HoldoutScore, out_dir: Path, holdout: Path, floors: Path, name: str = "holdout", title: str = ""
) -> Path:
    """JSON, a markdown table and a confusion-matrix image in `out_dir`, named after `name`.

    `holdout` and `floors` are the files the result was scored on and against.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{name}.json").write_text(result.to_json())
    lines = [
        *([f"## {title}", ""] if title else []),
        f"Held-out set: {result.examples} examples ({paths.shown(holdout)}).",
        "",
        f"- intent macro-F1: **{result.intent_macro_f1:.3f}** (floor {quality_floor(floors):.3f})",
        f"- intent accuracy: {result.intent_accuracy:.3f}",
        f"- red-flag recall: **{result.red_flag_recall:.3f}**",
        f"- entity F1 (exercise): {result.entity_f1:.3f} (floor {quality_floor(floors, 'entity_f1'):.3f})",
        "",
        "| intent | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
    ]
    for intent, values in sorted(result.per_intent.items()):
        scores = f"{values['precision']:.2f} | {values['recall']:.2f} | {values['f1']:.2f}"
        lines.append(f"| {intent} | {scores} | {values['support']} |")
    if result.errors:
        lines += ["", "Misclassified:", ""] + [f"- `{t}`: {e} → {p}" for t, e, p in result.errors]
    report = out_dir / f"{name}.md"
    report.write_text("\n".join(lines) + "\n")

    labels = sorted(set(result.expected) | set(result.predicted))
    figure, axis = plt.subplots(figsize=(11, 10))
    ConfusionMatrixDisplay.from_predictions(
        result.expected, result.predicted, labels=labels, ax=axis, xticks_rotation=90, colorbar=False
    )
    axis.set_title(f"Intent confusion matrix, held-out set{f' ({title})' if title else ''}")
    figure.tight_layout()
    matrix = "intent_confusion_matrix" if name == "holdout" else f"intent_confusion_matrix_{name}"
    figure.savefig(out_dir / f"{matrix}.png")
    plt.close(figure)
    return report


def cross_validation_summary(report_dir: Path, folds: int) -> str:
    """Markdown lines from `rasa test nlu --cross-validation` reports (all test folds)."""
    intents = json.loads((report_dir / "intent_report.json").read_text())
    macro = intents["macro avg"]
    lines = [
        f"{folds}-fold cross-validation on the training data (data/nlu), test folds together:",
        "",
        f"- intent macro-F1: **{macro['f1-score']:.3f}** "
        f"(precision {macro['precision']:.3f}, recall {macro['recall']:.3f})",
        f"- intent accuracy: {intents['accuracy']:.3f}",
    ]
    red_flags = intents.get(RED_FLAG_INTENT)
    if red_flags:
        lines.append(f"- red-flag recall: {red_flags['recall']:.3f}")
    # One report per entity extractor, named `<Extractor>_report.json`.
    for report in sorted(set(report_dir.glob("*_report.json")) - {report_dir / "intent_report.json"}):
        extractor = report.name[: -len("_report.json")]
        for entity, values in sorted(json.loads(report.read_text()).items()):
            if isinstance(values, dict) and not entity.endswith(" avg"):
                lines.append(f"- entity `{entity}` F1 ({extractor}): {values['f1-score']:.3f}")
    return "\n".join(lines) + "\n"
