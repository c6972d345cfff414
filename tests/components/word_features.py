"""What the component tests train on: whitespace tokens and word counts, made by Rasa's own components."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List, Tuple

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

# (text, intent, response key): self-care questions with the answer to pick, and other messages.
EXAMPLES: List[Tuple[str, str, str]] = [
    ("should i use heat or ice", "faq", "faq/heat_or_cold"),
    ("is a hot water bottle good", "faq", "faq/heat_or_cold"),
    ("is walking good for it", "faq", "faq/walking"),
    ("can i go for a walk", "faq", "faq/walking"),
    ("my back hurts a lot", "pain", ""),
    ("the pain is bad today", "pain", ""),
    ("hello there", "greet", ""),
    ("good morning", "greet", ""),
]
RESPONSES = {
    "utter_faq/heat_or_cold": [{"text": "Heat helps most people."}],
    "utter_faq/walking": [{"text": "Gentle walking helps."}],
}


@dataclass
class WordFeatures:
    """A model storage in a folder, and a tokenizer and word-count featurizer trained on `data`."""

    storage: LocalModelStorage
    context: ExecutionContext
    tokenizer: WhitespaceTokenizer
    words: CountVectorsFeaturizer

    @classmethod
    def trained_on(cls, data: TrainingData, folder: Path) -> WordFeatures:
        storage = LocalModelStorage(folder)
        context = ExecutionContext(GraphSchema({}), "test")
        tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
        words = CountVectorsFeaturizer.create(
            CountVectorsFeaturizer.get_default_config(), storage, Resource("words"), context
        )
        tokenizer.process_training_data(data)
        words.train(data)
        words.process_training_data(data)
        return cls(storage, context, tokenizer, words)

    def featurize(self, messages: List[Message]) -> List[Message]:
        self.tokenizer.process(messages)
        return self.words.process(messages)
