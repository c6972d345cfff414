"""The most specific matching response variation wins.

Every English variation in the domain has a German twin with the same
conditions plus `language: de`. Stock Rasa picks at random among all
variations whose conditions match, so for a German person with
`screening_kind: single` it would choose between the English "single"
variation and the German default one. Keeping only the matching variations
with the most conditions picks the German "single" one; where conditions
never overlap (all variations before the German twins) the result is what
stock Rasa returns.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

import rasa.core.nlg.response
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.shared.constants import RESPONSE_CONDITION


def _condition_count(variation: Dict[Text, Any]) -> int:
    return len(variation.get(RESPONSE_CONDITION) or [])


class MostSpecificVariationFilter(ResponseVariationFilter):
    """Rasa's channel and condition filter, then only the variations with the most conditions."""

    def responses_for_utter_action(
        self,
        utter_action: Text,
        output_channel: Text,
        filled_slots: Dict[Text, Any],
    ) -> List[Dict[Text, Any]]:
        eligible = super().responses_for_utter_action(utter_action, output_channel, filled_slots)
        if not eligible:
            return eligible
        most = max(_condition_count(variation) for variation in eligible)
        return [variation for variation in eligible if _condition_count(variation) == most]


def install() -> None:
    """The templated generator (`rasa.core.nlg.response`) builds its filter from this name."""
    rasa.core.nlg.response.ResponseVariationFilter = MostSpecificVariationFilter  # type: ignore[misc]
