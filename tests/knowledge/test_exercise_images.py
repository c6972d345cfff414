"""Every exercise has its own illustration, named after its slug."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from actions.exercise_messages import exercise_image
from bot.knowledge import load_exercise_file
from bot.paths import PROJECT_ROOT

IMAGES = PROJECT_ROOT / "bot" / "web" / "static" / "img"
SLUGS = [exercise.slug for exercise in load_exercise_file()]


def png_size(path: Path) -> tuple:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize("slug", SLUGS)
def test_every_exercise_has_a_small_image(slug: str) -> None:
    path = IMAGES / f"exercise-{slug}.png"
    assert path.is_file(), f"missing {path.name}: run scripts/draw_exercise_images.py"
    assert png_size(path) == (320, 240)
    assert path.stat().st_size < 30_000


def test_no_image_without_an_exercise() -> None:
    drawn = {path.name[len("exercise-") : -len(".png")] for path in IMAGES.glob("exercise-*.png")}
    assert drawn == set(SLUGS)


def test_the_chat_shows_the_exercises_own_image() -> None:
    exercise = load_exercise_file()[0]
    assert exercise_image(exercise).endswith(f"/static/img/exercise-{exercise.slug}.png")
