"""A model loaded to predict, without Rasa's training step, predicts exactly what Rasa's load predicts.

A small DIET (intents and entities, so its CRF is read too) and a
ResponseSelector are trained and stored once, then loaded twice from the
same files: with Rasa's `RasaModel.load` and with BackCare's.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Callable, Dict, List

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.models import RasaModel

from bot.rasa_overrides import inference_load
from support.rasa_cli_check import assert_installed_by_rasa_cli
from tests.components.model_loading import load_from
from tests.components.word_features import EXAMPLES, RESPONSES, WordFeatures

EXERCISES = {"my back hurts a lot": (0, 2), "the pain is bad today": (4, 8)}  # entity spans to learn
QUESTIONS = ["is heat good", "my back is bad", "hi", "walking ok?", "pain pain pain", "ice"]


def training_message(text: str, intent: str, key: str) -> Message:
    data: Dict[str, Any] = {TEXT: text, INTENT: intent}
    if key:
        data[INTENT_RESPONSE_KEY] = key
    if text in EXERCISES:
        start, end = EXERCISES[text]
        data[ENTITIES] = [{"start": start, "end": end, "value": text[start:end], "entity": "thing"}]
    return Message(data=data)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Any]:
    data = TrainingData([training_message(*example) for example in EXAMPLES], responses=RESPONSES)
    features = WordFeatures.trained_on(data, Path(tmp_path_factory.mktemp("models")))
    storage, context = features.storage, features.context
    configs = {
        DIETClassifier: {**DIETClassifier.get_default_config(), "epochs": 3, "random_seed": 1},
        ResponseSelector: {
            **ResponseSelector.get_default_config(),
            "epochs": 3,
            "random_seed": 1,
            "retrieval_intent": "faq",
        },
    }
    for component, config in configs.items():
        component.create(config, storage, Resource(component.__name__), context).train(data)

    def prepare(texts: List[str]) -> List[Message]:
        return features.featurize([Message(data={TEXT: text}) for text in texts])

    return {"storage": storage, "context": context, "configs": configs, "prepare": prepare, "data": data}


def load(trained: Dict[str, Any], component: type, loader: Callable[..., RasaModel]) -> Any:
    return load_from(trained, component, component.__name__, loader)


def predictions(component: Any, trained: Dict[str, Any]) -> List[Dict[str, Any]]:
    processed = component.process(trained["prepare"](QUESTIONS))
    return [
        {key: message.get(key) for key in (INTENT, "intent_ranking", ENTITIES, "response_selector")}
        for message in processed
    ]


@pytest.mark.parametrize("component", [DIETClassifier, ResponseSelector], ids=lambda c: c.__name__)
def test_predictions_equal_rasas_load(trained: Dict[str, Any], component: type) -> None:
    stock = load(trained, component, inference_load._stock_load)
    ours = load(trained, component, inference_load.load)
    assert predictions(ours, trained) == predictions(stock, trained)
    stock_weights = {weight.name: weight.numpy() for weight in stock.model.weights}
    our_weights = {weight.name: weight.numpy() for weight in ours.model.weights}
    assert our_weights.keys() <= stock_weights.keys()
    assert all(np.array_equal(our_weights[name], stock_weights[name]) for name in our_weights)
    # Rasa's load trained one step with an optimizer; ours has none, and so none of its slots.
    assert stock.model.optimizer is not None and ours.model.optimizer is None


def test_the_first_prediction_already_uses_the_trained_weights(trained: Dict[str, Any]) -> None:
    """Rasa prepares the label embeddings once, on the first prediction: from restored weights here."""
    ours = load(trained, DIETClassifier, inference_load.load)
    trained_labels = ours.model.all_labels_embed.numpy()
    stock = load(trained, DIETClassifier, inference_load._stock_load)
    assert np.array_equal(trained_labels, stock.model.all_labels_embed.numpy())


def test_fine_tuning_loads_as_rasa_does(trained: Dict[str, Any]) -> None:
    context = ExecutionContext(GraphSchema({}), "test", is_finetuning=True)
    original = RasaModel.load
    RasaModel.load = classmethod(inference_load.load)  # type: ignore[assignment,method-assign]
    try:
        tuned = DIETClassifier.load(
            trained["configs"][DIETClassifier], trained["storage"], Resource("DIETClassifier"), context
        )
    finally:
        RasaModel.load = original  # type: ignore[method-assign]
    assert tuned.model.optimizer is not None  # compiled and stepped, ready to train on


def test_a_checkpoint_without_weights_the_prediction_needs_is_refused(trained: Dict[str, Any]) -> None:
    """A DIET that reads entities, given the weights of one trained without: its CRF is not in the file."""
    config = {**trained["configs"][DIETClassifier], "entity_recognition": False}
    storage, context = trained["storage"], trained["context"]
    DIETClassifier.create(config, storage, Resource("IntentsOnly"), context).train(trained["data"])
    root = Path(storage._storage_path)
    broken = root / "BrokenDIET"
    shutil.copytree(root / "DIETClassifier", broken)
    for file in broken.glob("*.tf_model*"):
        file.unlink()
    for file in (root / "IntentsOnly").glob("*.tf_model*"):
        shutil.copy(file, broken / file.name)
    with pytest.raises(AssertionError, match="crf/transitions"):
        load_from(trained, DIETClassifier, "BrokenDIET", inference_load.load)


def test_installed_by_the_command_that_starts_the_rasa_server() -> None:
    """In a fresh interpreter, as the Rasa server starts: `bot.rasa_cli` installs it before Rasa runs."""
    assert_installed_by_rasa_cli(
        "from rasa.utils.tensorflow.models import RasaModel\nfrom bot.rasa_overrides import inference_load",
        "RasaModel.load.__func__ is not inference_load.load",
        "RasaModel.load.__func__ is inference_load.load",
    )
