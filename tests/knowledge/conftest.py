"""What the exercise-database tests share: an empty database with the schema, the seed article's exercises."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.knowledge import create_engine_for, create_schema

# The exercises the seed article describes (`source: seed_article` in the data file).
SEED_ARTICLE_EXERCISES = {
    "shoulder_circles",
    "pelvic_tilt_seated",
    "pelvic_tilt_lying",
    "package_seat_static",
    "package_seat_dynamic",
    "back_extensor_strengthening",
    "abdominal_strengthening",
    "hamstring_stretch",
    "hip_flexor_stretch",
}


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    """A new SQLite exercise database with the schema and nothing in it."""
    engine = create_engine_for(f"sqlite:///{tmp_path / 'exercises.db'}")
    create_schema(engine)
    return engine
