"""The trained model that tests need, or a failure that says how to get it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import training


def trained_model() -> Path:
    """The model for the current data; fails the test when it has not been trained."""
    model = training.model_path()
    if not model.exists():
        pytest.fail(f"No trained model at {model}: run `make train` (make test does).")
    return model
