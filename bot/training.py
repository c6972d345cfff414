"""Trains the Rasa model only when its inputs changed.

The model file is named after a hash of everything that shapes it (config,
domain, training data, our NLU components, the Rasa version), so "is there a
model for these inputs?" is a file lookup and needs no Rasa import.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Iterable, List, Optional

from bot import paths

MODEL_PREFIX = "backcare-"


def _files(inputs: Iterable[Path]) -> List[Path]:
    found: List[Path] = []
    for item in inputs:
        if item.is_dir():
            found.extend(p for p in item.rglob("*") if p.is_file() and p.suffix in {".yml", ".yaml", ".py"})
        elif item.is_file():
            found.append(item)
    return sorted(found)


def training_fingerprint(config: Optional[Path] = None) -> str:
    """A short hash of every input of `rasa train` with this config (default ours).

    Our NLU components count only for our config: a config of Rasa's own
    components (the benchmark's baseline) does not load them.
    """
    from importlib.metadata import version

    digest = hashlib.sha256()
    digest.update(f"rasa=={version('rasa')};spacy=={version('spacy')}".encode())
    inputs = [config or paths.CONFIG_FILE, paths.DOMAIN_FILE, *paths.TRAINING_DATA]
    if config in (None, paths.CONFIG_FILE):
        inputs.extend(paths.CUSTOM_COMPONENTS)
    for file in _files(inputs):
        inside = paths.PROJECT_ROOT in file.parents
        digest.update(str(file.relative_to(paths.PROJECT_ROOT) if inside else file.name).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def model_path(fingerprint: Optional[str] = None) -> Path:
    return paths.MODELS_DIR / f"{MODEL_PREFIX}{fingerprint or training_fingerprint()}.tar.gz"


def train_command(config: Path, target: Path) -> List[str]:
    """`rasa train` with `config` on our domain and data, writing the model to `target`."""
    return [
        sys.executable, "-m", "rasa", "train",
        "--config", str(config),
        "--domain", str(paths.DOMAIN_FILE),
        "--data", *map(str, paths.TRAINING_DATA),
        "--out", str(target.parent),
        "--fixed-model-name", target.name.removesuffix(".tar.gz"),
    ]  # fmt: skip


def train(force: bool = False) -> Path:
    """Returns the model for the current inputs, training it if it is missing."""
    fingerprint = training_fingerprint()
    target = model_path(fingerprint)
    if target.exists() and not force:
        print(f"Model is up to date: {target.relative_to(paths.PROJECT_ROOT)}")
        return target
    print("Training the model (about ten minutes on two cores)...", flush=True)
    subprocess.run(train_command(paths.CONFIG_FILE, target), cwd=paths.PROJECT_ROOT, check=True)
    if not target.exists():
        raise RuntimeError(f"rasa train finished but {target} is missing")
    return target
