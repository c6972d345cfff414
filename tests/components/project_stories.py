"""The project's domain and its stories and rules as Rasa's training turns them into trackers."""

from __future__ import annotations

from functools import lru_cache
from typing import List, Tuple

from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates, TrainingDataGenerator
from rasa.shared.importers.importer import TrainingDataImporter

from bot import paths


@lru_cache(maxsize=1)
def project_trackers() -> Tuple[Domain, List[TrackerWithCachedStates]]:
    """Without augmentation: each story and rule once, as written."""
    importer = TrainingDataImporter.load_from_config(
        config_path=str(paths.PROJECT_ROOT / "config.yml"),
        domain_path=str(paths.PROJECT_ROOT / "domain.yml"),
        training_data_paths=[str(paths.PROJECT_ROOT / "data")],
    )
    domain = importer.get_domain()
    trackers = TrainingDataGenerator(
        importer.get_stories(), domain, augmentation_factor=0, use_story_concatenation=False
    ).generate()
    return domain, trackers
