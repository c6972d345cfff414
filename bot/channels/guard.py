"""What every channel does with a person's text before Rasa sees it.

- Unicode is normalised (NFKC) and format characters such as zero-width
  spaces are removed, so "I w\u200bet myself" reads as "I wet myself" for the
  NLU and the warning-sign detector.
- A message longer than `BACKCARE_MAX_MESSAGE_CHARS` (default 2,000) or with
  no text is answered at the edge with a kind reply and never reaches the
  models: one huge message cannot hold up everyone else.
- Rasa executes text that starts with "/" as an intent, skipping the NLU and
  the detector. Only the exact payloads of our own buttons pass as commands;
  any other leading "/" is dropped, so "/inform{...} I wet myself" is read as
  text, whole.
- `metadata` must be a small JSON object (`BACKCARE_MAX_METADATA_BYTES`,
  default 2,048 bytes).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, FrozenSet, Optional

import yaml

from bot import paths
from bot.settings import current_settings

TOO_LONG = "utter_message_too_long"
NO_TEXT = "utter_no_text"

# Commands our own code sends: the conversation start and the exercise list's
# buttons (actions/exercise_navigation.py), whose exercise slug varies.
INTERNAL_COMMANDS = frozenset({"/greet", "/restart"})
EXERCISE_BUTTON = re.compile(r'/ask_exercise\{"exercise": "[a-z0-9_]{1,40}"\}')


def max_message_chars() -> int:
    return current_settings().max_message_chars


def max_metadata_bytes() -> int:
    return current_settings().max_metadata_bytes


@dataclass(frozen=True)
class Checked:
    """A message ready for Rasa (`text`), or the reply to give instead (`reply`)."""

    text: Optional[str] = None
    reply: Optional[str] = None  # a response name in domain.yml


def normalise(text: str) -> str:
    """NFKC form without format characters (zero-width spaces, joiners, bidi marks)."""
    composed = unicodedata.normalize("NFKC", text)
    return "".join(char for char in composed if unicodedata.category(char) != "Cf")


def _as_sent(payload: str) -> str:
    """A domain payload as Rasa sends it: "{{" and "}}" escape braces from slot filling."""
    return payload.replace("{{", "{").replace("}}", "}")


@lru_cache(maxsize=1)
def button_payloads() -> FrozenSet[str]:
    """Every button payload in the domain that Rasa would run as a command."""
    domain = yaml.safe_load(paths.DOMAIN_FILE.read_text(encoding="utf-8"))
    payloads = {
        _as_sent(str(button.get("payload", "")))
        for variants in (domain.get("responses") or {}).values()
        for variant in variants
        for button in variant.get("buttons") or []
    }
    return frozenset(payload for payload in payloads if payload.startswith("/")) | INTERNAL_COMMANDS


def is_our_command(text: str) -> bool:
    return text in button_payloads() or EXERCISE_BUTTON.fullmatch(text) is not None


def check_message(raw: Any) -> Checked:
    """The text to hand to Rasa, or the reply that answers `raw` instead."""
    if not isinstance(raw, str):
        return Checked(reply=NO_TEXT)
    if len(raw) > max_message_chars() * 2:  # cheap bound before normalising
        return Checked(reply=TOO_LONG)
    text = normalise(raw).strip()
    if not text:
        return Checked(reply=NO_TEXT)
    if len(text) > max_message_chars():
        return Checked(reply=TOO_LONG)
    if text.startswith("/") and not is_our_command(text):
        text = text.lstrip("/").strip()  # read as words, not as a command
    return Checked(text=text) if text else Checked(reply=NO_TEXT)


def check_metadata(value: Any) -> Optional[Dict[str, Any]]:
    """`value` if it is a small JSON object; None if absent. Raises ValueError otherwise."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError("metadata must be a JSON object")
    if len(json.dumps(value, ensure_ascii=False).encode("utf-8")) > max_metadata_bytes():
        raise ValueError(f"metadata is larger than {max_metadata_bytes()} bytes")
    return value
