"""Whether starting Rasa through `bot.rasa_cli` puts an override in place, checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

from bot import paths


def assert_installed_by_rasa_cli(imports: str, before: str, after: str) -> None:
    """`before` holds after `imports`; `after` holds once `bot.rasa_cli` has run (`rasa --version`)."""
    check = "\n".join(
        [
            "import sys",
            imports,
            f"assert {before}",
            "sys.argv = ['rasa', '--version']",
            "from bot import rasa_cli",
            "rasa_cli.main()",
            f"assert {after}",
            "",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=paths.PROJECT_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
