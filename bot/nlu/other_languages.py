"""Recognises messages in a language BackCare does not speak (neither English nor German).

French, Spanish, Italian, Dutch or Polish text is read by the model as a
guess at one of its intents; a message with many common words of those
languages and few English or German ones gets `other_language` instead
(bot/nlu/language_detection.py).
"""

from __future__ import annotations

import re
from typing import Text

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Frequent words of other languages that are neither English nor German words.
FOREIGN_WORDS = frozenset(
    # French
    "je suis ai mal au dos depuis jours avec pas très merci bonjour oui mon mes une est douleur "
    # Spanish
    "estoy tengo dolor espalda desde días gracias hola sí muy mis una duele "
    # Italian
    "sono schiena grazie ciao giorni molto ho di "
    # Dutch
    "ik heb mijn pijn rugpijn sinds dagen niet dank hoi goedemorgen "
    # Polish
    "boli mnie plecy kręgosłup od dni bardzo dzień dobry dziękuję".split()
)
# A message of one or two words counts only with these unmistakable ones.
# ("merci" is also Swiss German for thanks.)
SHORT_FOREIGN_WORDS = frozenset("bonjour gracias hola grazie ciao dank dziękuję".split())
# Words that make a message English or German rather than foreign.
KNOWN_WORDS = frozenset(
    "i my me it is the a an and but to of in on at for with have has had hurts hurt pain back since "
    "days weeks yes no not this that what how can do does please thanks thank you hi hello bye ok "
    "okay am are was were be been lower leg legs about out "
    "ich mich mir mein meine mit und nicht ist sind habe kann tut weh rücken schmerzen seit tagen "
    "wochen bitte danke hallo ja nein der die das ein eine".split()
)
# Letters neither English nor German uses ("kręgosłup", "días").
_FOREIGN_LETTERS = re.compile(r"[éèêàâçñęąłśżźćńøåœíóú]")


def is_other_language(text: Text) -> bool:
    """True when the text reads as a language other than English and German."""
    words = [word.lower() for word in _WORD.findall(text)]
    if not words:
        return False
    foreign = sum(word in FOREIGN_WORDS for word in words)
    known = sum(word in KNOWN_WORDS for word in words)
    if known == 0 and len(words) > 1 and _FOREIGN_LETTERS.search(text.lower()):
        return True
    if len(words) <= 2:
        return all(word in SHORT_FOREIGN_WORDS for word in words)
    return foreign >= 2 and foreign > known
