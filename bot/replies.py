"""Reply texts the channels give themselves, read from the domain like every other.

Some answers come before Rasa is asked (a message that is too long, an
update without text, a turn that failed): their wording lives in domain.yml
all the same. The person's `language` slot is not read at that point (it
would cost a conversation lookup), so the channel's hint decides: Telegram's
`language_code`, the web widget's page language; English without one.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List, Optional

import yaml

from bot import paths
from bot.languages import DEFAULT, LANGUAGE_SLOT, normalise


def _language_of(variation: Dict[str, Any]) -> Optional[str]:
    """The language a variation is for: `de` for the German twin, None for the English default."""
    for condition in variation.get("condition") or []:
        if condition.get("name") == LANGUAGE_SLOT:
            return str(condition.get("value"))
    return None


@lru_cache(maxsize=1)
def _responses() -> Dict[str, Dict[str, str]]:
    """Response name -> language -> text of its plain variation (no condition but the language)."""
    domain = yaml.safe_load(paths.DOMAIN_FILE.read_text(encoding="utf-8"))
    texts: Dict[str, Dict[str, str]] = {}
    for name, variations in (domain.get("responses") or {}).items():
        plain: List[Dict[str, Any]] = [
            variation
            for variation in variations or []
            if all(condition.get("name") == LANGUAGE_SLOT for condition in variation.get("condition") or [])
        ]
        texts[name] = {
            _language_of(variation) or DEFAULT: variation.get("text", "") for variation in reversed(plain)
        }
        if DEFAULT not in texts[name] and variations:
            texts[name][DEFAULT] = variations[0].get("text", "")
    return texts


def reply_text(response: str, language: Optional[str] = None) -> str:
    """The text of `response` in `language` (a code such as `de-DE`; English when missing or unknown)."""
    texts = _responses()[response]
    return texts.get(normalise(language) or DEFAULT) or texts[DEFAULT]


def hinted_language(metadata: Any) -> Optional[str]:
    """The language hint a channel put in a message's metadata, if any."""
    return normalise(metadata.get(LANGUAGE_SLOT)) if isinstance(metadata, dict) else None
