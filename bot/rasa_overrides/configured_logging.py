"""A logging configuration file given to `rasa run` is the only logging set-up.

Rasa 3.6 applies `--logging-config-file` and then still puts its coloured
console handler on the root logger, and Sanic adds text handlers of its own to
its loggers: with BackCare's JSON configuration every line would come out
twice, once as text. `install()` (called by `bot/rasa_cli.py` when a logging
configuration file is given) turns both off.
"""

from __future__ import annotations

from typing import Optional

from bot.observability.json_logs import keep_sanic_from_reconfiguring


def install() -> None:
    import rasa.utils.io

    def no_colored_logging(loglevel: Optional[str]) -> None:
        """Rasa's `configure_colored_logging`, which would add a text handler: not with a config file."""

    rasa.utils.io.configure_colored_logging = no_colored_logging
    keep_sanic_from_reconfiguring()
