"""The import direction of docs/architecture.md, checked on the source.

`bot/` is the installed package: it never imports the custom actions, the
tests, their support code or the benchmark, and never names a path under
tests/. `actions/` imports `bot`, never tests, support or the benchmark;
`support/` is imported by tests and the benchmark, never the other way round;
`bench/` never imports tests. Inside `bot/`, the clinical core (cut-offs,
parsing, the safety layer, the database) knows nothing of the processes and
channels that use it; the Rasa overrides and the settings know nothing of the
rest of BackCare.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

from bot.paths import PROJECT_ROOT

OUTSIDE_BOT = ("actions", "tests", "support", "bench")
EDGES_OF_BOT = (
    "bot.channels",
    "bot.nlu",
    "bot.web",
    "bot.cli",
    "bot.servers",
    "bot.rasa_cli",
    "bot.action_server",
    "bot.rasa_overrides",
)
# Everything of bot/ but the leaves every part may read (bot.paths, bot.settings).
ALL_OF_BOT_BUT_LEAVES = (
    *EDGES_OF_BOT,
    "bot.clinical",
    "bot.parsing",
    "bot.safety",
    "bot.knowledge",
    "bot.care",
    "bot.privacy",
    "bot.stores",
)
# A folder or file of the checkout -> the modules (with their submodules) it must not import.
FORBIDDEN: Dict[str, Tuple[str, ...]] = {
    "bot": OUTSIDE_BOT,
    "actions": ("tests", "support", "bench"),
    "support": ("tests", "bench"),
    "bench": ("tests",),
    "bot/clinical.py": EDGES_OF_BOT,
    "bot/parsing.py": EDGES_OF_BOT,
    "bot/parsing_de.py": EDGES_OF_BOT,
    "bot/safety": EDGES_OF_BOT,
    "bot/knowledge": EDGES_OF_BOT,
    "bot/care": EDGES_OF_BOT,
    # Metrics and logs are recorded by the edges, never the other way round.
    "bot/observability": EDGES_OF_BOT,
    "bot/report": EDGES_OF_BOT,
    # Connecting to Redis is a leaf, like the settings.
    "bot/redis_client.py": ALL_OF_BOT_BUT_LEAVES,
    # The clock is read everywhere, like the settings it reads.
    "bot/clock.py": ALL_OF_BOT_BUT_LEAVES,
    # Changes to Rasa's behaviour stand alone: they know Rasa, not BackCare.
    "bot/rasa_overrides": tuple(name for name in ALL_OF_BOT_BUT_LEAVES if name != "bot.rasa_overrides"),
    # Read by everything, so it reads nothing of BackCare but where its files are.
    "bot/settings.py": ALL_OF_BOT_BUT_LEAVES,
    # Which languages there are and how a text is picked: a leaf like the settings.
    "bot/languages.py": ALL_OF_BOT_BUT_LEAVES,
}
DYNAMIC_IMPORTS = {"import_module", "__import__"}


def python_files(root: Path, place: str) -> List[Path]:
    """The Python files of a folder (recursively), or the file itself."""
    if place.endswith(".py"):
        return [root / place] if (root / place).exists() else []
    return sorted(path for path in (root / place).rglob("*.py") if "__pycache__" not in path.parts)


def imported_modules(path: Path) -> Iterator[Tuple[int, str]]:
    """(line, module) for every absolute import in `path`: `from a import b` gives
    `a` and `a.b`; `importlib.import_module("...")` and `__import__("...")` with a
    literal name count too."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
            yield from ((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in DYNAMIC_IMPORTS and isinstance(node.args[0].value, str):
                yield node.lineno, node.args[0].value


def forbidden_match(module: str, forbidden: Tuple[str, ...]) -> Optional[str]:
    """The entry of `forbidden` that `module` is, or lies inside."""
    return next((name for name in forbidden if module == name or module.startswith(name + ".")), None)


def wrong_imports(root: Path) -> List[str]:
    """Every import against the direction, as `path:line imports module (rule)`."""
    found: Dict[str, str] = {}  # one line per import statement, the first name that breaks a rule
    for place, forbidden in FORBIDDEN.items():
        for path in python_files(root, place):
            for line, module in imported_modules(path):
                match = forbidden_match(module, forbidden)
                where = f"{path.relative_to(root).as_posix()}:{line}"
                if match and where not in found:
                    found[where] = f"{where} imports {module} ({place} may not import {match})"
    return list(found.values())


def paths_into_tests(root: Path) -> List[str]:
    """Every text file under bot/ that names a path under tests/, with the line."""
    found = []
    for path in sorted((root / "bot").rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:  # images
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if "tests/" in line:
                found.append(f"{path.relative_to(root).as_posix()}:{number}: {line.strip()[:100]}")
    return found


def test_every_place_is_checked() -> None:
    for place in FORBIDDEN:
        assert python_files(PROJECT_ROOT, place), f"no Python files at {place}"


def test_imports_follow_the_direction() -> None:
    found = wrong_imports(PROJECT_ROOT)
    assert not found, "Imports against docs/architecture.md:\n  " + "\n  ".join(found)


def test_the_installed_package_names_no_path_under_tests() -> None:
    found = paths_into_tests(PROJECT_ROOT)
    assert not found, (
        "bot/ must not read files under tests/ (take the path as a parameter; "
        "bot/cli.py supplies the checkout's defaults):\n  " + "\n  ".join(found)
    )


def test_the_checks_see_a_wrong_import_and_a_path(tmp_path: Path) -> None:
    for package in ("bot", "bot/safety", "actions", "support", "bench"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "bot" / "bad.py").write_text(
        "import os\nfrom support.ports import free_port\n"
        "import importlib\nimportlib.import_module('tests.e2e')\n"
        "HOLDOUT = 'tests/nlu/holdout.yml'\n"
    )
    (tmp_path / "bot" / "safety" / "bad.py").write_text("from bot import channels, paths\n")
    (tmp_path / "bench" / "bad.py").write_text(
        "from tests.e2e.conftest import backcare\nfrom bot import paths\n"
    )
    assert wrong_imports(tmp_path) == [
        "bot/bad.py:2 imports support.ports (bot may not import support)",
        "bot/bad.py:4 imports tests.e2e (bot may not import tests)",
        "bench/bad.py:1 imports tests.e2e.conftest (bench may not import tests)",
        "bot/safety/bad.py:1 imports bot.channels (bot/safety may not import bot.channels)",
    ]
    assert paths_into_tests(tmp_path) == ["bot/bad.py:5: HOLDOUT = 'tests/nlu/holdout.yml'"]


def imports_of_test_modules(root: Path) -> List[str]:
    """Every import of one test module by another: what tests share lives in support/ or a conftest."""
    found = []
    for path in python_files(root, "tests"):
        for line, module in imported_modules(path):
            if module.startswith("tests.") and module.rsplit(".", 1)[-1].startswith("test_"):
                found.append(f"{path.relative_to(root).as_posix()}:{line} imports {module}")
    return sorted(set(found))


def test_test_modules_do_not_import_each_other(tmp_path: Path) -> None:
    found = imports_of_test_modules(PROJECT_ROOT)
    assert not found, "Move the shared helper to support/ or a conftest.py:\n  " + "\n  ".join(found)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text("from tests.e2e.test_security import SocketClient\n")
    assert imports_of_test_modules(tmp_path) == ["tests/test_a.py:1 imports tests.e2e.test_security"]
