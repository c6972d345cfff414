"""The languages BackCare speaks, and which one a person is spoken to in.

The `language` slot holds the person's language (`en` or `de`); null means
nobody has decided yet and reads as English. Texts kept in data files
(exercises, warning signs, plans) are mappings from language code to text;
`text_in` picks one and falls back to English, so a missing translation
shows English rather than nothing (a test keeps every text translated).
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Text

ENGLISH = "en"
GERMAN = "de"
SUPPORTED = (ENGLISH, GERMAN)
DEFAULT = ENGLISH
LANGUAGE_SLOT = "language"


def normalise(code: Optional[Text]) -> Optional[Text]:
    """`de-AT`, `DE`, `de_CH` -> `de`; None for a language BackCare does not speak."""
    if not code or not isinstance(code, str):
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    return base if base in SUPPORTED else None


def language_of(tracker: Any) -> Text:
    """The person's language from a Rasa or rasa-sdk tracker (English when unset)."""
    return normalise(tracker.get_slot(LANGUAGE_SLOT)) or DEFAULT


def text_in(texts: Any, language: Text) -> Any:
    """The text for `language` from `{en: ..., de: ...}`; a plain value is returned as it is."""
    if not isinstance(texts, Mapping):
        return texts
    if language in texts and texts[language] not in (None, ""):
        return texts[language]
    return texts.get(DEFAULT)
