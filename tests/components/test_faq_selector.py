"""The FAQ selector answers `faq` messages exactly as Rasa's ResponseSelector does, and skips the rest."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.faq_selector import FaqResponseSelector

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
RESPONSES = {
    "utter_faq/heat_or_cold": [{"text": "Heat helps most people."}],
    "utter_faq/walking": [{"text": "Gentle walking helps."}],
}


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
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("selector")))
    context = ExecutionContext(GraphSchema({}), "test")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    words = CountVectorsFeaturizer.create(
        CountVectorsFeaturizer.get_default_config(), storage, Resource("words"), context
    )
    data = TrainingData(featurized(EXAMPLES, training=True), responses=RESPONSES)
    tokenizer.process_training_data(data)
    words.train(data)
    words.process_training_data(data)
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

    def prepare(messages: List[Message]) -> List[Message]:
        tokenizer.process(messages)
        return words.process(messages)

    return {"prepare": prepare, **loaded}  # type: ignore[dict-item]


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
