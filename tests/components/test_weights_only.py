"""BackCare's classifiers store their trained weights without the optimizer's state, and load as before.

A BackCare intent classifier and FAQ selector are trained beside Rasa's own
DIET on the same data, persisted, and their checkpoints read back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import pytest
import tensorflow as tf
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.faq_selector import FaqResponseSelector
from bot.nlu.per_language import LanguageIntentClassifier
from bot.rasa_overrides import inference_load
from tests.components.model_loading import load_from
from tests.components.word_features import EXAMPLES, RESPONSES, WordFeatures

QUESTIONS = ["is heat good for my back", "my back is bad", "walking ok?"]
# Each BackCare classifier and the Rasa component it extends, trained side by side.
RASA_TWINS = {LanguageIntentClassifier: DIETClassifier, FaqResponseSelector: ResponseSelector}
COMPONENTS = [*RASA_TWINS, *RASA_TWINS.values()]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Any]:
    messages = []
    for text, intent, key in EXAMPLES:
        data: Dict[str, Any] = {TEXT: text, INTENT: intent}
        if key:
            data[INTENT_RESPONSE_KEY] = key
        messages.append(Message(data=data))
    data = TrainingData(messages, responses=RESPONSES)
    folder = Path(tmp_path_factory.mktemp("models"))
    features = WordFeatures.trained_on(data, folder)
    configs: Dict[type, Dict[str, Any]] = {}
    weights: Dict[type, Dict[str, np.ndarray]] = {}
    for component in COMPONENTS:
        config = {**component.get_default_config(), "epochs": 2, "random_seed": 1}
        if issubclass(component, ResponseSelector):
            config["retrieval_intent"] = "faq"
        configs[component] = config
        created = component.create(config, features.storage, Resource(component.__name__), features.context)
        created.train(data)  # persists
        weights[component] = {weight.name: weight.numpy() for weight in created.model.trainable_weights}
    return {
        "folder": folder,
        "storage": features.storage,
        "context": features.context,
        "configs": configs,
        "weights": weights,
        "prepare": lambda texts: features.featurize([Message(data={TEXT: t}) for t in texts]),
    }


def same_values(found: List[np.ndarray], expected: List[np.ndarray]) -> bool:
    """Each expected array is among `found` (names differ between two models in one process)."""
    return bool(expected) and all(
        any(value.shape == wanted.shape and np.array_equal(value, wanted) for value in found)
        for wanted in expected
    )


def checkpoint(trained: Dict[str, Any], component: type) -> str:
    files = list((trained["folder"] / component.__name__).glob("*.tf_model.index"))
    assert len(files) == 1
    return str(files[0]).removesuffix(".index")


def stored_names(trained: Dict[str, Any], component: type) -> List[str]:
    return [name for name, _ in tf.train.list_variables(checkpoint(trained, component))]


def of_optimizer(name: str) -> bool:
    return "optimizer" in name.split("/")


def test_rasa_stores_the_optimizer_and_backcares_classifiers_do_not(trained: Dict[str, Any]) -> None:
    for ours, rasas in RASA_TWINS.items():
        assert any(of_optimizer(name) for name in stored_names(trained, rasas)), rasas.__name__
        names = stored_names(trained, ours)
        assert names and not any(of_optimizer(name) for name in names), ours.__name__


@pytest.mark.parametrize(
    "component", [LanguageIntentClassifier, FaqResponseSelector], ids=lambda c: c.__name__
)
def test_every_trained_weight_is_stored_as_it_was_trained(trained: Dict[str, Any], component: type) -> None:
    path = checkpoint(trained, component)
    stored = {name: tf.train.load_variable(path, name) for name in stored_names(trained, component)}
    values = [value for name, value in stored.items() if name != "_CHECKPOINTABLE_OBJECT_GRAPH"]
    assert same_values(values, list(trained["weights"][component].values()))


@pytest.mark.parametrize(
    "component", [LanguageIntentClassifier, FaqResponseSelector], ids=lambda c: c.__name__
)
def test_they_load_as_the_same_model_stored_by_rasa_loads(trained: Dict[str, Any], component: type) -> None:
    """To predict, and as fine-tuning loads (Rasa's load: a fresh optimizer, then the stored weights)."""
    rasas = RASA_TWINS[component]
    # Same data, configuration and seed: the twins trained to the same weights.
    ours, theirs = trained["weights"][component].values(), trained["weights"][rasas].values()
    assert len(ours) == len(theirs)
    assert all(np.array_equal(mine, rasa) for mine, rasa in zip(ours, theirs, strict=True))

    def predictions(loaded: Any) -> List[Any]:
        messages = trained["prepare"](QUESTIONS)
        if component is FaqResponseSelector:  # asked only about messages of its retrieval intent
            for message in messages:
                message.set(INTENT, {"name": "faq", "confidence": 1.0})
        return [
            (message.get(INTENT), message.get("response_selector")) for message in loaded.process(messages)
        ]

    for loader in (inference_load.load, inference_load._stock_load):
        ours = load_from(trained, component, component.__name__, loader)
        theirs = load_from(trained, rasas, rasas.__name__, loader)
        answers = predictions(ours)
        assert answers == predictions(theirs) and all(intent for intent, _ in answers)
        assert all(selected for _, selected in answers) or component is not FaqResponseSelector
        assert [weight.numpy().tolist() for weight in ours.model.trainable_weights] == [
            weight.numpy().tolist() for weight in theirs.model.trainable_weights
        ]
