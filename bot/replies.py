"""Reply texts the channels give themselves, read from the domain like every other.

Some answers come before Rasa is asked (a message that is too long, an
update without text): their wording lives in domain.yml all the same.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Dict

import yaml

from bot import paths


@lru_cache(maxsize=1)
def _responses() -> Dict[str, str]:
    domain = yaml.safe_load(paths.DOMAIN_FILE.read_text(encoding="utf-8"))
    return {
        name: variants[0]["text"] for name, variants in (domain.get("responses") or {}).items() if variants
    }


def reply_text(response: str) -> str:
    """The text of `response` (its first variation)."""
    return _responses()[response]
