"""The small words that join names and lines in a reply, per language.

Names of signs and crisis lines come from the warning-sign table; these are
only the words between them ("a, b and c", "999 (UK) or 112 (Germany)").
"""

from __future__ import annotations

from typing import Sequence

from bot.languages import ENGLISH, GERMAN, text_in

AND = {ENGLISH: "and", GERMAN: "und"}
OR = {ENGLISH: "or", GERMAN: "oder"}


def listing(items: Sequence[str], language: str) -> str:
    """ "a", "a and b", "a, b and c"; in German "a, b und c", or "a; b; c" when a name has a comma."""
    if len(items) <= 1:
        return "".join(items)
    if language != ENGLISH and any("," in item for item in items):
        # Names such as "ein Sturz, ein Unfall oder ein Schlag" would run into each other.
        return "; ".join(items)
    return ", ".join(items[:-1]) + f" {text_in(AND, language)} " + items[-1]


def alternatives(items: Sequence[str], language: str) -> str:
    """ "a or b or c": every item a choice of its own, as the crisis reply lists them."""
    return f" {text_in(OR, language)} ".join(items)
