"""Recognises messages in a language BackCare does not speak yet.

A German message used to be read by the English model as a question about
medicines. This component, after the classifiers, sets the intent
`other_language` when a message is clearly not English (many common words of
German, French, Spanish, Italian or Dutch and few English ones). The
SafetyGuard runs after it, so a warning sign or crisis in any language it
knows still wins.
"""

from __future__ import annotations

import re
from typing import List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intent_override import IntentOverride, force_intent

OTHER_LANGUAGE_INTENT = "other_language"
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Frequent words of other languages that are not also English words.
FOREIGN_WORDS = frozenset(
    # German
    "ich mich mir mein meine meinen meinem mit und nicht ist sind habe hast haben kann können tut weh "
    "rücken ruecken schmerzen schmerz seit tagen wochen sehr auch aber oder wie warum bitte danke "
    "tschüss tschuess guten morgen abend nein doch noch schon weiter geht schlecht unten oben kreuz "
    "hexenschuss ischias beim einem einer eine der das dem des sich wir sie du nur jetzt heute gestern "
    "sprechen deutsch englisch verstehe "
    # French
    "je suis ai mal au dos depuis jours avec pas très merci bonjour oui mon mes une est douleur "
    # Spanish
    "estoy tengo dolor espalda desde días gracias hola sí muy mis una duele "
    # Italian
    "sono schiena grazie ciao giorni molto "
    # Dutch
    "ik heb mijn pijn rugpijn sinds dagen niet dank hoi goedemorgen "
    # Polish
    "boli mnie plecy kręgosłup od dni bardzo dzień dobry dziękuję".split()
)
# A message of one or two words counts only with these unmistakable ones.
SHORT_FOREIGN_WORDS = frozenset(
    "weiter danke tschüss tschuess nein bitte servus moin merci bonjour gracias hola grazie ciao dank".split()
)
ENGLISH_WORDS = frozenset(
    "i my me it is the a an and but to of in on at for with have has had hurts hurt pain back since "
    "days weeks yes no not this that what how can do does please thanks thank you hi hello bye ok "
    "okay am are was were be been lower leg legs about out".split()
)


# Letters English does not use ("Rücken", "kręgosłup").
_FOREIGN_LETTERS = re.compile(r"[äöüßéèêàâçñęąłśżźćńøåœ]")


def is_other_language(text: Text) -> bool:
    """True when the text reads as another language rather than English."""
    words = [word.lower() for word in _WORD.findall(text)]
    if not words:
        return False
    foreign = sum(word in FOREIGN_WORDS for word in words)
    english = sum(word in ENGLISH_WORDS for word in words)
    if english == 0 and len(words) > 1 and _FOREIGN_LETTERS.search(text.lower()):
        return True
    if len(words) <= 2:
        # "weiter", "danke tschüss": every word unmistakably foreign.
        return all(word in SHORT_FOREIGN_WORDS for word in words)
    return foreign >= 2 and foreign > english


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LanguageGuard(IntentOverride):
    """Sets `other_language` for messages that are clearly not English."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/") or not is_other_language(text):
                continue
            force_intent(message, OTHER_LANGUAGE_INTENT)
        return messages
