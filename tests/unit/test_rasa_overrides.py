"""The Rasa overrides are written for one Rasa release, and the package says what each one is."""

from __future__ import annotations

import pkgutil
import re
from importlib.metadata import version

import pytest

from bot import paths, rasa_overrides


def test_the_installed_rasa_is_the_release_the_overrides_were_written_for() -> None:
    """Fails on a Rasa upgrade: re-read every override against the new Rasa source first."""
    assert version("rasa") == rasa_overrides.WRITTEN_FOR_RASA
    rasa_overrides.check_rasa_version()


def test_another_rasa_release_is_refused_by_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rasa_overrides, "version", lambda _name: "3.7.0")
    with pytest.raises(rasa_overrides.UnsupportedRasaVersion, match="3.7.0"):
        rasa_overrides.check_rasa_version()


def table_rows() -> dict[str, str]:
    """Override name -> its row of the table in the package docstring."""
    doc = rasa_overrides.__doc__ or ""
    return {
        match.group(1): match.group(0) for match in re.finditer(r"^\| `(\w+)` \|.*\|$", doc, re.MULTILINE)
    }


def test_every_override_module_has_a_row_with_why_upstream_and_when_to_remove() -> None:
    modules = {info.name for info in pkgutil.iter_modules(rasa_overrides.__path__)}
    rows = table_rows()
    assert modules == set(rows), "a module without a row, or a row without a module"
    for name, row in rows.items():
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert len(cells) == 5 and all(cells), f"{name}: every column of its row must be filled"


def test_rasa_is_pointed_at_the_overrides_by_their_current_names() -> None:
    """The configuration files name classes that exist (a moved class would fail only at start-up)."""
    named = re.findall(
        r"bot\.rasa_overrides\.[\w.]+",
        "".join(path.read_text() for path in (paths.CONFIG_FILE, paths.ENDPOINTS_FILE))
        + (paths.PROJECT_ROOT / "bot" / "stores.py").read_text(),
    )
    assert named
    for dotted in named:
        module_name, _, attribute = dotted.rpartition(".")
        module = __import__(module_name, fromlist=[attribute])
        assert hasattr(module, attribute), dotted
