"""One model, and in it one intent classifier per language with its own vocabulary.

Trained on English and German examples together, one DIET classifier over one
vocabulary lost English held-out score that English alone had (the German
words and character n-grams change every English message's features;
docs/languages.md, "One model for both languages"). Here each language has its
own count-vector featurizers, whose vocabulary is learnt from that language's
examples only, and its own DIET classifier, trained on those examples with
those features only (`featurizers:` in config.yml). The examples of
`data/nlu/de/` carry `metadata: {language: de}` on their intent block; every
other example is English. Tokenizer, regex features, the FAQ ResponseSelector,
the entity extractors and the dialogue stay shared: adding German examples no
longer moves the English classifier.

At run time a message is classified by the classifier of the language it is
written in (`written_language`, the rule the LanguageDetector names the
`language` slot with). A message in no clear language ("thx", "7", "👍") is
read by both: the intent of the language lingua finds likelier stays unless
it would fall back and the other's is more confident. Lingua's guess alone
sent "thx" to the German classifier, which had never seen it; the more
confident of the two alone lost German held-out messages to the English one.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, FrozenSet, List, Optional, Text, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_RANKING_KEY,
    METADATA,
    METADATA_INTENT,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import spmatrix

from bot.languages import ENGLISH, GERMAN
from bot.nlu.language_detection import LINGUA_CODES, detector, written_language
from bot.nlu.weights_only import optimizer_left_out

# The config key naming the language a classifier reads.
READS = "reads"
# The metadata key of an intent block that names its examples' language.
LANGUAGE_METADATA = "language"
LANGUAGES = frozenset({ENGLISH, GERMAN})
# The FallbackClassifier's threshold in config.yml: an intent below it is not answered.
TRUSTED_CONFIDENCE = 0.4


def example_language(example: Message) -> Text:
    """The language a training example is written in: its intent block's metadata, else English."""
    metadata = example.get(METADATA) or {}
    intent_metadata = metadata.get(METADATA_INTENT) or {}
    language = intent_metadata.get(LANGUAGE_METADATA) if isinstance(intent_metadata, dict) else None
    return str(language or ENGLISH)


def own_examples(training_data: TrainingData, language: Text) -> TrainingData:
    """The training data with only the examples written in `language`.

    Messages without a text (the action and intent names a full `rasa train`
    adds from the domain and the stories) are left out: no policy here
    featurizes them, and without them the vocabularies, and so the
    classifier's intent-label features, are the same for `rasa train` and
    `rasa train nlu`.
    """
    return TrainingData(
        training_examples=[
            example
            for example in training_data.training_examples
            if example.get(TEXT) and example_language(example) == language
        ],
        entity_synonyms=training_data.entity_synonyms,
        regex_features=training_data.regex_features,
        lookup_tables=training_data.lookup_tables,
        responses=training_data.responses,
    )


@lru_cache(maxsize=4096)
def reading_languages(text: Text) -> FrozenSet[Text]:
    """The languages whose classifiers read `text`: the one it is clearly written in, else both."""
    written = written_language(text)
    return frozenset({written}) if written else LANGUAGES


@lru_cache(maxsize=4096)
def likelier_language(text: Text) -> Text:
    """Of the two, the language lingua finds more likely for `text` (English when it finds none)."""
    best = detector().compute_language_confidence_values(text)[0]
    return LINGUA_CODES[best.language] if best.value > 0 else ENGLISH


def kept_intent(mine: Dict[Text, Any], other: Dict[Text, Any], mine_is_likelier: bool) -> bool:
    """Whether, of two classifiers' intents for a message in no clear language, `mine` stays.

    The likelier language's intent stays when it would be answered (at or
    above the fallback threshold); only an intent that would fall back gives
    way to the other language's, if that one is more confident.
    """
    likelier, unlikelier = (mine, other) if mine_is_likelier else (other, mine)
    keep_likelier = _confidence(likelier) >= TRUSTED_CONFIDENCE or _confidence(likelier) >= _confidence(
        unlikelier
    )
    return keep_likelier == mine_is_likelier


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LanguageIntentClassifier(DIETClassifier):
    """DIET, trained on and asked about the messages of one language (`reads: en` or `reads: de`)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**DIETClassifier.get_default_config(), READS: ENGLISH}

    @property
    def language(self) -> Text:
        return str(self.component_config[READS])

    def train(self, training_data: TrainingData) -> Resource:
        return super().train(own_examples(training_data, self.language))

    def persist(self) -> None:
        with optimizer_left_out(self.model):
            super().persist()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if self.language not in reading_languages(text):
                continue
            # A message in no clear language ("thx", "7") is read by both
            # classifiers; `kept_intent` decides whose intent stays.
            other_intent = message.get(INTENT)
            other_ranking = message.get(INTENT_RANKING_KEY)
            read_by_other = isinstance(other_intent, dict)
            mine_is_likelier = read_by_other and likelier_language(text) == self.language
            if read_by_other and not mine_is_likelier and _confidence(other_intent) >= TRUSTED_CONFIDENCE:
                continue  # the likelier language's intent stays whatever this one finds
            super().process([message])
            if read_by_other and not kept_intent(message.get(INTENT), other_intent, mine_is_likelier):
                message.set(INTENT, other_intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, other_ranking, add_to_output=True)
        return messages


def _confidence(intent: Optional[Dict[Text, Any]]) -> float:
    return float((intent or {}).get(PREDICTED_CONFIDENCE_KEY) or 0.0)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class LanguageCountVectorsFeaturizer(CountVectorsFeaturizer):
    """Count vectors whose vocabulary is learnt from one language's examples (`reads: en` or `de`).

    Every message gets its features, as with Rasa's featurizer; only the
    classifier of the same language is configured to read them.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**CountVectorsFeaturizer.get_default_config(), READS: ENGLISH}

    def train(self, training_data: TrainingData, model: Optional[SpacyModel] = None) -> Resource:
        return super().train(own_examples(training_data, str(self._config[READS])), model)

    def _create_features(
        self, attribute: Text, all_tokens: List[List[Text]]
    ) -> Tuple[List[Optional[spmatrix]], List[Optional[spmatrix]]]:
        # Only texts train the vocabularies, so the vectorizers of the action
        # names and texts a full `rasa train` also featurizes stay unfitted:
        # those messages get no features from this featurizer.
        if self._get_attribute_vocabulary(attribute) is None:
            return [None] * len(all_tokens), [None] * len(all_tokens)
        return super()._create_features(attribute, all_tokens)
