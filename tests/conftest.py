"""Fixtures shared by every test tier, and the tier (pytest marker) of each test.

Tiers, declared in pyproject.toml: `e2e` (starts servers: everything under
tests/e2e/ and modules marked so), `services` (PostgreSQL or Redis, marked per
test), `browser` (uses the `browser` fixture below) and `unit`, which this file
gives every other test outside tests/nlu/ (the quality gate needs the trained
model). `make unit-test` runs `-m "not e2e and not services and not browser"`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Callable, Iterator, List

import pytest

from bot import settings as backcare_settings
from bot.settings import Settings

TESTS_DIR = Path(__file__).resolve().parent
E2E_DIR = TESTS_DIR / "e2e"
QUALITY_GATE_DIR = TESTS_DIR / "nlu"
NOT_UNIT = ("e2e", "services", "browser")

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium is missing: install Debian's `chromium` package (make browser-deps does).")
    return path


@pytest.fixture(autouse=True)
def use_settings() -> Iterator[Callable[..., Settings]]:
    """`use_settings(database_url=...)` gives this process those settings, as a server reads them
    from its environment; every test starts and ends with the settings of this process's environment."""

    def use(**fields: Any) -> Settings:
        chosen = Settings(**fields)
        backcare_settings.use_settings(chosen)
        return chosen

    backcare_settings.use_settings(None)
    yield use
    backcare_settings.use_settings(None)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """A real headless Chromium (Debian's), driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    """Marks each test with its tier, so `-m` can choose what a run needs."""
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        needs_something = any(item.get_closest_marker(name) for name in NOT_UNIT)
        if not needs_something and QUALITY_GATE_DIR not in item.path.parents:
            item.add_marker(pytest.mark.unit)
