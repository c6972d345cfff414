"""The FAQ selector answers `faq` messages exactly as Rasa's ResponseSelector does, and skips the rest."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from rasa.engine.storage.resource import Resource
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.faq_selector import FaqResponseSelector
from tests.components.word_features import RESPONSES, WordFeatures

EXAMPLES: List[Tuple[str, str, str]] = [
    ("should i use heat or ice", "faq", "faq/heat_or_cold"),
    ("is a hot water bottle good", "faq", "faq/heat_or_cold"),
    ("can i put ice on it", "faq", "faq/heat_or_cold"),
    ("is walking good for it", "faq", "faq/walking"),
    ("can i go for a walk", "faq", "faq/walking"),
    ("should i keep walking", "faq", "faq/walking"),
    ("hello there", "greet", ""),
    ("good morning", "greet", ""),
    ("thanks a lot", "thank", ""),
]


def featurized(texts_and_intents: List[Tuple[str, str, str]], training: bool = False) -> List[Message]:
    messages = []
    for text, intent, key in texts_and_intents:
        data = {TEXT: text, INTENT: intent} if training else {TEXT: text, INTENT: {"name": intent}}
        if training and key:
            data[INTENT_RESPONSE_KEY] = key
        messages.append(Message(data=data))
    return messages


@pytest.fixture(scope="module")
def selectors(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, ResponseSelector]:
    """The same selector trained twice, as BackCare's and as Rasa's own class (training is deterministic)."""
    data = TrainingData(featurized(EXAMPLES, training=True), responses=RESPONSES)
    features = WordFeatures.trained_on(data, Path(tmp_path_factory.mktemp("selector")))
    storage, context = features.storage, features.context
    config = {
        **ResponseSelector.get_default_config(),
        "epochs": 3,
        "random_seed": 1,
        "retrieval_intent": "faq",
    }
    loaded = {}
    for name, selector_class in (("ours", FaqResponseSelector), ("rasas", ResponseSelector)):
        resource = Resource(name)
        selector_class.create(config, storage, resource, context).train(data)
        loaded[name] = selector_class.load(config, storage, resource, context)

    return {"prepare": features.featurize, **loaded}  # type: ignore[dict-item]


def test_a_faq_message_gets_rasas_choice_and_ranking(selectors: Dict) -> None:
    for text in ("is heat good for my back", "can i walk with it", "ice or heat?"):
        mine = selectors["ours"].process(selectors["prepare"](featurized([(text, "faq", "")])))[0]
        theirs = selectors["rasas"].process(selectors["prepare"](featurized([(text, "faq", "")])))[0]
        assert mine.get("response_selector") == theirs.get("response_selector")
        assert mine.get("response_selector")["faq"]["response"]["intent_response_key"].startswith("faq/")


def test_other_messages_are_not_read_by_the_selector(selectors: Dict) -> None:
    batch = featurized([("hello", "greet", ""), ("is walking ok", "faq", ""), ("thanks", "thank", "")])
    processed = selectors["ours"].process(selectors["prepare"](batch))
    assert [message.get("response_selector") is not None for message in processed] == [False, True, False]
    stock = selectors["rasas"].process(selectors["prepare"](featurized([("hello", "greet", "")])))[0]
    assert stock.get("response_selector") is not None  # Rasa's own reads every message
