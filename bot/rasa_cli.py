"""Rasa's own command line, with health data kept out of its logs.

    python -m bot.rasa_cli run --model ... (any `rasa` arguments)

The log filter (`bot.log_privacy`) must be in place before Rasa logs its
first line, so the Rasa server is started through this module.
"""

from __future__ import annotations

from bot import log_privacy


def main() -> None:
    log_privacy.install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
