"""Rasa's own command line, with health data kept out of its logs and our overrides in place.

    python -m bot.rasa_cli run --model ... (any `rasa` arguments)

The log filter (`bot.log_privacy`) must be in place before Rasa logs its
first line, and the Rasa overrides without a configuration hook
(`bot.rasa_overrides.install`) before the server handles a message, so the
Rasa server is started through this module.

With `BACKCARE_LOG_FORMAT=json`, `rasa run` gets `--logging-config-file` with
BackCare's JSON logging configuration (`bot/observability/logging.yml`)
unless the command line names one already. Rasa 3.6 applies that file and
then still adds its own text handlers (every line twice):
`bot.rasa_overrides.configured_logging` stops that.
"""

from __future__ import annotations

import sys
from typing import List, Sequence

from bot import log_privacy, rasa_overrides
from bot.settings import Settings, current_settings

LOGGING_CONFIG_OPTION = "--logging-config-file"


def logging_config_given(arguments: Sequence[str]) -> bool:
    return any(
        argument == LOGGING_CONFIG_OPTION or argument.startswith(LOGGING_CONFIG_OPTION + "=")
        for argument in arguments
    )


def with_logging_config(arguments: Sequence[str], settings: Settings) -> List[str]:
    """`rasa` arguments, with the JSON logging configuration for `run` when the settings ask for it."""
    arguments = list(arguments)
    if settings.log_format != "json" or not arguments or arguments[0] != "run":
        return arguments
    if logging_config_given(arguments):
        return arguments
    from bot.observability.json_logs import LOGGING_CONFIG_FILE

    return [*arguments, LOGGING_CONFIG_OPTION, str(LOGGING_CONFIG_FILE)]


def main() -> None:
    log_privacy.install()
    sys.argv[1:] = with_logging_config(sys.argv[1:], current_settings())
    rasa_overrides.install()
    if logging_config_given(sys.argv[1:]):
        from bot.rasa_overrides import configured_logging

        configured_logging.install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
