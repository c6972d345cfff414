"""Rasa's own command line, with health data kept out of its logs and our overrides in place.

    python -m bot.rasa_cli run --model ... (any `rasa` arguments)

The log filter (`bot.log_privacy`) must be in place before Rasa logs its
first line, and the Rasa overrides without a configuration hook
(`bot.rasa_overrides.install`) before the server handles a message, so the
Rasa server is started through this module.
"""

from __future__ import annotations

from bot import log_privacy, rasa_overrides


def main() -> None:
    log_privacy.install()
    rasa_overrides.install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
