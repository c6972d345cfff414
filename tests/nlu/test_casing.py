"""People write "I", capitals and question marks as they like: the intent must not depend on casing."""

from __future__ import annotations

import re
from typing import List

from bot import conversation_quality as quality
from bot import evaluation
from bot.cli import QUALITY_SET_FILE
from support.model import trained_model


def as_typed_on_a_phone(text: str) -> str:
    """`text` lower-cased, then with a capital first letter and a capital "I", as phones write it."""
    lowered = text.lower()
    with_capital_i = re.sub(r"\bi\b", "I", lowered)
    return with_capital_i[:1].upper() + with_capital_i[1:]


def intents(texts: List[str]) -> List[str]:
    return [parsed["intent"]["name"] for parsed in evaluation.parse(trained_model(), texts)]


def test_casing_does_not_change_the_intent() -> None:
    texts = [item.text for item in quality.load_set(QUALITY_SET_FILE)]
    lower = intents([text.lower() for text in texts])
    phone = intents([as_typed_on_a_phone(text) for text in texts])
    shouting = intents([text.upper() for text in texts])
    differ = [
        (text, a, b, c)
        for text, a, b, c in zip(texts, lower, phone, shouting, strict=True)
        if not a == b == c
    ]
    assert not differ, differ


def test_the_phone_spelling() -> None:
    assert (
        as_typed_on_a_phone("can i keep going to work? i think so") == "Can I keep going to work? I think so"
    )
