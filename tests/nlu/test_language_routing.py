"""A message in no clear language is read by both classifiers, and the more confident one answers."""

from __future__ import annotations

import pytest

from bot import evaluation
from bot.nlu.per_language import reading_languages
from support.model import trained_model


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("thx", "thank"),  # lingua: more likely German
        ("ty", "thank"),
        ("danke", "thank"),
        ("thanks!", "thank"),
        ("7", "inform"),
        ("8/10", "inform"),
    ],
)
def test_short_messages_get_the_intent_of_the_language_that_knows_them(text: str, intent: str) -> None:
    parsed = evaluation.parse(trained_model(), [text])[0]
    assert parsed["intent"]["name"] == intent, parsed["intent_ranking"][:3]


def test_an_unclear_message_is_read_by_both() -> None:
    assert reading_languages("thx") == {"en", "de"}
