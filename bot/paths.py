"""Where the project keeps its files; everything is relative to the checkout."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = PROJECT_ROOT / "config.yml"
DOMAIN_FILE = PROJECT_ROOT / "domain.yml"
CREDENTIALS_FILE = PROJECT_ROOT / "credentials.yml"
ENDPOINTS_FILE = PROJECT_ROOT / "endpoints.yml"
MODELS_DIR = PROJECT_ROOT / "models"
RUNTIME_DIR = PROJECT_ROOT / "var"

# Rasa training data. `data/exercises.yml` is content for our database, not
# training data, so the folders are listed instead of passing `data/`.
TRAINING_DATA = [
    PROJECT_ROOT / "data" / "nlu",
    PROJECT_ROOT / "data" / "stories",
    PROJECT_ROOT / "data" / "rules.yml",
]
# Our own NLU components and the spaCy components that replace Rasa's are
# part of the model: a change to them retrains.
CUSTOM_COMPONENTS = (PROJECT_ROOT / "bot" / "nlu", PROJECT_ROOT / "bot" / "rasa_overrides" / "spacy.py")


def shown(path: Path) -> str:
    """`path` as reports name it: relative to the checkout when it lies inside it."""
    resolved = Path(path).resolve()
    if resolved.is_relative_to(PROJECT_ROOT):
        return resolved.relative_to(PROJECT_ROOT).as_posix()
    return str(path)
