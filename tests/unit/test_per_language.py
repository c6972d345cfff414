"""Each language's featurizers and classifier learn from its own examples.

A message goes to the classifier of the language it is written in.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from bot import paths
from bot.nlu.per_language import example_language, reading_languages

NLU_DIR = paths.PROJECT_ROOT / "data" / "nlu"


def test_the_german_files_name_their_language_on_every_intent_block() -> None:
    german = load_data(str(NLU_DIR / "de"))
    assert german.intent_examples
    assert {example_language(example) for example in german.intent_examples} == {"de"}


@pytest.mark.parametrize("path", sorted(NLU_DIR.glob("*.yml")), ids=lambda path: path.name)
def test_every_other_example_is_english(path: Path) -> None:
    examples = load_data(str(path)).intent_examples
    assert {example_language(example) for example in examples} <= {"en"}


def test_an_example_without_metadata_is_english() -> None:
    assert example_language(Message.build("my back hurts", "report_pain")) == "en"
    german = Message.build("mein Rücken", "report_pain", intent_metadata={"language": "de"})
    assert example_language(german) == "de"


@pytest.mark.parametrize(
    "text, languages",
    [
        ("my lower back hurts since tuesday", {"en"}),
        ("that's too tough", {"en"}),
        ("goodnight", {"en"}),
        ("Mein Rücken tut weh seit gestern", {"de"}),
        ("gute Nacht", {"de"}),
        ("ja", {"de"}),
        # No clear language: both classifiers read it, the more confident one wins.
        ("thx", {"en", "de"}),
        ("7", {"en", "de"}),
        ("👍", {"en", "de"}),
        ("", {"en", "de"}),
    ],
)
def test_a_message_goes_to_the_classifier_of_its_language(text: str, languages: set) -> None:
    assert reading_languages(text) == languages


def test_a_featurizer_learns_its_vocabulary_from_its_own_language_only(tmp_path: Path) -> None:
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.nlu.per_language import LanguageCountVectorsFeaturizer

    examples = [
        Message.build("my back hurts", "report_pain"),
        Message.build("mein kreuz tut weh", "report_pain", intent_metadata={"language": "de"}),
    ]
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process(examples)
    vocabularies = {}
    for language in ("en", "de"):
        storage = tmp_path / language
        storage.mkdir()
        featurizer = LanguageCountVectorsFeaturizer.create(
            {**LanguageCountVectorsFeaturizer.get_default_config(), "reads": language},
            LocalModelStorage(storage),
            Resource(f"words_{language}"),
            ExecutionContext(GraphSchema({}), node_name=f"words_{language}"),
        )
        featurizer.train(TrainingData(examples))
        vocabularies[language] = set(featurizer.vectorizers["text"].vocabulary_)
    assert {"my", "back", "hurts"} <= vocabularies["en"] and not {"kreuz", "tut", "weh"} & vocabularies["en"]
    assert {"kreuz", "tut", "weh"} <= vocabularies["de"] and not {"back", "hurts"} & vocabularies["de"]


def test_messages_without_text_are_in_no_languages_data() -> None:
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.nlu.per_language import own_examples

    action = Message({"action_name": "utter_greet"})
    english = Message.build("hello", "greet")
    german = Message.build("hallo", "greet", intent_metadata={"language": "de"})
    data = TrainingData([action, english, german])
    assert own_examples(data, "en").training_examples == [english]
    assert own_examples(data, "de").training_examples == [german]


def test_the_action_messages_of_a_full_training_get_no_features_and_no_error(tmp_path: Path) -> None:
    """`rasa train` featurizes the domain's action names and texts too; no vocabulary learnt them."""
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.nlu.per_language import LanguageCountVectorsFeaturizer

    english = Message.build("my back hurts", "report_pain")
    action = Message({"action_name": "utter_greet", "action_text": "Hello! How is your back?"})
    messages = [english, action]
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process(messages)
    featurizer = LanguageCountVectorsFeaturizer.create(
        {**LanguageCountVectorsFeaturizer.get_default_config(), "analyzer": "char_wb", "reads": "en"},
        LocalModelStorage(tmp_path),
        Resource("english_characters"),
        ExecutionContext(GraphSchema({}), node_name="english_characters"),
    )
    featurizer.train(TrainingData(messages))
    featurizer.process_training_data(TrainingData(messages))
    assert english.features_present("text", ["english_characters"])
    assert not any(feature.attribute == "action_text" for feature in action.features)


@pytest.mark.parametrize(
    ("mine", "other", "mine_is_likelier", "kept"),
    [
        (0.9, 0.99, True, True),  # the likelier language's answer stays when it would be answered
        (0.41, 0.99, True, True),
        (0.3, 0.99, True, False),  # it would fall back: the other, more confident, answers
        (0.3, 0.2, True, True),
        (0.99, 0.9, False, False),  # mine is the unlikelier one: only when the likelier falls back
        (0.99, 0.3, False, True),
        (0.2, 0.3, False, False),
    ],
)
def test_whose_intent_stays_for_a_message_in_no_clear_language(
    mine: float, other: float, mine_is_likelier: bool, kept: bool
) -> None:
    from bot.nlu.per_language import kept_intent

    assert kept_intent({"confidence": mine}, {"confidence": other}, mine_is_likelier) is kept
