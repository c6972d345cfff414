"""Puts the safety layer's reading of a message above the trained classifier.

A learned classifier can miss a warning sign or crisis it has not seen phrased
that way, and it can also see a warning sign where there is none ("is walking
good for it?"). This component runs last in the NLU pipeline and lets the
deterministic detector (bot.safety) decide:

- crisis talk: intent `crisis`, whatever the model predicted;
- a warning sign, or a phrase that needs a question about one: `report_red_flag`;
- the model alone suspects a warning sign: kept only when the message names a
  sign (the action then asks about that sign); otherwise the model's next
  guess is used, so the model adds recall without raising false alarms;
- the model alone suspects crisis talk: kept only when the message has words
  of crisis talk (the action then asks the person directly); otherwise the
  model's next guess is used ("ok I'm done with that" is not a crisis).

Signs and crisis talk are read in every language at once. The words that keep
a model-only suspicion are those of the message's language when the language
detector (bot.nlu.language_detection, earlier in the pipeline) named one: the
English crisis word "die" is the German article.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.languages import LANGUAGE_SLOT, normalise
from bot.nlu.intent_override import IntentOverride, force_intent
from bot.safety import analyse

RED_FLAG_INTENT = "report_red_flag"
CRISIS_INTENT = "crisis"
FALLBACK_INTENT = "nlu_fallback"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafetyGuard(IntentOverride):
    """Overrides the predicted intent with what the safety detector reads."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Below this confidence the model's next guess is not trusted either.
        return {"fallback_threshold": 0.5}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self._fallback_threshold = float(config.get("fallback_threshold", 0.5))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue  # button payloads name their intent explicitly
            findings = analyse(text, language=_language_of(message))
            predicted = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if findings.crisis:
                force_intent(message, CRISIS_INTENT)
            elif findings.signs or findings.questions:
                force_intent(message, RED_FLAG_INTENT)
            elif predicted == RED_FLAG_INTENT and not findings.mentions:
                self._demote(message)
            elif predicted == CRISIS_INTENT and not findings.crisis_words:
                self._demote(message)
        return messages

    def _demote(self, message: Message) -> None:
        """The model's best guess that is not a warning sign (or a fallback)."""
        ranking = [
            entry
            for entry in message.get(INTENT_RANKING_KEY) or []
            if entry.get(INTENT_NAME_KEY) not in (RED_FLAG_INTENT, CRISIS_INTENT, FALLBACK_INTENT)
        ]
        best: Optional[Dict[Text, Any]] = ranking[0] if ranking else None
        if best is None or (best.get(PREDICTED_CONFIDENCE_KEY) or 0.0) < self._fallback_threshold:
            best = {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: self._fallback_threshold}
        message.set(INTENT, best, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [best, *ranking], add_to_output=True)


def _language_of(message: Message) -> Optional[Text]:
    """The language the language detector named for this message, if it named one."""
    for entity in message.get(ENTITIES) or []:
        if entity.get(ENTITY_ATTRIBUTE_TYPE) == LANGUAGE_SLOT:
            return normalise(entity.get(ENTITY_ATTRIBUTE_VALUE))
    return None
